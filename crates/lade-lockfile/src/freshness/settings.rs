//! pnpm 10's `getOutdatedLockfileSetting` (lockfile/settings-checker): the first recorded setting
//! that differs from the install's, in pnpm's order.

use crate::{ExpectedSettings, Lockfile, LockfileSettings, PatchedDependency};

pub(super) fn outdated_setting(
    lockfile: &Lockfile,
    expected: &ExpectedSettings,
) -> Option<&'static str> {
    let unset = LockfileSettings::default();
    let settings = lockfile.settings.as_ref().unwrap_or(&unset);
    if !catalogs_are_up_to_date(lockfile, expected) {
        return Some("catalogs");
    }
    if lockfile
        .overrides
        .as_ref()
        .map_or(!expected.overrides.is_empty(), |o| *o != expected.overrides)
    {
        return Some("overrides");
    }
    if lockfile.package_extensions_checksum != expected.package_extensions_checksum {
        return Some("packageExtensionsChecksum");
    }
    let mut recorded: Vec<&str> =
        lockfile.ignored_optional_dependencies.iter().flatten().map(String::as_str).collect();
    let mut wanted: Vec<&str> =
        expected.ignored_optional_dependencies.iter().map(String::as_str).collect();
    recorded.sort();
    wanted.sort();
    if recorded != wanted {
        return Some("ignoredOptionalDependencies");
    }
    if !patches_match(lockfile, expected) {
        return Some("patchedDependencies");
    }
    if settings.auto_install_peers.is_some_and(|v| v != expected.auto_install_peers) {
        return Some("settings.autoInstallPeers");
    }
    if settings.dedupe_peers.unwrap_or(false) != expected.dedupe_peers {
        return Some("settings.dedupePeers");
    }
    if settings
        .exclude_links_from_lockfile
        .is_some_and(|v| v != expected.exclude_links_from_lockfile)
    {
        return Some("settings.excludeLinksFromLockfile");
    }
    if settings.peers_suffix_max_length.unwrap_or(1000) != expected.peers_suffix_max_length {
        return Some("settings.peersSuffixMaxLength");
    }
    if lockfile.pnpmfile_checksum != expected.pnpmfile_checksum {
        return Some("pnpmfileChecksum");
    }
    if settings.inject_workspace_packages.unwrap_or(false) != expected.inject_workspace_packages {
        return Some("settings.injectWorkspacePackages");
    }
    None
}

/// `allCatalogsAreUpToDate`: every catalog entry the lockfile recorded still has the same
/// specifier in the workspace's catalogs. Entries the lockfile never used do not matter.
fn catalogs_are_up_to_date(lockfile: &Lockfile, expected: &ExpectedSettings) -> bool {
    lockfile.catalogs.iter().flatten().all(|(catalog, entries)| {
        entries.iter().all(|(name, entry)| {
            expected.catalogs.get(catalog).and_then(|c| c.get(name)).map(String::as_str)
                == Some(entry.specifier.as_str())
        })
    })
}

/// pnpm 10 compares `{hash, path}` objects; a lockfile written by pnpm 11 records the hash alone,
/// and lade accepts that when the hashes agree rather than failing a lockfile pnpm 11 accepts.
fn patches_match(lockfile: &Lockfile, expected: &ExpectedSettings) -> bool {
    let recorded = lockfile.patched_dependencies.iter().flatten();
    lockfile.patched_dependencies.as_ref().map_or(0, |p| p.len())
        == expected.patched_dependencies.len()
        && recorded.into_iter().all(|(key, patch)| {
            expected.patched_dependencies.get(key).is_some_and(|wanted| match (patch, wanted) {
                (PatchedDependency::Hash(hash), _) | (_, PatchedDependency::Hash(hash)) => {
                    hash == patch.hash() && hash == wanted.hash()
                }
                _ => patch == wanted,
            })
        })
}
