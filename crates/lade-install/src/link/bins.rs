//! `.bin` directories: pnpm's plan (which packages' commands land where) filled from the store
//! rows' manifests, workspace projects' package.json and bundled dependencies on disk.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use lade_linker::{
    BinSource, BinsDirPlan, BinsPlanOptions, BinsSources, Command, Hoisting, NodeId, StagedPath,
    commands_of_package, link_bins, link_bins_staged, list_modules_dir, plan_bins, plan_slot_bins,
    prefer_direct_commands,
};
use lade_store::PackageFilesIndex;
use rayon::prelude::*;
use serde_json::Value;

use super::Linker;
use crate::InstallError;

/// Writes every `.bin` directory of the install; `row_of` gives a node's store row.
pub(crate) fn link_all_bins<'r>(
    linker: &Linker,
    hoisting: &Hoisting,
    row_of: &(dyn Fn(NodeId) -> Option<&'r PackageFilesIndex> + Sync),
    extra_node_paths: &[PathBuf],
    options: BinsPlanOptions,
) -> Result<(), InstallError> {
    let graph = &linker.graph.deps;
    let plans = plan_bins(graph, &linker.graph.importers, hoisting, linker.layout, options);
    plans.par_iter().try_for_each(|plan| {
        let commands = commands_for(plan, row_of, &|path| Cow::Borrowed(path))?;
        link_bins(&plan.bins_dir, commands, extra_node_paths)?;
        Ok(())
    })
}

/// The `.bin` of one package in its slot, which may still be staged (see
/// [`crate::gvs::SlotStaging`]). A slot is shared by projects, so its shims name no project's
/// hoisting directory, as pnpm 12's do not.
pub(crate) fn link_slot_bins<'r>(
    linker: &Linker,
    id: NodeId,
    row_of: &(dyn Fn(NodeId) -> Option<&'r PackageFilesIndex> + Sync),
    staged: &StagedPath<'_>,
) -> Result<(), InstallError> {
    for plan in plan_slot_bins(&linker.graph.deps, id, linker.layout) {
        let commands = commands_for(&plan, row_of, staged)?;
        link_bins_staged(&plan.bins_dir, commands, &[], staged)?;
    }
    Ok(())
}

fn commands_for<'r>(
    plan: &BinsDirPlan,
    row_of: &(dyn Fn(NodeId) -> Option<&'r PackageFilesIndex> + Sync),
    staged: &StagedPath<'_>,
) -> Result<Vec<Command>, InstallError> {
    let of_sources = |sources: &[BinSource]| -> Result<Vec<Command>, InstallError> {
        let mut commands = Vec::new();
        for source in sources {
            commands.extend(commands_of_source(source, row_of, staged)?);
        }
        Ok(commands)
    };
    match &plan.sources {
        BinsSources::Packages(sources) => of_sources(sources),
        BinsSources::PreferringDirect(sources) => {
            let (direct, hoisted): (Vec<BinSource>, Vec<BinSource>) =
                sources.iter().cloned().partition(|source| source.is_direct);
            Ok(prefer_direct_commands(of_sources(&direct)?, of_sources(&hoisted)?))
        }
        BinsSources::ModulesDir(modules_dir) => {
            let mut commands = Vec::new();
            for name in list_modules_dir(&staged(modules_dir))?.unwrap_or_default() {
                let location = modules_dir.join(&name);
                commands.extend(commands_on_disk(&location, &location, staged)?);
            }
            Ok(commands)
        }
    }
}

fn commands_of_source<'r>(
    source: &BinSource,
    row_of: &(dyn Fn(NodeId) -> Option<&'r PackageFilesIndex> + Sync),
    staged: &StagedPath<'_>,
) -> Result<Vec<Command>, InstallError> {
    let row = source.node.and_then(row_of);
    match row {
        Some(row) => {
            let Some(manifest) = &row.manifest else { return Ok(Vec::new()) };
            let files = row.files.keys().map(String::as_str);
            Ok(commands_of_package(manifest, &source.location, &source.real_location, files))
        }
        None => commands_on_disk(&source.location, &source.real_location, staged),
    }
}

/// Commands of a package that is not in the store (a workspace project or a bundled
/// dependency): its package.json, and its files only when `directories.bin` needs them.
fn commands_on_disk(
    location: &Path,
    real_location: &Path,
    staged: &StagedPath<'_>,
) -> Result<Vec<Command>, InstallError> {
    let on_disk = staged(real_location);
    let path = on_disk.join("package.json");
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(error) => return Err(InstallError::io("read", path, error)),
    };
    let Ok(manifest) = serde_json::from_str::<Value>(&text) else { return Ok(Vec::new()) };
    let bin_dir = manifest.get("directories").and_then(|d| d.get("bin")).and_then(Value::as_str);
    let files = match (manifest.get("bin"), bin_dir) {
        (None, Some(dir)) => files_under(&on_disk, dir),
        _ => Vec::new(),
    };
    Ok(commands_of_package(&manifest, location, real_location, files.iter().map(String::as_str)))
}

/// Paths (`/`-separated, relative to `root`) of the files under `root/dir`.
fn files_under(root: &Path, dir: &str) -> Vec<String> {
    let mut files = Vec::new();
    let mut pending = vec![root.join(dir)];
    while let Some(current) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&current) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            match entry.file_type() {
                Ok(kind) if kind.is_dir() => pending.push(path),
                Ok(_) => {
                    if let Ok(relative) = path.strip_prefix(root) {
                        files.push(relative.to_string_lossy().replace('\\', "/"));
                    }
                }
                Err(_) => {}
            }
        }
    }
    files.sort();
    files
}
