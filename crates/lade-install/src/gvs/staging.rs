//! Missing slots are built under a temporary name beside their final one
//! (`<hash>_tmp_<pid>_<n>`): the package from the store, links to its dependencies, its `.bin`;
//! then each is renamed into place. Links and shims are computed for the final paths, which are
//! siblings of the temporary ones, so nothing needs rewriting after the rename. Whoever renames
//! first wins; a loser drops its copy, since the winner's is the same content.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use lade_linker::{NodeId, StagedPath, link_dir};
use lade_store::{ImportOutcome, PackageFilesIndex};
use rayon::prelude::*;

use super::{BuildPolicy, COMPLETION_MARKER};
use crate::InstallError;
use crate::link::{Linked, Linker, link_slot_bins};

/// pnpm's marker for a package its builder has yet to build: pnpm builds it at its next install.
const NEEDS_BUILD_MARKER: &str = ".pnpm-needs-build";

/// The slots this install builds, by final directory.
pub(crate) struct SlotStaging<'a> {
    builds: &'a BuildPolicy,
    staged: Mutex<HashMap<PathBuf, Staged>>,
}

struct Staged {
    temp: PathBuf,
    /// The node that builds it; peer variants hashing alike share the slot.
    owner: NodeId,
    filled: bool,
}

impl<'a> SlotStaging<'a> {
    pub fn new(builds: &'a BuildPolicy) -> Self {
        SlotStaging { builds, staged: Mutex::new(HashMap::new()) }
    }

    /// Builds the node's slot under its temporary name, unless another node of this install
    /// builds the same slot.
    pub fn fill(
        &self,
        linker: &Linker,
        id: NodeId,
        row: &PackageFilesIndex,
    ) -> Result<Linked, InstallError> {
        let node = linker.graph.deps.node(id);
        let slot = linker.layout.slot_dir(node);
        let Some(temp) = self.claim(&slot, id)? else {
            linker.counters.added();
            return Ok(Linked::Done);
        };
        match fill_slot(linker, id, row, &temp, self.builds)? {
            Linked::Done => {}
            Linked::NeedsRefetch => return Ok(Linked::NeedsRefetch),
        }
        if let Some(staged) = self.lock()?.get_mut(&slot) {
            staged.filled = true;
        }
        linker.counters.added();
        Ok(Linked::Done)
    }

    /// Writes the staged slots' `.bin` directories, then renames every slot into place.
    pub fn finish<'r>(
        &self,
        linker: &Linker,
        row_of: &(dyn Fn(NodeId) -> Option<&'r PackageFilesIndex> + Sync),
    ) -> Result<(), InstallError> {
        let staged = std::mem::take(&mut *self.lock()?);
        let (filled, abandoned): (Vec<_>, Vec<_>) =
            staged.into_iter().partition(|(_, staged)| staged.filled);
        abandoned.par_iter().try_for_each(|(_, staged)| remove_dir(&staged.temp))?;
        let temps: HashMap<&Path, &Path> =
            filled.iter().map(|(slot, staged)| (slot.as_path(), staged.temp.as_path())).collect();
        let links = linker.layout.slots_dir();
        let staged_path: &StagedPath = &|path| staged_location(links, &temps, path);
        filled.par_iter().try_for_each(|(_, staged)| {
            link_slot_bins(linker, staged.owner, row_of, staged_path)
        })?;
        let lost: Vec<&(PathBuf, Staged)> = filled
            .par_iter()
            .map(|entry| match std::fs::rename(&entry.1.temp, &entry.0) {
                Ok(()) => Ok(None),
                Err(error) if occupied(&error) => Ok(Some(entry)),
                Err(error) => Err(InstallError::io("rename", &entry.1.temp, error)),
            })
            .filter_map(Result::transpose)
            .collect::<Result<_, _>>()?;
        lost.par_iter()
            .try_for_each(|(slot, staged)| settle_lost(linker, slot, staged, self.builds, row_of))
    }

    /// The temporary directory for `slot`, or `None` when another node builds it.
    fn claim(&self, slot: &Path, id: NodeId) -> Result<Option<PathBuf>, InstallError> {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let mut staged = self.lock()?;
        if let Some(existing) = staged.get(slot) {
            return Ok((existing.owner == id).then(|| existing.temp.clone()));
        }
        let (Some(parent), Some(name)) = (slot.parent(), slot.file_name()) else {
            return Err(InstallError::Internal(format!(
                "slot without a parent: {}",
                slot.display()
            )));
        };
        let unique = COUNTER.fetch_add(1, Ordering::Relaxed);
        let temp =
            parent.join(format!("{}_tmp_{}_{unique}", name.to_string_lossy(), std::process::id()));
        staged.insert(slot.to_path_buf(), Staged { temp: temp.clone(), owner: id, filled: false });
        drop(staged);
        std::fs::create_dir_all(parent)
            .map_err(|error| InstallError::io("create", parent, error))?;
        Ok(Some(temp))
    }

