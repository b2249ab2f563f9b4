use std::sync::Arc;
use std::time::Duration;

use reqwest::{Certificate, Proxy, redirect};
use tokio::sync::Semaphore;

use crate::{NetworkSettings, ProxySettings, RegistryError, RetryPolicy};

mod dns;
mod packument;
mod retry;
mod tarball;
mod target;

/// pnpm follows up to 20 redirects.
const MAX_REDIRECTS: usize = 20;

/// An HTTP client for npm registries: keep-alive connections (HTTP/1.1, or HTTP/2 where the
/// server offers it over TLS), a cap on requests in flight, retries with exponential backoff,
/// and coded errors that never show a credential.
#[derive(Debug)]
pub struct RegistryClient {
    http: reqwest::Client,
    retry: RetryPolicy,
    timeout: Duration,
    offline: bool,
    max_tarball_size: u64,
    in_flight: Semaphore,
}

impl RegistryClient {
    pub fn new(settings: NetworkSettings) -> Result<Self, RegistryError> {
        let mut builder = reqwest::Client::builder()
            .user_agent(&settings.user_agent)
            .timeout(settings.timeout)
            .connect_timeout(settings.timeout)
            .pool_max_idle_per_host(settings.max_sockets)
            .redirect(redirect::Policy::limited(MAX_REDIRECTS))
            .dns_resolver(Arc::new(dns::SharedResolver::default()))
            .danger_accept_invalid_certs(!settings.strict_ssl);
        for certificate in extra_roots(&settings)? {
            builder = builder.add_root_certificate(certificate);
        }
        builder = with_proxy(builder, settings.proxy.as_ref())?;
        Ok(RegistryClient {
            http: builder.build().map_err(RegistryError::HttpClient)?,
            retry: settings.retry,
            timeout: settings.timeout,
            offline: settings.offline,
            max_tarball_size: settings.max_tarball_size,
            in_flight: Semaphore::new(settings.network_concurrency.max(1)),
        })
    }

    pub fn is_offline(&self) -> bool {
        self.offline
    }
}

fn extra_roots(settings: &NetworkSettings) -> Result<Vec<Certificate>, RegistryError> {
    let mut roots = Vec::new();
    for path in &settings.ca_files {
        let pem = fs_err::read(path).map_err(RegistryError::CaFile)?;
        roots.extend(parse_pem(&pem, &path.display().to_string())?);
    }
    for (index, pem) in settings.ca_certs.iter().enumerate() {
        roots.extend(parse_pem(pem.as_bytes(), &format!("the ca setting (entry {})", index + 1))?);
    }
    Ok(roots)
}

/// rustls parses certificates lazily, so text without PEM armour is rejected here rather than
/// silently trusting nothing.
fn parse_pem(pem: &[u8], origin: &str) -> Result<Vec<Certificate>, RegistryError> {
    let invalid = |reason: String| RegistryError::InvalidCa { origin: origin.to_owned(), reason };
    let armoured = pem.windows(27).any(|w| w == b"-----BEGIN CERTIFICATE-----");
    if !armoured {
        return Err(invalid("no -----BEGIN CERTIFICATE----- block".into()));
    }
    Certificate::from_pem_bundle(pem).map_err(|e| invalid(e.to_string()))
}

fn with_proxy(
    mut builder: reqwest::ClientBuilder,
    proxy: Option<&ProxySettings>,
) -> Result<reqwest::ClientBuilder, RegistryError> {
    let Some(proxy) = proxy.filter(|p| p.https_proxy.is_some() || p.http_proxy.is_some()) else {
        return Ok(builder.no_proxy());
    };
    let no_proxy = proxy.no_proxy.as_deref().and_then(reqwest::NoProxy::from_string);
    for (url, for_https) in [(&proxy.https_proxy, true), (&proxy.http_proxy, false)] {
        let Some(url) = url else { continue };
        let invalid = |reason: String| RegistryError::InvalidProxy {
            url: crate::DisplayUrl::new(url),
            reason,
        };
        if !matches!(url.scheme(), "http" | "https") {
            return Err(invalid(format!("unsupported scheme {}", url.scheme())));
        }
        let route = if for_https { Proxy::https(url.as_str()) } else { Proxy::http(url.as_str()) };
        let route = route.map_err(|e| invalid(e.without_url().to_string()))?;
        builder = builder.proxy(route.no_proxy(no_proxy.clone()));
    }
    Ok(builder)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_ca_text_without_pem_armour() {
        let settings = NetworkSettings {
            ca_certs: vec!["/etc/ssl/cert.pem".into()],
            ..NetworkSettings::default()
        };
        let error = RegistryClient::new(settings).unwrap_err();
        assert_eq!(error.error_code(), "ERR_PNPM_INVALID_CA");
    }

    #[test]
    fn names_a_missing_ca_file() {
        let settings = NetworkSettings {
            ca_files: vec!["/nonexistent/ca.pem".into()],
            ..NetworkSettings::default()
        };
        let error = RegistryClient::new(settings).unwrap_err();
        assert_eq!(error.error_code(), "ERR_LADE_CA_FILE");
        assert!(format!("{:?}", miette::Report::new(error)).contains("/nonexistent/ca.pem"));
    }

    #[test]
    fn reports_client_setup_failures() {
        let settings =
            NetworkSettings { user_agent: "lade\n1".into(), ..NetworkSettings::default() };
        assert_eq!(RegistryClient::new(settings).unwrap_err().error_code(), "ERR_LADE_HTTP_CLIENT");
    }

    #[test]
    fn rejects_socks_proxies() {
        let proxy = ProxySettings {
            https_proxy: Some(url::Url::parse("socks5://user:pw@proxy.example.test:1080").unwrap()),
            ..ProxySettings::default()
        };
        let settings = NetworkSettings { proxy: Some(proxy), ..NetworkSettings::default() };
        let error = RegistryClient::new(settings).unwrap_err();
        assert_eq!(error.error_code(), "ERR_PNPM_INVALID_PROXY");
        assert!(!error.to_string().contains("pw"));
    }
}
