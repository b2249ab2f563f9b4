use std::borrow::Cow;
use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use lade_types::Integrity;
use miette::Diagnostic;
use thiserror::Error;

use crate::{AuthScheme, DisplayUrl};

/// Everything that can go wrong talking to a registry. URLs are shown without credentials or
/// query strings, and no variant ever holds a token.
#[derive(Debug, Error)]
pub enum RegistryError {
    #[error("GET {url}: {status} {reason} (while fetching {package})", reason = status_reason(*status))]
    HttpStatus { package: String, url: DisplayUrl, status: u16, auth: Option<AuthScheme> },

    #[error("GET {url} timed out after {timeout:?} (while fetching {package})")]
    Timeout { package: String, url: DisplayUrl, timeout: Duration },

    #[error("GET {url} failed (while fetching {package})")]
    Network {
        package: String,
        url: DisplayUrl,
        #[source]
        source: reqwest::Error,
    },

    #[error(
        "the tarball of {package} from {url} has {received} bytes, but Content-Length said {expected}"
    )]
    BadTarballSize { package: String, url: DisplayUrl, expected: u64, received: u64 },

    #[error("the tarball of {package} from {url} is larger than the {limit}-byte limit")]
    TarballTooLarge { package: String, url: DisplayUrl, limit: u64 },

    #[error("the tarball of {package} from {url} has integrity {actual}, expected {expected}")]
    IntegrityMismatch { package: String, url: DisplayUrl, expected: Integrity, actual: Integrity },

    #[error("the registry sent invalid metadata for {package} at {url}")]
    BrokenMetadata {
        package: String,
        url: DisplayUrl,
        #[source]
        source: serde_json::Error,
    },

    #[error("the registry answered 304 Not Modified for {package} at {url}, but nothing is cached")]
    NotModifiedWithoutCache { package: String, url: DisplayUrl },

    #[error(
        "{package} is missing from the store and cannot be downloaded from {url} in offline mode"
    )]
    OfflineTarball { package: String, url: DisplayUrl },

    #[error("no cached metadata for {package} and offline mode forbids fetching it{}", cache_note(path.as_ref()))]
    OfflineMetadata { package: String, path: Option<PathBuf> },

    #[error("the {scheme} credential cannot be sent in an HTTP header")]
    InvalidAuthToken { scheme: AuthScheme },

    #[error("invalid CA certificate in {origin}: {reason}")]
    InvalidCa { origin: String, reason: String },

    #[error("could not read a CA file")]
    CaFile(#[source] std::io::Error),

    #[error("invalid proxy {url}: {reason}")]
    InvalidProxy { url: DisplayUrl, reason: String },

    #[error("could not set up the HTTP client")]
    HttpClient(#[source] reqwest::Error),

    #[error("{url} cannot be used as a registry URL")]
    InvalidRegistryUrl { url: DisplayUrl },
}

fn status_reason(status: u16) -> &'static str {
    reqwest::StatusCode::from_u16(status).ok().and_then(|s| s.canonical_reason()).unwrap_or("")
}

fn cache_note(path: Option<&PathBuf>) -> String {
    path.map(|path| format!(" (looked in {})", path.display())).unwrap_or_default()
}

