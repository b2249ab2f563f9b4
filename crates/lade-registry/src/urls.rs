use lade_types::{PkgName, Version};
use url::Url;

use crate::{DisplayUrl, RegistryError};

/// Where the registry serves a version's tarball, by the npm convention pnpm also uses when the
/// lockfile records only an integrity: `<registry><name>/-/<name without scope>-<version>.tgz`,
/// with any `+build` suffix dropped from the version.
pub fn tarball_url(
    registry: &Url,
    name: &PkgName,
    version: &Version,
) -> Result<Url, RegistryError> {
    let unscoped = name.as_str().rsplit('/').next().unwrap_or(name.as_str());
    let version = version.as_str().split('+').next().unwrap_or(version.as_str());
    join(registry, &format!("{name}/-/{unscoped}-{version}.tgz"))
}

/// Where the registry serves a package's metadata: `<registry><name>`, with a scoped name's `/`
/// encoded (`@scope%2Fname`) as pnpm sends it.
pub fn packument_url(registry: &Url, name: &PkgName) -> Result<Url, RegistryError> {
    let encoded = match name.as_str().strip_prefix('@') {
        Some(scoped) => format!("@{}", encode_uri_component(scoped)),
        None => encode_uri_component(name.as_str()),
    };
    join(registry, &encoded)
}

fn join(registry: &Url, path: &str) -> Result<Url, RegistryError> {
    let invalid = || RegistryError::InvalidRegistryUrl { url: DisplayUrl::new(registry) };
    if registry.cannot_be_a_base() || !matches!(registry.scheme(), "http" | "https") {
        return Err(invalid());
    }
    let mut base = registry.clone();
    if !base.path().ends_with('/') {
        base.set_path(&format!("{}/", base.path()));
    }
    base.join(path).map_err(|_| invalid())
}

/// JavaScript's `encodeURIComponent`: everything but `A-Z a-z 0-9 - _ . ! ~ * ' ( )` escaped.
fn encode_uri_component(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(text: &str) -> PkgName {
        PkgName::parse(text).unwrap()
    }

    #[test]
    fn tarball_urls_follow_the_npm_convention() {
        let registry = Url::parse("https://registry.example.test/npm").unwrap();
        let version = Version::parse("1.2.3+build.5").unwrap();
        assert_eq!(
            tarball_url(&registry, &name("@scope/pkg"), &version).unwrap().as_str(),
            "https://registry.example.test/npm/@scope/pkg/-/pkg-1.2.3.tgz"
        );
        assert_eq!(
            tarball_url(&registry, &name("left-pad"), &Version::parse("1.0.0").unwrap())
                .unwrap()
                .as_str(),
            "https://registry.example.test/npm/left-pad/-/left-pad-1.0.0.tgz"
        );
    }

    #[test]
    fn packument_urls_encode_the_scope_separator() {
        let registry = Url::parse("https://registry.example.test/").unwrap();
        assert_eq!(
            packument_url(&registry, &name("@scope/pkg")).unwrap().as_str(),
            "https://registry.example.test/@scope%2Fpkg"
        );
        assert_eq!(
            packument_url(&registry, &name("a")).unwrap().as_str(),
            "https://registry.example.test/a"
        );
    }

    #[test]
    fn rejects_registries_that_are_not_http() {
        let error =
            packument_url(&Url::parse("mailto:x@example.test").unwrap(), &name("a")).unwrap_err();
        assert_eq!(error.error_code(), "ERR_LADE_INVALID_REGISTRY_URL");
    }
}
