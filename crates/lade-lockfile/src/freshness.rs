//! Whether a lockfile can be installed as is, decided as pnpm 10 decides a `--frozen-lockfile`
//! install (installing/deps-installer `install` → lockfile/settings-checker
//! `getOutdatedLockfileSetting`, then lockfile/verification `satisfiesPackageManifest` for every
//! project).

mod manifest;
mod settings;

use indexmap::IndexMap;
use lade_manifest::PackageManifest;
use miette::Diagnostic;
use thiserror::Error;

use crate::{Lockfile, PatchedDependency};

/// A project of the workspace with its importer id (`.` or `packages/a`).
#[derive(Clone, Copy, Debug)]
pub struct ProjectForCheck<'a> {
    pub id: &'a str,
    pub manifest: &'a PackageManifest,
}

/// The settings an install runs with, as the lockfile would record them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExpectedSettings {
    /// Catalog name → package name → specifier, from pnpm-workspace.yaml.
    pub catalogs: IndexMap<String, IndexMap<String, String>>,
    /// Override selector → specifier.
    pub overrides: IndexMap<String, String>,
    pub package_extensions_checksum: Option<String>,
    pub ignored_optional_dependencies: Vec<String>,
    /// `name@version` → patch file hash and path (relative to the lockfile directory).
    pub patched_dependencies: IndexMap<String, PatchedDependency>,
    pub auto_install_peers: bool,
    pub dedupe_peers: bool,
    pub exclude_links_from_lockfile: bool,
    pub peers_suffix_max_length: u64,
    pub pnpmfile_checksum: Option<String>,
    pub inject_workspace_packages: bool,
}

impl Default for ExpectedSettings {
    /// pnpm's defaults.
    fn default() -> Self {
        ExpectedSettings {
            catalogs: IndexMap::new(),
            overrides: IndexMap::new(),
            package_extensions_checksum: None,
            ignored_optional_dependencies: Vec::new(),
            patched_dependencies: IndexMap::new(),
            auto_install_peers: true,
            dedupe_peers: false,
            exclude_links_from_lockfile: false,
            peers_suffix_max_length: 1000,
            pnpmfile_checksum: None,
            inject_workspace_packages: false,
        }
    }
}

/// Why a frozen install must not use the lockfile.
#[derive(Debug, Error, Diagnostic, Clone, PartialEq, Eq)]
pub enum OutdatedLockfile {
    #[error(
        "Cannot proceed with the frozen installation. The current \"{setting}\" configuration doesn't \
         match the value found in the lockfile"
    )]
    #[diagnostic(
        code(ERR_PNPM_LOCKFILE_CONFIG_MISMATCH),
        help("Update your lockfile using \"lade install --no-frozen-lockfile\"")
    )]
    ConfigMismatch { setting: &'static str },

    #[error(
        "Cannot install with \"frozen-lockfile\" because pnpm-lock.yaml is not up to date with \
         <ROOT>/{}package.json\n\n  Failure reason:\n  {reason}",
        importer_prefix(importer)
    )]
    #[diagnostic(
        code(ERR_PNPM_OUTDATED_LOCKFILE),
        help(
            "Note that in CI environments this setting is true by default. If you still need to run \
             install in such cases, use \"lade install --no-frozen-lockfile\""
        )
    )]
    NotUpToDate { importer: String, reason: String },
}

fn importer_prefix(importer: &str) -> String {
    if importer == "." { String::new() } else { format!("{importer}/") }
}

/// `Ok` when a frozen install may proceed from `lockfile` for `projects`.
pub fn check_freshness(
    lockfile: &Lockfile,
    projects: &[ProjectForCheck],
    expected: &ExpectedSettings,
) -> Result<(), OutdatedLockfile> {
    if let Some(setting) = settings::outdated_setting(lockfile, expected) {
        return Err(OutdatedLockfile::ConfigMismatch { setting });
    }
    for project in projects {
        let importer = lockfile.importer(project.id);
        manifest::satisfies_manifest(importer, project.manifest, expected).map_err(|reason| {
            OutdatedLockfile::NotUpToDate { importer: project.id.to_owned(), reason }
        })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests;
