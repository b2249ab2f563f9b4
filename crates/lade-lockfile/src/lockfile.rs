mod importer;
mod package;
mod settings;

use indexmap::IndexMap;
use lade_types::DepPath;
use serde::Deserialize;

pub use importer::{ImporterDependencies, ImporterDependency, ImporterId, ProjectSnapshot};
pub use package::{PackageInfo, SnapshotEntry};
pub use settings::{CatalogEntry, LockfileSettings, LockfileVersion, PatchedDependency};

/// A pnpm-lock.yaml (v9) as written. Maps keep the file's order; [`Lockfile::to_yaml_string`]
/// writes them in pnpm's order.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Lockfile {
    pub lockfile_version: LockfileVersion,
    #[serde(default)]
    pub settings: Option<LockfileSettings>,
    #[serde(default)]
    pub catalogs: Option<IndexMap<String, IndexMap<String, CatalogEntry>>>,
    #[serde(default)]
    pub overrides: Option<IndexMap<String, String>>,
    #[serde(default)]
    pub package_extensions_checksum: Option<String>,
    #[serde(default)]
    pub pnpmfile_checksum: Option<String>,
    #[serde(default)]
    pub patched_dependencies: Option<IndexMap<String, PatchedDependency>>,
    #[serde(default)]
    pub importers: IndexMap<ImporterId, ProjectSnapshot>,
    /// Keyed by dependency path without peer suffix (`name@version`).
    #[serde(default)]
    pub packages: IndexMap<DepPath, PackageInfo>,
    /// Keyed by dependency path with peer suffix.
    #[serde(default)]
    pub snapshots: IndexMap<DepPath, SnapshotEntry>,
    #[serde(default)]
    pub ignored_optional_dependencies: Option<Vec<String>>,
    #[serde(default)]
    pub time: Option<IndexMap<String, String>>,
    /// The env lockfile document pnpm 11 puts before the main one (config and package-manager
    /// dependencies), as raw YAML without its `---` lines.
    #[serde(skip)]
    pub env_document: Option<String>,
}

impl Lockfile {
    /// An empty lockfile with the given settings, to be filled by a resolver.
    pub fn new(settings: LockfileSettings) -> Self {
        Lockfile {
            lockfile_version: LockfileVersion::current(),
            settings: Some(settings),
            catalogs: None,
            overrides: None,
            package_extensions_checksum: None,
            pnpmfile_checksum: None,
            patched_dependencies: None,
            importers: IndexMap::new(),
            packages: IndexMap::new(),
            snapshots: IndexMap::new(),
            ignored_optional_dependencies: None,
            time: None,
            env_document: None,
        }
    }

    pub fn importer(&self, id: &str) -> Option<&ProjectSnapshot> {
        self.importers.get(id)
    }

    pub fn importers(&self) -> impl Iterator<Item = (&ImporterId, &ProjectSnapshot)> {
        self.importers.iter()
    }

    /// The `packages` entry of a snapshot key (its peer and patch suffixes removed).
    pub fn package(&self, dep_path: &DepPath) -> Option<&PackageInfo> {
        self.packages.get(dep_path.without_peers())
    }

    pub fn snapshot(&self, dep_path: &str) -> Option<&SnapshotEntry> {
        self.snapshots.get(dep_path)
    }

    /// Every snapshot with its `packages` entry, in file order; `None` when the package entry is
    /// missing, which an installer must treat as a broken lockfile.
    pub fn snapshots_with_packages(
        &self,
    ) -> impl Iterator<Item = (&DepPath, &SnapshotEntry, Option<&PackageInfo>)> {
        self.snapshots
            .iter()
            .map(|(dep_path, snapshot)| (dep_path, snapshot, self.package(dep_path)))
    }
}
