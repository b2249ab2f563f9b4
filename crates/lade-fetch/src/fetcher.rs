use bytes::Bytes;
use lade_registry::{AuthHeader, RegistryClient};
use lade_store::{AddedPackage, StoreDir};
use tracing::instrument;

use crate::{FetchError, TarballSource};

/// Downloads tarballs and adds them to one store.
pub struct Fetcher<'a> {
    client: RegistryClient,
    store: &'a StoreDir,
}

impl<'a> Fetcher<'a> {
    pub fn new(client: RegistryClient, store: &'a StoreDir) -> Self {
        Fetcher { client, store }
    }

    pub fn store(&self) -> &StoreDir {
        self.store
    }

    /// The tarball's bytes, checked against its integrity while they arrive (a mismatch is
    /// retried as pnpm retries it, then reported). A source without integrity is taken as is,
    /// which pnpm also does for bare tarball URLs.
    #[instrument(skip_all, fields(package = %source.package_id))]
    pub async fn download(
        &self,
        source: &TarballSource,
        auth: Option<&AuthHeader>,
    ) -> Result<Bytes, FetchError> {
        let bytes = match &source.integrity {
            Some(integrity) => {
                self.client
                    .fetch_verified_tarball(&source.url, auth, &source.package_id, integrity)
                    .await?
            }
            None => self.client.fetch_tarball(&source.url, auth, &source.package_id).await?,
        };
        Ok(bytes)
    }

    /// Extracts verified tarball bytes into the store. CPU-bound: run it on a worker pool, not
    /// on the async runtime.
    pub fn extract(&self, package_id: &str, tarball: &[u8]) -> Result<AddedPackage, FetchError> {
        self.store
            .add_tarball(tarball)
            .map_err(|source| FetchError::Store { package: package_id.to_owned(), source })
    }
}

#[cfg(test)]
mod tests;
