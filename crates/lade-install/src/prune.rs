//! What the previous install left that the new lockfile no longer has, removed before linking as
//! pnpm 10's modules cleaner does: the projects' links to removed direct dependencies, hoisted
//! links no longer hoisted, and the `.bin` shims of the packages behind those links (shims still
//! wanted are written again). Orphaned virtual-store slots stay as a cache until
//! `modules-cache-max-age` has passed since the last pruning of the virtual store.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use lade_linker::{HoistKind, Hoisting, ImporterId, Layout, ModulesYaml, virtual_store_name};
use lade_lockfile::Lockfile;
use serde_json::Value;

use crate::InstallError;
use crate::graph::InstallGraph;

/// The removals an install makes.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Pruning {
    /// Packages the previous install had and this one does not (pnpm's `-N`).
    orphans: usize,
    /// Slot directories under `node_modules/.pnpm` to delete now.
    slots: Vec<PathBuf>,
    /// Whether the virtual store is pruned by this install (it records a new `prunedAt`).
    prunes_virtual_store: bool,
    /// Symlinks to remove, each with the `.bin` directory its package's commands are in.
    links: Vec<(PathBuf, PathBuf)>,
}

impl Pruning {
    /// Compares the previous install (its lockfile and `.modules.yaml`) with the new graph;
    /// `cache_max_age` is `modules-cache-max-age` in minutes.
    pub(crate) fn plan(
        layout: &Layout,
        previous: Option<&Lockfile>,
        previous_modules: Option<&ModulesYaml>,
        graph: &InstallGraph,
        hoisting: &Hoisting,
        max_length: usize,
        cache_max_age: u64,
    ) -> Pruning {
        let mut pruning = Pruning {
            prunes_virtual_store: layout.global_virtual_store_dir().is_none()
                && virtual_store_prune_due(previous_modules, cache_max_age),
            ..Pruning::default()
        };
        if let Some(previous) = previous {
            let orphans = orphan_slots(previous, graph, max_length);
            pruning.orphans = orphans.len();
            if pruning.prunes_virtual_store {
                pruning.slots = unneeded_slots(layout, graph, orphans);
            }
            pruning.links = stale_direct_links(layout, previous, graph);
        }
        if let Some(modules) = previous_modules {
            pruning.links.extend(stale_hoisted_links(layout, modules, hoisting));
        }
        pruning
    }

    /// How many packages leave `node_modules` (pnpm's `-N`).
    pub(crate) fn removed_packages(&self) -> usize {
        self.orphans
    }

    /// The `prunedAt` to record: now when this install pruned the virtual store (or there was
    /// no record), else the previous one.
    pub(crate) fn pruned_at(&self, previous: Option<&ModulesYaml>, now: String) -> String {
        match previous {
            Some(modules) if !self.prunes_virtual_store => modules.pruned_at.clone(),
            _ => now,
        }
    }

    /// Removes links first (reading each package's commands through its link), then slots.
    pub(crate) fn apply(&self) -> Result<(), InstallError> {
        for (link, bins_dir) in &self.links {
            let is_symlink = link.symlink_metadata().is_ok_and(|m| m.file_type().is_symlink());
            if !is_symlink {
                continue;
            }
            for command in command_names(link) {
                remove_shims(bins_dir, &command)?;
            }
            remove(std::fs::remove_file(link), link)?;
        }
        for slot in &self.slots {
            let is_dir = slot.symlink_metadata().is_ok_and(|m| m.file_type().is_dir());
            if is_dir {
                remove(std::fs::remove_dir_all(slot), slot)?;
            }
        }
        Ok(())
    }
}

/// Slot names of snapshots the previous lockfile had and the new graph does not.
fn orphan_slots(previous: &Lockfile, graph: &InstallGraph, max_length: usize) -> Vec<String> {
    let wanted: HashSet<&str> =
        graph.deps.nodes().map(|(_, node)| node.virtual_store_name.as_str()).collect();
    let mut orphans: Vec<String> = previous
        .snapshots
        .keys()
        .map(|dep_path| virtual_store_name(dep_path.as_str(), max_length))
        .filter(|name| !wanted.contains(name.as_str()))
        .collect();
    orphans.sort();
    orphans.dedup();
    orphans
}

/// The slots to delete when the virtual store is pruned: the orphans, and any other directory in
/// `node_modules/.pnpm` the graph does not need.
fn unneeded_slots(layout: &Layout, graph: &InstallGraph, orphans: Vec<String>) -> Vec<PathBuf> {
    let wanted: HashSet<&str> =
        graph.deps.nodes().map(|(_, node)| node.virtual_store_name.as_str()).collect();
    let mut names: Vec<String> = orphans;
    if let Ok(entries) = std::fs::read_dir(layout.virtual_store_dir()) {
        for entry in entries.flatten() {
            let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
            let name = entry.file_name().to_string_lossy().into_owned();
            if is_dir && !wanted.contains(name.as_str()) {
                names.push(name);
            }
        }
    }
    names.sort();
    names.dedup();
    names
        .into_iter()
        .filter(|name| is_plain_name(name))
        .map(|name| layout.virtual_store_dir().join(name))
        .collect()
}

/// `modules-cache-max-age` in minutes (pnpm's default is a week).
pub(crate) fn modules_cache_max_age(config: &lade_config::Config) -> u64 {
    match config.raw.get("modules-cache-max-age") {
        Some(lade_config::RawValue::Str(minutes)) => minutes.parse().unwrap_or(7 * 24 * 60),
        _ => 7 * 24 * 60,
    }
}

