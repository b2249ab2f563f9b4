use std::path::PathBuf;

use indexmap::IndexMap;
use lade_lockfile::{ImporterId, Lockfile};
use lade_manifest::PackageManifest;

/// One project of the workspace (an importer of the lockfile).
#[derive(Clone, Debug)]
pub struct Project {
    /// `.` for the root, else the directory relative to the lockfile's (`packages/ui`).
    pub id: ImporterId,
    pub manifest: PackageManifest,
}

impl Project {
    /// The project's directory relative to the lockfile's, with `/` separators.
    pub fn dir(&self) -> PathBuf {
        PathBuf::from(self.id.as_str())
    }
}

/// `resolution-mode`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ResolutionMode {
    /// The highest version that satisfies each range (pnpm's default).
    #[default]
    Highest,
    /// The lowest version for direct dependencies, the highest below them.
    LowestDirect,
    /// The lowest version for direct dependencies; below them, the highest version published
    /// by an hour after the newest direct dependency.
    TimeBased,
}

/// The settings that change what is resolved, with pnpm 10's defaults (pnpm 11's safer defaults
/// for `minimumReleaseAge` and `blockExoticSubdeps` come from the configuration).
#[derive(Clone, Debug)]
pub struct ResolveSettings {
    pub auto_install_peers: bool,
    pub dedupe_peer_dependents: bool,
    pub dedupe_peers: bool,
    pub resolve_peers_from_workspace_root: bool,
    pub exclude_links_from_lockfile: bool,
    pub peers_suffix_max_length: u64,
    pub resolution_mode: ResolutionMode,
    /// Skip the package extensions pnpm ships from yarn's compatibility database.
    pub ignore_compatibility_db: bool,
    /// `minimumReleaseAge`: versions younger than this many minutes are not picked.
    pub minimum_release_age_minutes: u64,
    /// `minimumReleaseAgeExclude`: `name`, `@scope/*` or `name@1.0.0 || 1.0.1` (those exact
    /// versions only) the age does not apply to.
    pub minimum_release_age_exclude: Vec<String>,
    /// `minimumReleaseAgeStrict`: fail when no version is old enough, rather than falling back
    /// to the lowest matching version.
    pub minimum_release_age_strict: bool,
    /// `minimumReleaseAgeIgnoreMissingTime`: metadata without publish times skips the age check
    /// instead of failing.
    pub minimum_release_age_ignore_missing_time: bool,
    /// `blockExoticSubdeps`: git and tarball URL dependencies are refused below the projects'
    /// own dependencies.
    pub block_exotic_subdeps: bool,
}

impl Default for ResolveSettings {
    fn default() -> Self {
        ResolveSettings {
            auto_install_peers: true,
            dedupe_peer_dependents: true,
            dedupe_peers: false,
            resolve_peers_from_workspace_root: true,
            exclude_links_from_lockfile: false,
            peers_suffix_max_length: 1000,
            resolution_mode: ResolutionMode::Highest,
            ignore_compatibility_db: false,
            minimum_release_age_minutes: 0,
            minimum_release_age_exclude: Vec::new(),
            minimum_release_age_strict: false,
            minimum_release_age_ignore_missing_time: true,
            block_exotic_subdeps: false,
        }
    }
}

/// `packageExtensions` entry: fields merged under a package's own.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PackageExtension {
    pub dependencies: IndexMap<String, String>,
    pub optional_dependencies: IndexMap<String, String>,
    pub peer_dependencies: IndexMap<String, String>,
    /// Peer name → optional.
    pub peer_dependencies_meta: IndexMap<String, bool>,
}

/// `lade update`: which dependencies are resolved again instead of kept where the lockfile has
/// them. An update also stops preferring the lockfile's versions, as pnpm's does.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Update {
    #[default]
    None,
    All,
    /// Dependencies whose name matches one of these patterns (`*` wildcards).
    Matching(Vec<String>),
}

/// Everything a resolution reads besides registry metadata.
#[derive(Clone, Debug, Default)]
pub struct ResolveInput {
    /// The projects, the root first.
    pub projects: Vec<Project>,
    pub settings: ResolveSettings,
    /// Catalog name (`default` for `catalog:`) → package → specifier.
    pub catalogs: IndexMap<String, IndexMap<String, String>>,
    /// `overrides` / `resolutions`: selector → specifier (`-` removes the dependency).
    pub overrides: IndexMap<String, String>,
    /// `packageExtensions`: `name` or `name@range` → extension.
    pub package_extensions: IndexMap<String, PackageExtension>,
    /// `ignoredOptionalDependencies`: name patterns removed from every `optionalDependencies`.
    pub ignored_optional_dependencies: Vec<String>,
    /// The lockfile on disk, whose versions are kept where they still satisfy.
    pub existing_lockfile: Option<Lockfile>,
    pub update: Update,
    /// `--latest`: updated direct dependencies go to their `latest` dist-tag (or the highest
    /// match of their range when that is newer), whatever the range says.
    pub update_to_latest: bool,
}
