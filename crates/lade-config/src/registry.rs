use std::collections::BTreeMap;
use std::fmt;

use lade_types::PkgName;
use url::Url;

/// A registry base URL: absolute http(s), always ending with `/` so that package names can be
/// appended. Debug and Display hide a password embedded in the URL.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RegistryUrl(Url);

/// Why a registry URL was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidRegistryUrl;

impl RegistryUrl {
    pub fn parse(text: &str) -> Result<Self, InvalidRegistryUrl> {
        let mut url = Url::parse(text.trim()).map_err(|_| InvalidRegistryUrl)?;
        if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
            return Err(InvalidRegistryUrl);
        }
        if !url.path().ends_with('/') {
            let path = format!("{}/", url.path());
            url.set_path(&path);
        }
        Ok(RegistryUrl(url))
    }

    pub fn as_url(&self) -> &Url {
        &self.0
    }

    /// The full URL, credentials included: for requests, never for messages.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

/// Prints a URL with its password replaced by `***`.
pub(crate) fn fmt_redacted(url: &Url, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    if url.password().is_none() {
        return f.write_str(url.as_str());
    }
    let mut shown = url.clone();
    // Setting a password only fails for URLs that cannot have one, which this one has.
    let _ = shown.set_password(Some("***"));
    f.write_str(shown.as_str())
}

impl fmt::Debug for RegistryUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt_redacted(&self.0, f)
    }
}

impl fmt::Display for RegistryUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt_redacted(&self.0, f)
    }
}

/// The default registry and the per-scope ones (`@scope:registry=`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registries {
    pub default: RegistryUrl,
    /// Keyed by scope with its `@`, as written in `.npmrc`.
    pub scoped: BTreeMap<String, RegistryUrl>,
}

impl Registries {
    /// The registry a package is fetched from: its scope's registry, else the default.
    pub fn for_package(&self, name: &PkgName) -> &RegistryUrl {
        name.scope()
            .and_then(|scope| self.scoped.get(&format!("@{scope}")))
            .unwrap_or(&self.default)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_to_a_trailing_slash() {
        let url = RegistryUrl::parse("https://registry.example.test/npm").unwrap();
        assert_eq!(url.as_str(), "https://registry.example.test/npm/");
        let url = RegistryUrl::parse("http://registry.example.test:4873").unwrap();
        assert_eq!(url.as_str(), "http://registry.example.test:4873/");
    }

    #[test]
    fn refuses_non_http_urls() {
        for text in ["registry.example.test", "file:///tmp/x", "ftp://h/", ""] {
            assert!(RegistryUrl::parse(text).is_err(), "{text}");
        }
    }

    #[test]
    fn hides_passwords() {
        let url = RegistryUrl::parse("https://me:hunter2@registry.example.test/").unwrap();
        assert_eq!(format!("{url} {url:?}").matches("hunter2").count(), 0);
        assert!(url.as_str().contains("hunter2"));
    }

    #[test]
    fn picks_the_scope_registry() {
        let default = RegistryUrl::parse("https://registry.example.test/").unwrap();
        let corp = RegistryUrl::parse("https://corp.example.test/").unwrap();
        let registries = Registries {
            default: default.clone(),
            scoped: [("@corp".to_owned(), corp.clone())].into(),
        };
        let name = |text| PkgName::parse(text).unwrap();
        assert_eq!(registries.for_package(&name("@corp/x")), &corp);
        assert_eq!(registries.for_package(&name("@other/x")), &default);
        assert_eq!(registries.for_package(&name("corp")), &default);
    }
}
