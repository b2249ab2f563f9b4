//! `lade store status` and `lade store prune`: the project's configuration decides which store,
//! lade-store does the work.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use lade_config::{CliSettings, Config, LoadOptions};
use lade_linker::{Platform, virtual_store_name};
use lade_lockfile::{Lockfile, LockfileError};
use lade_store::{
    PruneOptions, PruneSummary, StoreDir, StoreIndex, StoreLockMode, decode_package_files_index,
    index_key, modified_installed_files,
};

use crate::engine::NodeEngine;
use crate::{Event, InstallError, Reporter, gvs};

/// Where a store command runs and which store it concerns.
#[derive(Debug, Clone)]
pub struct StoreCommandOptions {
    /// The directory lade runs in; the project and its configuration are found from here.
    pub dir: PathBuf,
    pub store_dir: Option<PathBuf>,
}

/// What `store status` found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoreStatus {
    /// Installed packages compared with their store rows.
    pub checked: usize,
    /// Snapshot keys (dep paths) of the packages whose installed files differ from the store's
    /// record of them.
    pub modified: Vec<String>,
}

/// pnpm's `store status`: each package of the project's lockfile that is installed is re-hashed
/// file by file against its store row. With hard links a modified package means modified store
/// files, which every project linking them would see.
pub fn store_status(options: &StoreCommandOptions) -> Result<StoreStatus, InstallError> {
    let config = load_config(options)?;
    let store = StoreDir::new(&config.dirs.store);
    let Some(lockfile) = read_lockfile(&config.dirs.lockfile.join("pnpm-lock.yaml"))? else {
        return Ok(StoreStatus::default());
    };
    let Some(index) = StoreIndex::open_readonly(&store)? else {
        return Ok(StoreStatus::default());
    };
    let layout = gvs::layout_of(&config.dirs.lockfile, &config);
    let global_slots = match layout.global_virtual_store_dir() {
        Some(_) => {
            let builds = gvs::BuildPolicy::new(&config.pnpm.builds);
            let node = NodeEngine::new(&config);
            let context = gvs::SlotContext {
                lockfile_dir: &config.dirs.lockfile,
                node: &node,
                platform: &Platform::current(),
                builds: &builds,
            };
            gvs::slot_paths(&lockfile, &context)?
        }
        None => HashMap::new(),
    };
    let max_length = config.layout.virtual_store_dir_max_length as usize;
    let mut status = StoreStatus::default();
    for (dep_path, _, package) in lockfile.snapshots_with_packages() {
        let Some(integrity) = package.and_then(|package| package.resolution.integrity()) else {
            continue;
        };
        let slot = match global_slots.get(dep_path.as_str()) {
            Some(slot) => layout.slots_dir().join(slot),
            None => {
                layout.virtual_store_dir().join(virtual_store_name(dep_path.as_str(), max_length))
            }
        };
        let package_dir = slot.join("node_modules").join(dep_path.name());
        if !package_dir.is_dir() {
            continue;
        }
        let key = index_key(integrity, dep_path.without_peers());
        let Some((_, bytes)) = index.get_many_raw(&[key])?.pop() else { continue };
        let Ok(row) = decode_package_files_index(&bytes) else { continue };
        status.checked += 1;
        if !modified_installed_files(&row, &package_dir).is_empty() {
            status.modified.push(dep_path.to_string());
        }
    }
    Ok(status)
}

/// `store prune`: removes the global virtual store's slots no registered project links to, keeps
/// the rows of every package some registered project's lockfile (wanted or installed) lists,
/// then removes the rest and the files nothing lists any more. Waits for lade
/// installs using the store to finish, and they wait for it.
pub fn store_prune(
    options: &StoreCommandOptions,
    reporter: &dyn Reporter,
) -> Result<PruneSummary, InstallError> {
    let config = load_config(options)?;
    let store = StoreDir::new(&config.dirs.store);
    let _lock = store.lock(StoreLockMode::Exclusive, || {
        reporter.report(Event::Warning(&format!(
            "lade installs are using the store {}; waiting for them to finish",
            store.root().display()
        )));
    })?;
    let projects = store.registered_projects()?;
    let removed_slots = store.prune_slots(&projects)?;
    let mut in_use = HashSet::new();
    for project in &projects {
        for lockfile in
            [project.join("pnpm-lock.yaml"), project.join("node_modules/.pnpm/lock.yaml")]
        {
            // A project whose lockfile cannot be read keeps nothing of its own alive; its next
            // install fetches what it needs again.
            match read_lockfile(&lockfile) {
                Ok(Some(lockfile)) => in_use.extend(keys_of(&lockfile)),
                Ok(None) => {}
                Err(error) => tracing::debug!(%error, "skipping an unreadable lockfile"),
            }
        }
    }
    let summary = store.prune(|key| in_use.contains(key), PruneOptions::default())?;
    Ok(PruneSummary { removed_slots, ..summary })
}

fn keys_of(lockfile: &Lockfile) -> impl Iterator<Item = String> + '_ {
    lockfile.packages.iter().filter_map(|(dep_path, package)| {
        let integrity = package.resolution.integrity()?;
        Some(index_key(integrity, dep_path.as_str()))
    })
}

fn load_config(options: &StoreCommandOptions) -> Result<Config, InstallError> {
    let cli = CliSettings { store_dir: options.store_dir.clone(), ..CliSettings::default() };
    let mut load = LoadOptions::from_process(cli)?;
    load.cwd = options.dir.clone();
    Ok(Config::load(&load)?)
}

fn read_lockfile(path: &Path) -> Result<Option<Lockfile>, InstallError> {
    match Lockfile::from_path(path) {
        Ok(lockfile) => Ok(Some(lockfile)),
        Err(LockfileError::NotFound { .. }) => Ok(None),
        Err(error) => Err(error.into()),
    }
}
