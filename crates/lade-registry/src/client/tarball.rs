use bytes::{Bytes, BytesMut};
use lade_types::Integrity;
use reqwest::header::ACCEPT_ENCODING;
use url::Url;

use super::RegistryClient;
use super::retry::Failure;
use super::target::Target;
use crate::{AuthHeader, RegistryError};

impl RegistryClient {
    /// Downloads a tarball. Server errors, throttling, timeouts, resets and short bodies are
    /// retried; 401/403/404 are not. `package` names the download in errors.
    pub async fn fetch_tarball(
        &self,
        url: &Url,
        auth: Option<&AuthHeader>,
        package: &str,
    ) -> Result<Bytes, RegistryError> {
        self.download(Target { url, package, auth }, None).await
    }

    /// Like [`RegistryClient::fetch_tarball`], hashing the bytes as they arrive and retrying a
    /// download that does not match `integrity`, as pnpm does.
    pub async fn fetch_verified_tarball(
        &self,
        url: &Url,
        auth: Option<&AuthHeader>,
        package: &str,
        integrity: &Integrity,
    ) -> Result<Bytes, RegistryError> {
        self.download(Target { url, package, auth }, Some(integrity)).await
    }

    async fn download(
        &self,
        target: Target<'_>,
        integrity: Option<&Integrity>,
    ) -> Result<Bytes, RegistryError> {
        if self.offline {
            return Err(RegistryError::OfflineTarball {
                package: target.package.to_owned(),
                url: target.display_url(),
            });
        }
        self.with_retries(|| self.download_once(target, integrity)).await
    }

    async fn download_once(
        &self,
        target: Target<'_>,
        integrity: Option<&Integrity>,
    ) -> Result<Bytes, Failure> {
        // A tarball is already compressed; asking for identity keeps Content-Length meaningful.
        let (_permit, mut response) =
            self.send(target, |request| request.header(ACCEPT_ENCODING, "identity")).await?;
        if !response.status().is_success() {
            return Err(target.status_failure(&response));
        }
        let too_large = || RegistryError::TarballTooLarge {
            package: target.package.to_owned(),
            url: target.display_url(),
            limit: self.max_tarball_size,
        };
        let declared = response.content_length();
        if declared.is_some_and(|len| len > self.max_tarball_size) {
            return Err(too_large().into());
        }
        let capacity = declared.unwrap_or(0).min(self.max_tarball_size);
        let mut body = BytesMut::with_capacity(usize::try_from(capacity).unwrap_or(0));
        let mut checker = integrity.map(Integrity::checker);
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    if (body.len() + chunk.len()) as u64 > self.max_tarball_size {
                        return Err(too_large().into());
                    }
                    if let Some(checker) = &mut checker {
                        checker.update(&chunk);
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(error) => {
                    return Err(self.body_error(target, error, declared, body.len() as u64).into());
                }
            }
        }
        if let (Some(checker), Some(expected)) = (checker, integrity) {
            checker.finish().map_err(|actual| RegistryError::IntegrityMismatch {
                package: target.package.to_owned(),
                url: target.display_url(),
                expected: expected.clone(),
                actual,
            })?;
        }
        Ok(body.freeze())
    }

    /// A body that ended early is reported by size, as pnpm's `BAD_TARBALL_SIZE`; a stalled one
    /// as a timeout.
    fn body_error(
        &self,
        target: Target<'_>,
        error: reqwest::Error,
        declared: Option<u64>,
        received: u64,
    ) -> RegistryError {
        match declared {
            Some(expected) if !error.is_timeout() && received < expected => {
                RegistryError::BadTarballSize {
                    package: target.package.to_owned(),
                    url: target.display_url(),
                    expected,
                    received,
                }
            }
            _ => target.transport_error(error, self.timeout),
        }
    }
}
