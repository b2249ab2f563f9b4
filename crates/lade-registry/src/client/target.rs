use std::time::Duration;

use reqwest::header::{AUTHORIZATION, HeaderMap, RETRY_AFTER};
use reqwest::{RequestBuilder, Response};
use tokio::sync::SemaphorePermit;
use url::Url;

use super::RegistryClient;
use super::retry::Failure;
use crate::{AuthHeader, AuthScheme, DisplayUrl, RegistryError};

/// What one request is for: enough to send it and to word its errors.
#[derive(Clone, Copy)]
pub(crate) struct Target<'a> {
    pub url: &'a Url,
    pub package: &'a str,
    pub auth: Option<&'a AuthHeader>,
}

impl Target<'_> {
    pub fn display_url(&self) -> DisplayUrl {
        DisplayUrl::new(self.url)
    }

    /// A transport error: a timeout, or anything else the connection did wrong. The error is
    /// stripped of its URL, which could carry credentials.
    pub fn transport_error(&self, error: reqwest::Error, timeout: Duration) -> RegistryError {
        let (package, url) = (self.package.to_owned(), self.display_url());
        if error.is_timeout() {
            RegistryError::Timeout { package, url, timeout }
        } else {
            RegistryError::Network { package, url, source: error.without_url() }
        }
    }

    /// The scheme sent: an explicit header, or Basic from credentials embedded in the URL, which
    /// the HTTP client turns into a header.
    fn auth_scheme(&self) -> Option<AuthScheme> {
        let in_url = !self.url.username().is_empty() || self.url.password().is_some();
        self.auth.map(AuthHeader::scheme).or(in_url.then_some(AuthScheme::Basic))
    }

    pub fn status_failure(&self, response: &Response) -> Failure {
        Failure {
            error: RegistryError::HttpStatus {
                package: self.package.to_owned(),
                url: self.display_url(),
                status: response.status().as_u16(),
                auth: self.auth_scheme(),
            },
            retry_after: retry_after(response.headers()),
        }
    }
}

/// `Retry-After` in seconds; the HTTP-date form is rare from registries and is ignored.
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let seconds = headers.get(RETRY_AFTER)?.to_str().ok()?.trim().parse::<u64>().ok()?;
    Some(Duration::from_secs(seconds))
}

impl RegistryClient {
    /// Takes an in-flight slot and sends a GET. The slot must be held until the body is read, so
    /// the cap bounds real connections.
    pub(crate) async fn send(
        &self,
        target: Target<'_>,
        customize: impl FnOnce(RequestBuilder) -> RequestBuilder,
    ) -> Result<(Option<SemaphorePermit<'_>>, Response), Failure> {
        // `acquire` fails only on a closed semaphore, and this one is never closed.
        let permit = self.in_flight.acquire().await.ok();
        let mut request = customize(self.http.get(target.url.clone()));
        if let Some(auth) = target.auth {
            request = request.header(AUTHORIZATION, auth.header_value().clone());
        }
        let response = request.send().await.map_err(|e| target.transport_error(e, self.timeout))?;
        Ok((permit, response))
    }
}
