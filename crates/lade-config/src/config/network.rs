//! Registries, credentials, TLS, proxies and retry settings. Registries and credentials come
//! from the npmrc chain only (command line, environment, `.npmrc` files), never from
//! pnpm-workspace.yaml.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use url::Url;

use super::sources::Sources;
use crate::auth::{AuthTable, CredentialSetting, PemSource, RegistryTls};
use crate::layers::{Found, RawValue};
use crate::registry::{Registries, RegistryUrl, fmt_redacted};
use crate::settings::SettingReader;
use crate::{ConfigError, Secret};

/// A proxy URL; Debug hides a password in it.
#[derive(Clone, PartialEq, Eq)]
pub struct ProxyUrl(String);

impl ProxyUrl {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ProxyUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match Url::parse(&self.0) {
            Ok(url) => fmt_redacted(&url, f),
            Err(_) => f.write_str("<unparsable proxy URL>"),
        }
    }
}

/// How lade talks to registries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetworkSettings {
    pub fetch_retries: u32,
    pub fetch_retry_factor: u32,
    pub fetch_retry_mintimeout: Duration,
    pub fetch_retry_maxtimeout: Duration,
    pub fetch_timeout: Duration,
    pub network_concurrency: u32,
    pub max_sockets: u32,
    pub strict_ssl: bool,
    pub always_auth: bool,
    /// Inline CA certificates (`ca=` / `ca[]=`); `cafile` replaces them when it exists.
    pub ca: Vec<String>,
    pub cafile: Option<PathBuf>,
    pub https_proxy: Option<ProxyUrl>,
    pub http_proxy: Option<ProxyUrl>,
    pub no_proxy: Option<String>,
    pub local_address: Option<String>,
    pub user_agent: Option<String>,
    pub offline: bool,
    pub prefer_offline: bool,
    /// Client certificates and CAs by nerf-darted registry prefix; see `Config::tls_for`.
    pub registry_tls: BTreeMap<String, RegistryTls>,
}

pub(super) struct NetworkConfig {
    pub(super) registries: Registries,
    pub(super) auth: AuthTable,
    pub(super) settings: NetworkSettings,
}

impl NetworkConfig {
    pub(super) fn read(
        sources: &Sources<'_>,
        reader: &SettingReader<'_>,
    ) -> Result<Self, ConfigError> {
        let registries = registries(sources)?;
        let auth = auth_table(sources)?;
        let settings = network_settings(sources, reader)?;
        Ok(NetworkConfig { registries, auth, settings })
    }
}

fn registry_url(key: &str, found: &Found<'_>) -> Result<Option<RegistryUrl>, ConfigError> {
    let text = match found.value {
        RawValue::Str(text) if !text.is_empty() => text,
        RawValue::Null | RawValue::Str(_) => return Ok(None),
        RawValue::Bool(_) | RawValue::List(_) => "",
    };
    RegistryUrl::parse(text).map(Some).map_err(|_| ConfigError::InvalidRegistryUrl {
        key: key.to_owned(),
        url: text.to_owned(),
        origin: found.origin.clone(),
    })
}

fn registries(sources: &Sources<'_>) -> Result<Registries, ConfigError> {
    let configured = match sources.layers.get_network("registry") {
        Some(found) => registry_url("registry", &found)?,
        None => None,
    };
    let default = match configured {
        Some(url) => url,
        None => sources.npm.registry().map_err(|reason| ConfigError::NoRegistry { reason })?,
    };
    let mut scoped = BTreeMap::new();
    for (key, found) in sources.layers.merged_network() {
        let Some(scope) = key.strip_suffix(":registry").filter(|_| key.starts_with('@')) else {
            continue;
        };
        let scope = scope.split_once(':').map_or(scope, |(scope, _)| scope);
        if let Some(url) = registry_url(key, &found)? {
            scoped.insert(scope.to_owned(), url);
        }
    }
    Ok(Registries { default, scoped })
}

fn auth_table(sources: &Sources<'_>) -> Result<AuthTable, ConfigError> {
    let merged = sources.layers.merged_network();
    let settings = merged.iter().filter_map(|(key, found)| {
        let (prefix, name) = key.rsplit_once(':')?;
        let RawValue::Str(value) = found.value else { return None };
        prefix.starts_with("//").then_some(CredentialSetting { prefix, name, value })
    });
    AuthTable::from_settings(settings).map_err(|key| ConfigError::InvalidValue {
        origin: merged[key.as_str()].origin.clone(),
        key,
        value: "***".to_owned(),
        expected: "base64",
    })
}

