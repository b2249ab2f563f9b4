use std::collections::BTreeMap;

use crate::catalog::Catalog;
use crate::{PackageSpec, RequiredAuth};

mod dir;

/// Everything a test registry serves: packages built from specs, raw packument documents, raw
/// files at arbitrary paths, and an optional credential every request must carry.
#[derive(Clone, Debug, Default)]
pub struct RegistryFixture {
    packages: BTreeMap<String, Vec<PackageSpec>>,
    raw_packuments: BTreeMap<String, String>,
    files: BTreeMap<String, Vec<u8>>,
    required_auth: Option<RequiredAuth>,
}

impl RegistryFixture {
    pub fn new() -> Self {
        RegistryFixture::default()
    }

    /// Publish a version; a spec with the same name and version replaces the earlier one.
    pub fn package(mut self, spec: PackageSpec) -> Self {
        let versions = self.packages.entry(spec.name().to_owned()).or_default();
        versions.retain(|existing| existing.version() != spec.version());
        versions.push(spec);
        self
    }

    /// Serve `document` verbatim as the packument of `name` (full and abbreviated alike), after
    /// replacing every `{{registry}}` with the server's URL (which ends with `/`).
    pub fn raw_packument(mut self, name: &str, document: impl Into<String>) -> Self {
        self.raw_packuments.insert(name.to_owned(), document.into());
        self
    }

    /// Serve `bytes` at `path` (for example `/evil/-/evil-1.0.0.tgz`), with no packument entry.
    pub fn file(mut self, path: &str, bytes: impl Into<Vec<u8>>) -> Self {
        let path = if path.starts_with('/') { path.to_owned() } else { format!("/{path}") };
        self.files.insert(path, bytes.into());
        self
    }

    /// Answer 401 to every request that lacks this credential.
    pub fn require_auth(mut self, auth: RequiredAuth) -> Self {
        self.required_auth = Some(auth);
        self
    }

    pub(crate) fn required_auth(&self) -> Option<&RequiredAuth> {
        self.required_auth.as_ref()
    }

    pub(crate) fn build(&self, registry_url: &str) -> Catalog {
        let mut catalog = Catalog::default();
        for versions in self.packages.values() {
            catalog.add_package(registry_url, versions);
        }
        for (name, document) in &self.raw_packuments {
            catalog.add_raw_packument(name, document.replace("{{registry}}", registry_url));
        }
        for (path, bytes) in &self.files {
            catalog.add_file(path, bytes.clone(), "application/octet-stream");
        }
        catalog
    }
}