/// pnpm prunes the virtual store when `.modules.yaml` has no `prunedAt`, or when it is older
/// than `modules-cache-max-age` (0 prunes every time).
fn virtual_store_prune_due(previous: Option<&ModulesYaml>, cache_max_age: u64) -> bool {
    let Some(modules) = previous else { return true };
    if cache_max_age == 0 {
        return true;
    }
    let Some(pruned_at) = parse_utc_string(&modules.pruned_at) else { return true };
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    now - pruned_at > cache_max_age as i64 * 60
}

/// Seconds since the epoch of `Date.prototype.toUTCString()` text
/// (`Tue, 24 Nov 2026 07:25:18 GMT`).
fn parse_utc_string(text: &str) -> Option<i64> {
    let mut parts = text.split_whitespace().skip(1);
    let day: i64 = parts.next()?.parse().ok()?;
    let month_name = parts.next()?;
    let months =
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let month = months.iter().position(|m| *m == month_name)? as i64 + 1;
    let year: i64 = parts.next()?.parse().ok()?;
    let mut clock = parts.next()?.split(':').map(|p| p.parse::<i64>().ok());
    let (hour, minute, second) = (clock.next()??, clock.next()??, clock.next()??);
    let shifted_year = if month <= 2 { year - 1 } else { year };
    let era = shifted_year.div_euclid(400);
    let year_of_era = shifted_year - era * 400;
    let day_of_year = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    let days = era * 146_097 + day_of_era - 719_468;
    Some(((days * 24 + hour) * 60 + minute) * 60 + second)
}

/// Each project's `node_modules/<alias>` for aliases it no longer depends on.
fn stale_direct_links(
    layout: &Layout,
    previous: &Lockfile,
    graph: &InstallGraph,
) -> Vec<(PathBuf, PathBuf)> {
    let mut links = Vec::new();
    for (id, snapshot) in previous.importers() {
        let importer = ImporterId::new(id.as_str().to_owned());
        let wanted: HashSet<&str> = graph
            .importers
            .iter()
            .filter(|i| i.id == importer)
            .flat_map(|i| i.direct_deps.iter().map(|(alias, _)| alias.as_str()))
            .collect();
        let modules = layout.importer_modules_dir(&importer);
        let fields =
            [&snapshot.dependencies, &snapshot.dev_dependencies, &snapshot.optional_dependencies];
        for alias in fields.into_iter().flatten().flat_map(|deps| deps.keys()) {
            if !wanted.contains(alias.as_str()) {
                links.push((modules.join(alias.as_str()), modules.join(".bin")));
            }
        }
    }
    links
}

/// Hoisted links the new hoisting does not make.
fn stale_hoisted_links(
    layout: &Layout,
    previous: &ModulesYaml,
    hoisting: &Hoisting,
) -> Vec<(PathBuf, PathBuf)> {
    let wanted: HashSet<(&str, HoistKind)> = hoisting
        .hoisted_dependencies
        .iter()
        .flat_map(|(_, aliases)| aliases.iter().map(|(alias, kind)| (alias.as_str(), *kind)))
        .collect();
    let mut seen = HashSet::new();
    let mut links = Vec::new();
    for (_, aliases) in previous.hoisted_dependencies.iter() {
        for (alias, kind) in aliases {
            if wanted.contains(&(alias.as_str(), *kind)) || !seen.insert((alias.clone(), *kind)) {
                continue;
            }
            let dir = match kind {
                HoistKind::Private => layout.private_hoist_dir(),
                HoistKind::Public => layout.modules_dir().to_path_buf(),
            };
            links.push((dir.join(alias), dir.join(".bin")));
        }
    }
    links
}

/// A slot name is one path component other than the virtual store's own entries.
fn is_plain_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && !matches!(name, "node_modules" | "lock.yaml" | "lade.lock")
        && !name.contains(['/', '\\'])
}

/// The commands a package's manifest declares (read through its link before it goes).
fn command_names(package_dir: &Path) -> Vec<String> {
    let Ok(text) = std::fs::read_to_string(package_dir.join("package.json")) else {
        return Vec::new();
    };
    let Ok(manifest) = serde_json::from_str::<Value>(&text) else { return Vec::new() };
    let files: Vec<&str> = Vec::new();
    lade_linker::commands_of_package(&manifest, package_dir, package_dir, files)
        .into_iter()
        .map(|command| command.name.as_str().to_owned())
        .collect()
}

/// A command's shims: the POSIX one and the Windows ones beside it.
fn remove_shims(bins_dir: &Path, command: &str) -> Result<(), InstallError> {
    for suffix in ["", ".cmd", ".ps1"] {
        let shim = bins_dir.join(format!("{command}{suffix}"));
        match std::fs::remove_file(&shim) {
            Ok(()) => {}
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
            Err(error) => return Err(InstallError::io("remove", shim, error)),
        }
    }
    Ok(())
}

fn remove(result: std::io::Result<()>, path: &Path) -> Result<(), InstallError> {
    match result {
        Ok(()) => Ok(()),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(error) => Err(InstallError::io("remove", path, error)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_prune_times_as_pnpm_writes_them() {
        assert_eq!(parse_utc_string("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0));
        assert_eq!(parse_utc_string("Tue, 24 Nov 2026 07:25:18 GMT"), Some(1_795_505_118));
        assert_eq!(parse_utc_string("yesterday"), None);
    }

    #[test]
    fn slot_names_never_reach_outside_the_virtual_store() {
        assert!(is_plain_name("foo@1.0.0"));
        for name in ["", "..", ".", "node_modules", "lock.yaml", "a/b", ".hidden"] {
            assert!(!is_plain_name(name), "{name}");
        }
    }
}
