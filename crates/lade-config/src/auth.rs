//! Per-registry credentials keyed by "nerf-darted" URLs (`//host[:port]/path/`) and the lookup
//! pnpm's `@pnpm/network.auth-header` does: the longest configured path prefix on the request's
//! own host wins, so a token is never sent to a host it was not configured for.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use url::Url;

use crate::Secret;

/// An `Authorization` header value (`Bearer …` or `Basic …`).
#[derive(Clone, PartialEq, Eq)]
pub struct AuthHeader(Secret);

impl AuthHeader {
    pub fn value(&self) -> &str {
        self.0.expose()
    }

    fn bearer(token: &str) -> Self {
        AuthHeader(Secret::new(format!("Bearer {token}")))
    }

    fn basic(encoded: &str) -> Self {
        AuthHeader(Secret::new(format!("Basic {encoded}")))
    }

    fn user_password(username: &str, password: &str) -> Self {
        Self::basic(&STANDARD.encode(format!("{username}:{password}")))
    }
}

impl fmt::Debug for AuthHeader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scheme = self.value().split_once(' ').map_or("", |(scheme, _)| scheme);
        write!(f, "AuthHeader({scheme} ***)")
    }
}

/// The configured credentials by nerf-darted URL prefix.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuthTable {
    by_prefix: BTreeMap<String, AuthHeader>,
}

/// One URL-scoped credential setting, split into its prefix and name.
pub(crate) struct CredentialSetting<'a> {
    pub(crate) prefix: &'a str,
    pub(crate) name: &'a str,
    pub(crate) value: &'a str,
}

impl AuthTable {
    /// Builds the table from `//prefix/:name` settings. When one prefix has several kinds,
    /// `_authToken` beats `_auth`, which beats `username` + `_password`.
    pub(crate) fn from_settings<'a>(
        settings: impl IntoIterator<Item = CredentialSetting<'a>>,
    ) -> Result<Self, String> {
        let mut tokens = BTreeMap::new();
        let mut basics = BTreeMap::new();
        let mut usernames = BTreeMap::new();
        let mut passwords = BTreeMap::new();
        for setting in settings {
            let table = match setting.name {
                "_authToken" => &mut tokens,
                "_auth" => &mut basics,
                "username" => &mut usernames,
                "_password" => &mut passwords,
                _ => continue,
            };
            table.insert(setting.prefix.to_owned(), setting.value);
        }
        let mut by_prefix = BTreeMap::new();
        for (prefix, username) in usernames {
            let Some(encoded) = passwords.get(&prefix) else { continue };
            let password = decode_password(encoded).ok_or_else(|| format!("{prefix}:_password"))?;
            by_prefix.insert(prefix, AuthHeader::user_password(username, &password));
        }
        by_prefix
            .extend(basics.into_iter().map(|(prefix, value)| (prefix, AuthHeader::basic(value))));
        by_prefix
            .extend(tokens.into_iter().map(|(prefix, value)| (prefix, AuthHeader::bearer(value))));
        Ok(AuthTable { by_prefix })
    }

    pub fn is_empty(&self) -> bool {
        self.by_prefix.is_empty()
    }

    /// The header for a request to `url`: credentials embedded in the URL, else the longest
    /// configured prefix of the URL on the same host (retrying without the port).
    pub fn header_for(&self, url: &Url) -> Option<AuthHeader> {
        if !url.username().is_empty() || url.password().is_some() {
            let password = url.password().unwrap_or("");
            return Some(AuthHeader::user_password(url.username(), password));
        }
        lookup_by_prefix(&self.by_prefix, url)
    }
}

/// `_password` is base64 in `.npmrc`; like Node's lenient decoder, surrounding whitespace and
/// missing padding are tolerated.
fn decode_password(encoded: &str) -> Option<String> {
    let trimmed = encoded.trim().trim_end_matches('=');
    let bytes = base64::engine::general_purpose::STANDARD_NO_PAD.decode(trimmed).ok()?;
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

/// Longest-prefix lookup shared by credentials and client certificates.
pub(crate) fn lookup_by_prefix<T: Clone>(table: &BTreeMap<String, T>, url: &Url) -> Option<T> {
    if table.is_empty() {
        return None;
    }
    let max_parts = table.keys().map(|key| key.split('/').count()).max().unwrap_or(0);
    let found = find_prefix(table, &nerf_dart(url, true), max_parts);
    if found.is_some() || url.port().is_none() {
        return found;
    }
    find_prefix(table, &nerf_dart(url, false), max_parts)
}

fn find_prefix<T: Clone>(table: &BTreeMap<String, T>, nerfed: &str, max_parts: usize) -> Option<T> {
    let parts: Vec<&str> = nerfed.split('/').collect();
    (3..parts.len().min(max_parts))
        .rev()
        .find_map(|end| table.get(&format!("{}/", parts[..end].join("/"))).cloned())
}

/// `//host[:port]/dir/` of a request URL after pnpm appends `/` to it: a path without a
/// trailing slash keeps its last segment, unless a query or fragment takes the appended `/`.
pub(crate) fn nerf_dart(url: &Url, with_port: bool) -> String {
    let host = url.host_str().unwrap_or("");
    let port = url.port().filter(|_| with_port).map(|port| format!(":{port}")).unwrap_or_default();
    let path = url.path();
    let takes_slash = url.query().is_none() && url.fragment().is_none();
    let directory = if path.ends_with('/') {
        path.to_owned()
    } else if takes_slash {
        format!("{path}/")
    } else {
        path.rsplit_once('/').map_or("/".to_owned(), |(dir, _)| format!("{dir}/"))
    };
    format!("//{host}{port}{directory}")
}

/// Where a client-certificate or CA setting takes its PEM text from.
#[derive(Clone, PartialEq, Eq)]
pub enum PemSource {
    Inline(Secret),
    File(PathBuf),
}

impl fmt::Debug for PemSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PemSource::Inline(_) => f.write_str("Inline(***)"),
            PemSource::File(path) => write!(f, "File({})", path.display()),
        }
    }
}

/// TLS material for one registry prefix (`//host/:certfile=…`, `:keyfile`, `:cafile`, or the
/// inline `:cert`, `:key`, `:ca`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegistryTls {
    pub ca: Option<PemSource>,
    pub cert: Option<PemSource>,
    pub key: Option<PemSource>,
}

#[cfg(test)]
mod tests;
