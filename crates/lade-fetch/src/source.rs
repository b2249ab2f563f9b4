use lade_registry::tarball_url;
use lade_types::{Integrity, PkgName, Version};
use url::Url;

use crate::FetchError;

/// Where one package's tarball comes from and what its bytes must hash to.
#[derive(Debug, Clone)]
pub struct TarballSource {
    /// `name@version`, for messages and the store index key.
    pub package_id: String,
    pub url: Url,
    pub integrity: Option<Integrity>,
}

impl TarballSource {
    /// A registry package the lockfile records only by integrity: the URL follows npm's
    /// convention under the registry that serves the package's scope.
    pub fn from_registry(
        registry: &Url,
        name: &PkgName,
        version: &Version,
        integrity: Integrity,
    ) -> Result<Self, FetchError> {
        Ok(TarballSource {
            package_id: format!("{name}@{version}"),
            url: tarball_url(registry, name, version)?,
            integrity: Some(integrity),
        })
    }

    /// A `resolution.tarball` from the lockfile: absolute, or relative to the registry as pnpm
    /// writes tarballs it resolved from a registry that serves them elsewhere.
    pub fn from_tarball_field(
        package_id: String,
        registry: &Url,
        tarball: &str,
        integrity: Option<Integrity>,
    ) -> Result<Self, FetchError> {
        let url = Url::parse(tarball).or_else(|_| registry.join(tarball)).map_err(|_| {
            FetchError::InvalidTarballUrl { package: package_id.clone(), url: tarball.to_owned() }
        })?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(FetchError::InvalidTarballUrl {
                package: package_id,
                url: tarball.to_owned(),
            });
        }
        Ok(TarballSource { package_id, url, integrity })
    }
}
