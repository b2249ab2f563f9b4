use indexmap::IndexMap;
use lade_manifest::{BundledDependencies, PeerDependencyMeta};
use lade_types::{PkgName, Version};
use serde::Deserialize;

use crate::{DependencyRef, Resolution};

/// A `packages` entry: what is known about a package independently of its peers.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PackageInfo {
    pub resolution: Resolution,
    #[serde(default)]
    pub id: Option<String>,
    /// Set for packages not from the registry, whose key does not carry a semver version.
    #[serde(default)]
    pub name: Option<PkgName>,
    #[serde(default)]
    pub version: Option<Version>,
    #[serde(default)]
    pub engines: Option<IndexMap<String, String>>,
    #[serde(default)]
    pub cpu: Option<Vec<String>>,
    #[serde(default)]
    pub os: Option<Vec<String>>,
    #[serde(default)]
    pub libc: Option<Vec<String>>,
    #[serde(default)]
    pub deprecated: Option<String>,
    #[serde(default)]
    pub has_bin: Option<bool>,
    #[serde(default)]
    pub prepare: Option<bool>,
    #[serde(default)]
    pub requires_build: Option<bool>,
    #[serde(default)]
    pub bundled_dependencies: Option<BundledDependencies>,
    #[serde(default)]
    pub peer_dependencies: Option<IndexMap<PkgName, String>>,
    #[serde(default)]
    pub peer_dependencies_meta: Option<IndexMap<PkgName, PeerDependencyMeta>>,
}

/// A `snapshots` entry: one package in one peer context.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SnapshotEntry {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub dependencies: Option<IndexMap<PkgName, DependencyRef>>,
    #[serde(default)]
    pub optional_dependencies: Option<IndexMap<PkgName, DependencyRef>>,
    #[serde(default)]
    pub transitive_peer_dependencies: Option<Vec<String>>,
    /// Only reachable through optional dependencies: a failed install of it is not an error.
    #[serde(default)]
    pub optional: Option<bool>,
    #[serde(default)]
    pub patched: Option<bool>,
}

impl SnapshotEntry {
    /// `dependencies` then `optionalDependencies`, as alias → reference.
    pub fn all_dependencies(&self) -> impl Iterator<Item = (&PkgName, &DependencyRef)> {
        self.dependencies.iter().flatten().chain(self.optional_dependencies.iter().flatten())
    }
}