    fn lock(&self) -> Result<std::sync::MutexGuard<'_, HashMap<PathBuf, Staged>>, InstallError> {
        self.staged.lock().map_err(|_| InstallError::Internal("a slot worker panicked".into()))
    }
}

impl Drop for SlotStaging<'_> {
    /// An install that fails before [`SlotStaging::finish`] leaves no half-built slot behind.
    fn drop(&mut self) {
        let staged = match self.staged.get_mut() {
            Ok(staged) => std::mem::take(staged),
            Err(poisoned) => std::mem::take(poisoned.into_inner()),
        };
        for staged in staged.values() {
            let _ = std::fs::remove_dir_all(&staged.temp);
        }
    }
}

/// The package from the store and the links to its dependencies, in the slot at `slot_dir`.
fn fill_slot(
    linker: &Linker,
    id: NodeId,
    row: &PackageFilesIndex,
    slot_dir: &Path,
    builds: &BuildPolicy,
) -> Result<Linked, InstallError> {
    let node = linker.graph.deps.node(id);
    let modules = slot_dir.join("node_modules");
    let package_dir = modules.join(node.name.as_str());
    match linker.store.import_package(row, &package_dir, linker.import)? {
        ImportOutcome::Imported { .. } => {}
        ImportOutcome::NeedsRefetch { file, reason } => {
            tracing::debug!(package = %node.dep_path, file, ?reason, "store file stale");
            return Ok(Linked::NeedsRefetch);
        }
    }
    for (alias, child) in &node.children {
        let link = modules.join(alias.as_str());
        if link == package_dir {
            continue;
        }
        // The slot and its temporary name are siblings: the relative link is the same for both.
        link_dir(&linker.layout.package_dir(linker.graph.deps.node(*child)), &link)?;
    }
    if row.requires_build == Some(true)
        && builds.allows(node.name.as_str(), node.dep_path.version())
    {
        let marker = package_dir.join(NEEDS_BUILD_MARKER);
        std::fs::write(&marker, b"").map_err(|error| InstallError::io("write", &marker, error))?;
    }
    Ok(Linked::Done)
}

/// Another install renamed its copy of the slot into place first. Ours is dropped; the slot is
/// filled where it stands only if what is there was never finished (an interrupted pnpm writes
/// slots in place).
fn settle_lost<'r>(
    linker: &Linker,
    slot: &Path,
    staged: &Staged,
    builds: &BuildPolicy,
    row_of: &(dyn Fn(NodeId) -> Option<&'r PackageFilesIndex> + Sync),
) -> Result<(), InstallError> {
    remove_dir(&staged.temp)?;
    let node = linker.graph.deps.node(staged.owner);
    let marker = slot.join("node_modules").join(node.name.as_str()).join(COMPLETION_MARKER);
    if marker.symlink_metadata().is_ok() {
        return Ok(());
    }
    let Some(row) = row_of(staged.owner) else { return Ok(()) };
    match fill_slot(linker, staged.owner, row, slot, builds)? {
        Linked::Done => link_slot_bins(linker, staged.owner, row_of, &|path| Cow::Borrowed(path)),
        Linked::NeedsRefetch => {
            Err(InstallError::StoreInconsistent { package: node.dep_path.to_string() })
        }
    }
}

/// Where a path below a staged slot is until the rename: slots are the first four components
/// below the `links` directory (`<scope or @>/<name>/<version>/<hash>`).
pub(super) fn staged_location<'p>(
    links: &Path,
    temps: &HashMap<&Path, &Path>,
    path: &'p Path,
) -> Cow<'p, Path> {
    let Ok(relative) = path.strip_prefix(links) else { return Cow::Borrowed(path) };
    let mut components = relative.components();
    let slot: PathBuf = components.by_ref().take(4).collect();
    match temps.get(links.join(&slot).as_path()) {
        Some(temp) => Cow::Owned(temp.join(components.as_path())),
        None => Cow::Borrowed(path),
    }
}

fn occupied(error: &std::io::Error) -> bool {
    matches!(error.kind(), ErrorKind::AlreadyExists | ErrorKind::DirectoryNotEmpty)
}

fn remove_dir(dir: &Path) -> Result<(), InstallError> {
    match std::fs::remove_dir_all(dir) {
        Err(error) if error.kind() != ErrorKind::NotFound => {
            Err(InstallError::io("remove", dir, error))
        }
        _ => Ok(()),
    }
}
