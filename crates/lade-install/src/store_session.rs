//! An install's terms with the shared store: it holds the store lock shared (so `lade store
//! prune` waits for it, and it for prune), registers its project as pnpm does (so prune knows
//! what the project uses), and sets a corrupt `index.db` aside rather than failing on it.

use std::path::Path;

use lade_store::{StoreDir, StoreError, StoreIndex, StoreLock, StoreLockMode};

use crate::{Event, InstallError, Reporter};

/// Takes the store lock for the rest of the install and records the project in the store.
pub(crate) fn hold(
    store: &StoreDir,
    project_dir: &Path,
    reporter: &dyn Reporter,
) -> Result<StoreLock, InstallError> {
    let lock = store.lock(StoreLockMode::Shared, || {
        reporter.report(Event::Warning(&format!(
            "the store {} is being pruned; waiting for that to finish",
            store.root().display()
        )));
    })?;
    // Best effort, as in pnpm: without the record, prune only keeps what is hard linked.
    if let Err(error) = store.register_project(project_dir) {
        tracing::debug!(%error, "cannot register the project in the store");
    }
    Ok(lock)
}

/// Whether `error` is a corrupt store index, which [`set_aside_corrupt_index`] recovers from.
pub(crate) fn is_corrupt_index(error: &InstallError) -> bool {
    matches!(error, InstallError::Store(StoreError::IndexCorrupt { .. }))
}

/// Moves the corrupt index aside (never the files it lists) and says so; the install then
/// treats every package as absent from the store and writes a new index as it fetches them.
pub(crate) fn set_aside_corrupt_index(
    store: &StoreDir,
    reporter: &dyn Reporter,
) -> Result<(), InstallError> {
    let aside = StoreIndex::set_aside(store)?;
    reporter.report(Event::Warning(&format!(
        "the store index {} was corrupt: it was moved to {} and is rebuilt from the packages \
         this install fetches (files already in the store are reused)",
        store.index_db_path().display(),
        aside.display()
    )));
    Ok(())
}