fn registry_tls(sources: &Sources<'_>) -> BTreeMap<String, RegistryTls> {
    let mut table: BTreeMap<String, RegistryTls> = BTreeMap::new();
    for (key, found) in sources.layers.merged_network() {
        let Some((prefix, name)) =
            key.rsplit_once(':').filter(|(prefix, _)| prefix.starts_with("//"))
        else {
            continue;
        };
        let RawValue::Str(value) = found.value else { continue };
        let inline = || PemSource::Inline(Secret::new(value.replace("\\n", "\n")));
        let file = || PemSource::File(sources.cwd.join(value));
        let entry = table.entry(prefix.to_owned());
        match name {
            "ca" => entry.or_default().ca = Some(inline()),
            "cafile" => entry.or_default().ca = Some(file()),
            "cert" => entry.or_default().cert = Some(inline()),
            "certfile" => entry.or_default().cert = Some(file()),
            "key" => entry.or_default().key = Some(inline()),
            "keyfile" => entry.or_default().key = Some(file()),
            _ => {}
        }
    }
    table
}

/// `https-proxy`, else `proxy`, else `$https_proxy`; plain HTTP falls back further to
/// `$http_proxy` and `$proxy`, as pnpm 10 does.
fn proxies(
    reader: &SettingReader<'_>,
    env: &HashMap<String, String>,
) -> (Option<ProxyUrl>, Option<ProxyUrl>) {
    let from_env = |name: &str| {
        [name.to_owned(), name.to_uppercase()]
            .iter()
            .find_map(|name| env.get(name).filter(|value| !value.is_empty()).cloned())
    };
    let setting = |key: &str| reader.string(key).filter(|value| !value.is_empty());
    let https =
        setting("https-proxy").or_else(|| setting("proxy")).or_else(|| from_env("https_proxy"));
    let http = setting("http-proxy")
        .or_else(|| https.clone())
        .or_else(|| from_env("http_proxy"))
        .or_else(|| from_env("proxy"));
    (https.map(ProxyUrl), http.map(ProxyUrl))
}

/// pnpm's default: three requests per worker thread, between 16 and 64.
fn default_network_concurrency(env: &HashMap<String, String>) -> u32 {
    let parallelism = std::thread::available_parallelism().map_or(1, |n| n.get() as u32);
    let workers = match (env.get("PNPM_MAX_WORKERS"), env.get("PNPM_WORKERS")) {
        (Some(max), _) => max.parse().unwrap_or(1),
        (None, Some(idle)) => {
            let idle: i64 = idle.parse().unwrap_or(0);
            (parallelism.saturating_sub(idle.unsigned_abs() as u32)).max(2) - 1
        }
        (None, None) => parallelism.saturating_sub(1).max(1),
    };
    (workers.saturating_mul(3)).clamp(16, 64)
}

fn network_settings(
    sources: &Sources<'_>,
    reader: &SettingReader<'_>,
) -> Result<NetworkSettings, ConfigError> {
    let millis = |key: &str, default: u64| reader.number(key, default).map(Duration::from_millis);
    let (https_proxy, http_proxy) = proxies(reader, sources.env);
    let no_proxy = reader.string("noproxy").or_else(|| {
        ["no_proxy", "NO_PROXY"].iter().find_map(|name| sources.env.get(*name).cloned())
    });
    Ok(NetworkSettings {
        fetch_retries: reader.u32("fetch-retries", 2)?,
        fetch_retry_factor: reader.u32("fetch-retry-factor", 10)?,
        fetch_retry_mintimeout: millis("fetch-retry-mintimeout", 10_000)?,
        fetch_retry_maxtimeout: millis("fetch-retry-maxtimeout", 60_000)?,
        fetch_timeout: millis("fetch-timeout", 60_000)?,
        network_concurrency: reader
            .u32("network-concurrency", default_network_concurrency(sources.env))?,
        max_sockets: reader.u32("maxsockets", 50)?,
        strict_ssl: reader.bool("strict-ssl", true)?,
        always_auth: reader.bool("always-auth", false)?,
        ca: reader.list("ca")?.unwrap_or_default(),
        cafile: reader.path("cafile"),
        https_proxy,
        http_proxy,
        no_proxy,
        local_address: reader.string("local-address"),
        user_agent: reader.string("user-agent"),
        offline: reader.bool("offline", false)?,
        prefer_offline: reader.bool("prefer-offline", false)?,
        registry_tls: registry_tls(sources),
    })
}
