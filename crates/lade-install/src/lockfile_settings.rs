//! The settings a lockfile records (catalogs, overrides, checksums of package extensions and
//! patches, peer settings) as this configuration would record them, computed as pnpm 10 does so
//! that a lockfile pnpm wrote stays fresh for lade and the other way round.

use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use lade_config::Config;
use lade_lockfile::{ExpectedSettings, PatchedDependency};

use crate::InstallError;
use crate::project::Workspace;
use crate::resolve::input::{package_extensions, raw_bool};

pub(crate) fn expected_lockfile_settings(
    workspace: &Workspace,
) -> Result<ExpectedSettings, InstallError> {
    let config = &workspace.config;
    let catalogs = catalogs(config);
    let overrides = lade_resolver::lockfile_overrides(&config.pnpm.overrides, &catalogs)?;
    Ok(ExpectedSettings {
        package_extensions_checksum: lade_resolver::package_extensions_checksum(
            &package_extensions(config),
        ),
        patched_dependencies: patch_hashes(config, &workspace.lockfile_dir)?,
        catalogs,
        overrides,
        ignored_optional_dependencies: config.pnpm.ignored_optional_dependencies.clone(),
        auto_install_peers: config.install.auto_install_peers,
        dedupe_peers: config.install.dedupe_peers,
        exclude_links_from_lockfile: raw_bool(config, "exclude-links-from-lockfile")
            .unwrap_or(false),
        peers_suffix_max_length: u64::from(config.layout.peers_suffix_max_length),
        ..ExpectedSettings::default()
    })
}

/// Catalog name → package → specifier, as the resolver and the freshness check take them.
pub(crate) fn catalogs(config: &Config) -> IndexMap<String, IndexMap<String, String>> {
    config
        .catalogs
        .iter()
        .map(|(name, entries)| {
            let entries =
                entries.iter().map(|(pkg, spec)| (pkg.to_string(), spec.clone())).collect();
            (name.clone(), entries)
        })
        .collect()
}

/// pnpm 10's `calcPatchHashes`: each patch file's hash, with its path relative to the lockfile
/// directory.
fn patch_hashes(
    config: &Config,
    lockfile_dir: &Path,
) -> Result<IndexMap<String, PatchedDependency>, InstallError> {
    config
        .pnpm
        .patched_dependencies
        .iter()
        .map(|(key, file)| {
            let text =
                std::fs::read(file).map_err(|error| InstallError::io("read", file, error))?;
            let hash = lade_resolver::patch_file_hash(&String::from_utf8_lossy(&text));
            let path = relative_path(lockfile_dir, file);
            Ok((key.clone(), PatchedDependency::HashAndPath { hash, path }))
        })
        .collect()
}

/// `path.relative(from, to)` with `/` separators.
fn relative_path(from: &Path, to: &Path) -> String {
    let from: Vec<_> = from.components().collect();
    let to_parts: Vec<_> = to.components().collect();
    let common = from.iter().zip(&to_parts).take_while(|(a, b)| a == b).count();
    let mut relative = PathBuf::new();
    for _ in common..from.len() {
        relative.push("..");
    }
    for part in &to_parts[common..] {
        relative.push(part);
    }
    relative.to_string_lossy().replace('\\', "/")
}

/// Where packuments are cached: `cache-dir`, else lade's directory under the XDG cache home.
pub(crate) fn metadata_cache_dir(config: &Config) -> PathBuf {
    if let Some(lade_config::RawValue::Str(dir)) = config.raw.get("cache-dir") {
        return config.dirs.cwd.join(dir);
    }
    match std::env::var_os("XDG_CACHE_HOME").filter(|dir| !dir.is_empty()) {
        Some(dir) => PathBuf::from(dir).join("lade"),
        None => std::env::home_dir().unwrap_or_default().join(".cache/lade"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patch_paths_are_relative_with_slashes() {
        assert_eq!(
            relative_path(Path::new("/w"), Path::new("/w/patches/a.patch")),
            "patches/a.patch"
        );
        assert_eq!(relative_path(Path::new("/w/app"), Path::new("/w/p.patch")), "../p.patch");
    }
}
