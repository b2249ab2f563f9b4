//! node_modules layout, install behaviour, and the directories both resolve to.

use std::collections::HashMap;
use std::path::PathBuf;

use super::Dirs;
use super::sources::Sources;
use crate::ConfigError;
use crate::locations::{default_store_dir, is_ci, pnpm_home_dir};
use crate::settings::{SettingReader, resolve_dir};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeLinker {
    Isolated,
    Hoisted,
    Pnp,
}

impl NodeLinker {
    const ALL: [NodeLinker; 3] = [NodeLinker::Isolated, NodeLinker::Hoisted, NodeLinker::Pnp];

    /// The `node-linker` setting's value for this layout.
    pub fn as_str(self) -> &'static str {
        match self {
            NodeLinker::Isolated => "isolated",
            NodeLinker::Hoisted => "hoisted",
            NodeLinker::Pnp => "pnp",
        }
    }
}

impl std::fmt::Display for NodeLinker {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PackageImportMethod {
    Auto,
    Hardlink,
    Copy,
    Clone,
    CloneOrCopy,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResolutionMode {
    Highest,
    TimeBased,
    LowestDirect,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkWorkspacePackages {
    No,
    Yes,
    Deep,
}

/// How node_modules is laid out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayoutSettings {
    pub node_linker: NodeLinker,
    /// `None` when hoisting is off (`hoist=false` or `symlink=false`).
    pub hoist_pattern: Option<Vec<String>>,
    /// `None` when `shamefully-hoist=false`, `symlink=false`, or the pattern is `''`.
    pub public_hoist_pattern: Option<Vec<String>>,
    pub virtual_store_dir_max_length: u32,
    pub peers_suffix_max_length: u32,
    pub package_import_method: PackageImportMethod,
    pub enable_global_virtual_store: bool,
    pub symlink: bool,
    pub enable_modules_dir: bool,
    pub hoist_workspace_packages: bool,
    pub prefer_symlinked_executables: bool,
}

/// What an install does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstallSettings {
    pub ci: bool,
    pub lockfile: bool,
    pub frozen_lockfile: bool,
    pub prefer_frozen_lockfile: bool,
    /// pnpm's CI default: frozen when a lockfile exists and neither flag was given.
    pub frozen_lockfile_if_exists: bool,
    pub shared_workspace_lockfile: bool,
    pub production: bool,
    pub dev: bool,
    pub optional: bool,
    pub ignore_scripts: bool,
    pub side_effects_cache: bool,
    pub side_effects_cache_readonly: bool,
    pub verify_store_integrity: bool,
    pub strict_store_pkg_content_check: bool,
    pub engine_strict: bool,
    pub node_version: Option<String>,
    pub auto_install_peers: bool,
    pub strict_peer_dependencies: bool,
    pub dedupe_peer_dependents: bool,
    pub dedupe_peers: bool,
    pub dedupe_direct_deps: bool,
    pub dedupe_injected_deps: bool,
    pub resolve_peers_from_workspace_root: bool,
    pub resolution_mode: ResolutionMode,
    /// Minutes a version must have been published before a new resolution picks it (pnpm 11's
    /// default: a day).
    pub minimum_release_age: u64,
    pub minimum_release_age_exclude: Vec<String>,
    /// Fail rather than fall back to a younger version when none is old enough: on by default
    /// only when `minimum-release-age` was set explicitly, as in pnpm 11.
    pub minimum_release_age_strict: bool,
    /// Registries that publish no release dates skip the age check rather than fail.
    pub minimum_release_age_ignore_missing_time: bool,
    /// Refuse git and tarball URL dependencies of dependencies.
    pub block_exotic_subdeps: bool,
    pub link_workspace_packages: LinkWorkspacePackages,
}

/// pnpm 11's `minimumReleaseAge` default, in minutes: one day.
const DEFAULT_MINIMUM_RELEASE_AGE: u64 = 24 * 60;

fn parse_node_linker(text: &str) -> Option<NodeLinker> {
    NodeLinker::ALL.into_iter().find(|linker| linker.as_str() == text)
}

fn parse_import_method(text: &str) -> Option<PackageImportMethod> {
    match text {
        "auto" => Some(PackageImportMethod::Auto),
        "hardlink" => Some(PackageImportMethod::Hardlink),
        "copy" => Some(PackageImportMethod::Copy),
        "clone" => Some(PackageImportMethod::Clone),
        "clone-or-copy" => Some(PackageImportMethod::CloneOrCopy),
        _ => None,
    }
}

fn parse_resolution_mode(text: &str) -> Option<ResolutionMode> {
    match text {
        "highest" => Some(ResolutionMode::Highest),
        "time-based" => Some(ResolutionMode::TimeBased),
        "lowest-direct" => Some(ResolutionMode::LowestDirect),
        _ => None,
    }
}

pub(super) fn layout_settings(
    reader: &SettingReader<'_>,
    env: &HashMap<String, String>,
) -> Result<LayoutSettings, ConfigError> {
    let node_linker = reader.choice(
        "node-linker",
        NodeLinker::Isolated,
        parse_node_linker,
        "isolated, hoisted or pnp",
    )?;
    let symlink = reader.bool("symlink", true)?;
    let hoist = reader.bool("hoist", true)?;
    let shamefully_hoist = match reader.opt_bool("shamefully-flatten")? {
        Some(true) => Some(true),
        _ => reader.opt_bool("shamefully-hoist")?,
    };
    let hoist_pattern = reader.list("hoist-pattern")?.unwrap_or_else(|| vec!["*".to_owned()]);
    let public_hoist_pattern = match shamefully_hoist {
        Some(true) => Some(vec!["*".to_owned()]),
        Some(false) => None,
        None => reader.list("public-hoist-pattern")?.or_else(|| Some(Vec::new())),
    }
    .filter(|patterns| patterns.as_slice() != [""]);
    let ci = reader.bool("ci", is_ci(env))?;
    let max_length_default = if cfg!(windows) { 60 } else { 120 };
    Ok(LayoutSettings {
        node_linker,
        hoist_pattern: Some(hoist_pattern).filter(|_| hoist && symlink),
        public_hoist_pattern: public_hoist_pattern.filter(|_| symlink),
        virtual_store_dir_max_length: reader
            .u32("virtual-store-dir-max-length", max_length_default)?,
        peers_suffix_max_length: reader.u32("peers-suffix-max-length", 1000)?,
        package_import_method: reader.choice(
            "package-import-method",
            PackageImportMethod::Auto,
            parse_import_method,
            "auto, hardlink, copy, clone or clone-or-copy",
        )?,
        // pnpm turns the global virtual store off in CI.
        enable_global_virtual_store: reader.bool("enable-global-virtual-store", false)? && !ci,
        symlink,
        enable_modules_dir: reader.bool("enable-modules-dir", true)?,
        hoist_workspace_packages: reader.bool("hoist-workspace-packages", true)?,
        prefer_symlinked_executables: reader
            .opt_bool("prefer-symlinked-executables")?
            .unwrap_or(node_linker == NodeLinker::Hoisted),
    })
}

fn link_workspace_packages(
    reader: &SettingReader<'_>,
) -> Result<LinkWorkspacePackages, ConfigError> {
    if reader.string("link-workspace-packages").as_deref() == Some("deep") {
        return Ok(LinkWorkspacePackages::Deep);
    }
    Ok(match reader.bool("link-workspace-packages", false)? {
        true => LinkWorkspacePackages::Yes,
        false => LinkWorkspacePackages::No,
    })
}

/// pnpm's reading of `only`, `production` and `dev` into the three dependency groups.
fn dependency_groups(reader: &SettingReader<'_>) -> Result<(bool, bool, bool), ConfigError> {
    let only = reader.string("only");
    let optional = reader.bool("optional", true)?;
    let only_prod = matches!(only.as_deref(), Some("prod" | "production"));
    let only_dev = matches!(only.as_deref(), Some("dev" | "development"));
    if only_prod || (only.is_none() && reader.bool("production", false)?) {
        return Ok((true, false, optional));
    }
    if only_dev || reader.bool("dev", false)? {
        return Ok((false, true, false));
    }
    Ok((true, true, optional))
}

pub(super) fn install_settings(
    reader: &SettingReader<'_>,
    env: &HashMap<String, String>,
) -> Result<InstallSettings, ConfigError> {
    let ci = reader.bool("ci", is_ci(env))?;
    let frozen_lockfile = reader.opt_bool("frozen-lockfile")?;
    let prefer_frozen_lockfile = reader.opt_bool("prefer-frozen-lockfile")?;
    let (production, dev, optional) = dependency_groups(reader)?;
    let minimum_release_age = reader.opt_number("minimum-release-age")?;
    let lockfile = match reader.opt_bool("lockfile")? {
        Some(lockfile) => lockfile,
        None => reader.bool("package-lock", true)?,
    };
    Ok(InstallSettings {
        ci,
        lockfile,
        frozen_lockfile: frozen_lockfile.unwrap_or(false),
        prefer_frozen_lockfile: prefer_frozen_lockfile.unwrap_or(true),
        frozen_lockfile_if_exists: ci
            && frozen_lockfile.is_none()
            && prefer_frozen_lockfile.is_none(),
        shared_workspace_lockfile: reader.bool("shared-workspace-lockfile", true)?,
        production,
        dev,
        optional,
        ignore_scripts: reader.bool("ignore-scripts", false)?,
        side_effects_cache: reader.bool("side-effects-cache", true)?,
        side_effects_cache_readonly: reader.bool("side-effects-cache-readonly", false)?,
        verify_store_integrity: reader.bool("verify-store-integrity", true)?,
        strict_store_pkg_content_check: reader.bool("strict-store-pkg-content-check", true)?,
        engine_strict: reader.bool("engine-strict", false)?,
        node_version: reader.string("node-version"),
        auto_install_peers: reader.bool("auto-install-peers", true)?,
        strict_peer_dependencies: reader.bool("strict-peer-dependencies", false)?,
        dedupe_peer_dependents: reader.bool("dedupe-peer-dependents", true)?,
        dedupe_peers: reader.bool("dedupe-peers", false)?,
        dedupe_direct_deps: reader.bool("dedupe-direct-deps", false)?,
        dedupe_injected_deps: reader.bool("dedupe-injected-deps", true)?,
        resolve_peers_from_workspace_root: reader
            .bool("resolve-peers-from-workspace-root", true)?,
        resolution_mode: reader.choice(
            "resolution-mode",
            ResolutionMode::Highest,
            parse_resolution_mode,
            "highest, time-based or lowest-direct",
        )?,
        minimum_release_age: minimum_release_age.unwrap_or(DEFAULT_MINIMUM_RELEASE_AGE),
        minimum_release_age_exclude: reader
            .list("minimum-release-age-exclude")?
            .unwrap_or_default(),
        minimum_release_age_strict: reader
            .bool("minimum-release-age-strict", minimum_release_age.is_some())?,
        minimum_release_age_ignore_missing_time: reader
            .bool("minimum-release-age-ignore-missing-time", true)?,
        block_exotic_subdeps: reader.bool("block-exotic-subdeps", true)?,
        link_workspace_packages: link_workspace_packages(reader)?,
    })
}

/// Store, lockfile, modules and virtual-store directories, resolved as pnpm resolves them:
/// `store-dir` against the workspace root (or project), `lockfile-dir` against the working
/// directory, `virtual-store-dir` against the lockfile directory.
pub(super) fn dirs(
    sources: &Sources<'_>,
    reader: &SettingReader<'_>,
    install: &InstallSettings,
    layout: &LayoutSettings,
) -> Result<Dirs, ConfigError> {
    let home = sources.home_or_temp();
    let pnpm_home = pnpm_home_dir(sources.env, &home);
    let package_root = sources.workspace_dir.clone().unwrap_or_else(|| sources.project_dir.clone());
    let store = match reader.path("store-dir") {
        Some(store) => resolve_dir(&store, &package_root, Some(&home)),
        None => default_store_dir(&package_root, &pnpm_home),
    };
    let lockfile = match (reader.path("lockfile-dir"), &sources.workspace_dir) {
        (Some(dir), _) => sources.cwd.join(dir),
        (None, Some(workspace)) if install.shared_workspace_lockfile => workspace.clone(),
        (None, _) => sources.project_dir.clone(),
    };
    let modules = reader.path("modules-dir").unwrap_or_else(|| PathBuf::from("node_modules"));
    let mut dirs = Dirs {
        cwd: sources.cwd.clone(),
        project: sources.project_dir.clone(),
        workspace: sources.workspace_dir.clone(),
        virtual_store: PathBuf::new(),
        lockfile,
        store,
        modules,
        pnpm_home,
    };
    dirs.virtual_store = match reader.path("virtual-store-dir") {
        Some(dir) => resolve_dir(&dir, &dirs.lockfile, Some(&home)),
        None if layout.enable_global_virtual_store => dirs.store_version_dir().join("links"),
        None => dirs.lockfile.join(&dirs.modules).join(".pnpm"),
    };
    Ok(dirs)
}