impl RegistryError {
    /// The stable code: pnpm's `ERR_PNPM_…` name where pnpm reports the same failure.
    pub fn error_code(&self) -> Cow<'static, str> {
        Cow::Borrowed(match self {
            RegistryError::HttpStatus { status, .. } => {
                return Cow::Owned(format!("ERR_PNPM_FETCH_{status}"));
            }
            RegistryError::Timeout { .. } => "ERR_LADE_FETCH_TIMEOUT",
            RegistryError::Network { .. } => "ERR_LADE_FETCH_NETWORK",
            RegistryError::BadTarballSize { .. } => "ERR_PNPM_BAD_TARBALL_SIZE",
            RegistryError::TarballTooLarge { .. } => "ERR_PNPM_TARBALL_TOO_LARGE",
            RegistryError::IntegrityMismatch { .. } => "ERR_PNPM_TARBALL_INTEGRITY",
            RegistryError::BrokenMetadata { .. } => "ERR_PNPM_BROKEN_METADATA_JSON",
            RegistryError::NotModifiedWithoutCache { .. } => {
                "ERR_PNPM_META_NOT_MODIFIED_WITHOUT_CACHE"
            }
            RegistryError::OfflineTarball { .. } => "ERR_PNPM_NO_OFFLINE_TARBALL",
            RegistryError::OfflineMetadata { .. } => "ERR_PNPM_NO_OFFLINE_META",
            RegistryError::InvalidAuthToken { .. } => "ERR_LADE_INVALID_AUTH_TOKEN",
            RegistryError::InvalidCa { .. } => "ERR_PNPM_INVALID_CA",
            RegistryError::CaFile(_) => "ERR_LADE_CA_FILE",
            RegistryError::InvalidProxy { .. } => "ERR_PNPM_INVALID_PROXY",
            RegistryError::HttpClient(_) => "ERR_LADE_HTTP_CLIENT",
            RegistryError::InvalidRegistryUrl { .. } => "ERR_LADE_INVALID_REGISTRY_URL",
        })
    }

    /// Whether another attempt may succeed: server errors, throttling, timeouts, broken
    /// connections and corrupt downloads. pnpm retries the same set (408, 409, 420, 429, 5xx).
    pub fn is_retryable(&self) -> bool {
        match self {
            RegistryError::HttpStatus { status, .. } => {
                matches!(status, 408 | 409 | 420 | 429) || (500..600).contains(status)
            }
            RegistryError::Timeout { .. }
            | RegistryError::Network { .. }
            | RegistryError::BadTarballSize { .. }
            | RegistryError::IntegrityMismatch { .. }
            | RegistryError::BrokenMetadata { .. } => true,
            _ => false,
        }
    }

    fn help_text(&self) -> String {
        match self {
            RegistryError::HttpStatus { package, url, status, auth } => {
                let sent = match auth {
                    Some(scheme) => format!("an authorization header was sent ({scheme} [hidden])"),
                    None => "no authorization header was sent".to_owned(),
                };
                match status {
                    401 | 403 => {
                        format!("check the auth token for {} in .npmrc; {sent}", origin(url))
                    }
                    404 => format!(
                        "{package} is not in this registry, or you have no permission to fetch it; {sent}"
                    ),
                    _ => "the registry is failing; try again later, or raise fetch-retries"
                        .to_owned(),
                }
            }
            RegistryError::Timeout { .. } => {
                "check the network, or raise fetch-timeout in .npmrc".to_owned()
            }
            RegistryError::Network { .. } => {
                "check the network connection and the registry, proxy and TLS settings".to_owned()
            }
            RegistryError::BadTarballSize { .. } => {
                "the download was cut short; try again".to_owned()
            }
            RegistryError::TarballTooLarge { .. } => {
                "the registry sent far more data than any package should hold".to_owned()
            }
            RegistryError::IntegrityMismatch { .. } => {
                "the download does not match the lockfile's \
                integrity: if the new content is trusted (a republish), refresh the lockfile; \
                otherwise treat it as possible tampering"
                    .to_owned()
            }
            RegistryError::BrokenMetadata { .. } => {
                "the registry sent malformed JSON; try again later".to_owned()
            }
            RegistryError::NotModifiedWithoutCache { .. } => {
                "a proxy may be caching wrongly; clear the metadata cache and try again".to_owned()
            }
            RegistryError::OfflineTarball { .. } | RegistryError::OfflineMetadata { .. } => {
                "run once without --offline so the package can be downloaded".to_owned()
            }
            RegistryError::InvalidAuthToken { .. } => {
                "the credential in .npmrc contains characters such as newlines; fix it".to_owned()
            }
            RegistryError::InvalidCa { .. } | RegistryError::CaFile(_) => {
                "cafile and ca must hold PEM certificates (-----BEGIN CERTIFICATE-----)".to_owned()
            }
            RegistryError::InvalidProxy { .. } => {
                "proxy settings must be URLs such as http://proxy.example.test:8080".to_owned()
            }
            RegistryError::HttpClient(_) => "check the TLS and proxy settings".to_owned(),
            RegistryError::InvalidRegistryUrl { .. } => {
                "registry URLs look like https://registry.example.test/".to_owned()
            }
        }
    }
}

fn origin(url: &DisplayUrl) -> String {
    url::Url::parse(url.as_str())
        .map(|u| u.origin().ascii_serialization())
        .unwrap_or_else(|_| url.to_string())
}

impl Diagnostic for RegistryError {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.error_code()))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.help_text()))
    }
}
