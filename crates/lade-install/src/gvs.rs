//! The global virtual store (`enableGlobalVirtualStore`), laid out as pnpm 12 lays it out: each
//! package lives in a slot shared by every project on the machine,
//! `<store>/v11/links/<scope or @>/<name>/<version>/<hash>/node_modules/<name>`, with its
//! dependencies linked beside it; the project keeps only symlinks into the slots (direct
//! dependencies, hoisting, `.bin`) and its records in `node_modules/.pnpm`.
//!
//! A slot whose package is in place is complete and left alone, so a warm install into a fresh
//! `node_modules` touches no package file. A missing slot is built under a temporary name beside
//! its final one and renamed into place ([`staging`]), so another project installing the same
//! slot at the same time sees it either absent or whole.

mod builds;
mod staging;

use std::collections::HashMap;
use std::path::Path;

use lade_config::Config;
use lade_linker::{Layout, Node, Platform, SlotChild, SlotSnapshot, global_slot_paths};
use lade_lockfile::{DependencyTarget, Lockfile};
use lade_types::DepPath;
use rayon::prelude::*;

use crate::InstallError;
use crate::engine::NodeEngine;
use crate::graph::InstallGraph;
use crate::project::Workspace;
use crate::settings::InstallSettings;

pub(crate) use builds::BuildPolicy;
pub(crate) use staging::SlotStaging;

/// pnpm's completion marker: a slot whose package has its `package.json` was finished, by lade
/// (which renames whole slots into place) or by pnpm (which writes that file last).
const COMPLETION_MARKER: &str = "package.json";

/// The install's layout: slots in the global virtual store when it is on.
pub(crate) fn layout(workspace: &Workspace) -> Layout {
    layout_of(&workspace.lockfile_dir, &workspace.config)
}

/// The layout of the project whose lockfile is in `lockfile_dir`.
pub(crate) fn layout_of(lockfile_dir: &Path, config: &Config) -> Layout {
    let layout = Layout::new(lockfile_dir).with_modules_dir(&config.dirs.modules);
    if config.layout.enable_global_virtual_store {
        layout.with_global_virtual_store(&config.dirs.virtual_store)
    } else {
        layout.with_virtual_store_dir(&config.dirs.virtual_store)
    }
}

/// Names every node's slot, hashing the whole lockfile as pnpm does (snapshots skipped on this
/// platform still count towards the packages that depend on them).
pub(crate) fn assign_slots(
    graph: &mut InstallGraph,
    lockfile: &Lockfile,
    workspace: &Workspace,
    settings: &InstallSettings,
    builds: &BuildPolicy,
) -> Result<(), InstallError> {
    let context = SlotContext {
        lockfile_dir: &workspace.lockfile_dir,
        node: &settings.node,
        platform: &settings.platform,
        builds,
    };
    let by_dep_path = slot_paths(lockfile, &context)?;
    let ids: Vec<_> = graph.deps.nodes().map(|(id, _)| id).collect();
    for id in ids {
        let node = graph.deps.node_mut(id);
        node.global_slot = by_dep_path.get(node.dep_path.as_str()).cloned();
    }
    Ok(())
}

/// What a slot's name depends on besides the lockfile.
pub(crate) struct SlotContext<'a> {
    /// `link:` dependencies are named by their directory, resolved from here.
    pub lockfile_dir: &'a Path,
    /// Slots of packages that build are specific to the Node.js major.
    pub node: &'a NodeEngine,
    pub platform: &'a Platform,
    pub builds: &'a BuildPolicy,
}

/// The slot path (below the `links` directory) of every snapshot of the lockfile, by key.
pub(crate) fn slot_paths(
    lockfile: &Lockfile,
    context: &SlotContext,
) -> Result<HashMap<String, String>, InstallError> {
    let snapshots = slot_snapshots(lockfile, context.lockfile_dir, context.builds);
    let engine = snapshots
        .iter()
        .any(|snapshot| snapshot.builds)
        .then(|| builds::engine_name(context.platform, context.node))
        .flatten();
    let paths = global_slot_paths(&snapshots, engine.as_deref())?;
    Ok(snapshots.into_iter().map(|snapshot| snapshot.dep_path.to_string()).zip(paths).collect())
}

/// Which nodes' slots hold their package already (one `lstat` each, nothing read); empty when
/// the global virtual store is off.
pub(crate) fn complete_slots(graph: &InstallGraph, layout: &Layout) -> Vec<bool> {
    if layout.global_virtual_store_dir().is_none() {
        return Vec::new();
    }
    let nodes: Vec<&Node> = graph.deps.nodes().map(|(_, node)| node).collect();
    nodes
        .par_iter()
        .map(|node| layout.package_dir(node).join(COMPLETION_MARKER).symlink_metadata().is_ok())
        .collect()
}

fn slot_snapshots(
    lockfile: &Lockfile,
    lockfile_dir: &Path,
    builds: &BuildPolicy,
) -> Vec<SlotSnapshot> {
    lockfile
        .snapshots_with_packages()
        .filter_map(|(dep_path, snapshot, package)| {
            let name = lade_types::PkgName::parse(dep_path.name()).ok()?;
            let version = match package.and_then(|package| package.version.as_ref()) {
                Some(version) => version.to_string(),
                None => dep_path.version().to_owned(),
            };
            let integrity = package.and_then(|package| package.resolution.integrity());
            let id = pkg_id_with_patch_hash(dep_path);
            let full_pkg_id = match integrity {
                Some(integrity) => format!("{id}:{integrity}"),
                // pnpm 12 refuses these resolutions before a slot is used; the id only has to
                // keep the hashes of the packages depending on them well defined.
                None => id.to_owned(),
            };
            let children = snapshot
                .dependencies
                .iter()
                .flatten()
                .chain(snapshot.optional_dependencies.iter().flatten())
                .filter_map(|(alias, reference)| {
                    let child = match reference.target(alias.as_str()).ok()? {
                        DependencyTarget::Snapshot(child) => SlotChild::Snapshot(child),
                        DependencyTarget::Link(path) => {
                            let dir = lade_linker::normalize_path(&lockfile_dir.join(path));
                            SlotChild::Link(dir.to_string_lossy().into_owned())
                        }
                    };
                    Some((alias.clone(), child))
                })
                .collect();
            let builds = builds.allows(dep_path.name(), &version);
            Some(SlotSnapshot {
                dep_path: dep_path.clone(),
                name,
                version,
                full_pkg_id,
                children,
                builds,
            })
        })
        .collect()
}

/// pnpm's `getPkgIdWithPatchHash`: the snapshot key without its peers, keeping a
/// `(patch_hash=…)` group that precedes them.
fn pkg_id_with_patch_hash(dep_path: &DepPath) -> &str {
    let text = dep_path.as_str();
    let suffix = dep_path.peers_suffix();
    let Some(patch) = suffix.strip_prefix("(patch_hash=") else {
        return dep_path.without_peers();
    };
    let end =
        text.len() - suffix.len() + "(patch_hash=".len() + patch.find(')').map_or(0, |at| at + 1);
    &text[..end]
}

#[cfg(test)]
mod tests;
