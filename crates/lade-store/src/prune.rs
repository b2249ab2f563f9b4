//! Removing from the store what no project uses: index rows the caller does not keep, then files
//! no remaining row lists, then temporary files of writes that never finished.
//!
//! Safety against concurrent installs: the caller holds the store lock exclusively (see
//! [`crate::StoreLockMode`]), which lade installs hold shared while they write. For other tools
//! (pnpm takes no lock), nothing modified within [`PruneOptions::grace`] is removed: a file a
//! running install has just written is younger than that.

use std::collections::HashSet;
use std::io::ErrorKind;
use std::path::Path;
use std::time::{Duration, SystemTime};

use crate::digest::HEX_LEN;
use crate::{
    FileDigest, PackageFilesIndex, StoreDir, StoreError, StoreIndex, decode_package_files_index,
};

/// How `prune` treats files it finds unused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PruneOptions {
    /// Files and temporary files modified more recently than this are kept.
    pub grace: Duration,
}

impl Default for PruneOptions {
    fn default() -> Self {
        PruneOptions { grace: Duration::from_secs(10 * 60) }
    }
}

/// What `prune` removed and kept.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PruneSummary {
    /// Index rows kept and removed (rows that cannot be decoded are removed).
    pub kept_rows: usize,
    pub removed_rows: usize,
    /// Content files removed, and their total size.
    pub removed_files: usize,
    pub removed_bytes: u64,
    /// Temporary files of interrupted writes removed.
    pub removed_temporary: usize,
    /// Unused files left alone because they were modified within the grace period.
    pub kept_recent: usize,
    /// Global virtual store slots no project links to any more (see `StoreDir::prune_slots`).
    pub removed_slots: usize,
}

impl StoreDir {
    /// Deletes every row for which `in_use(key)` is false, unless its `package.json` is hard
    /// linked from somewhere (a project installed by a tool that records no projects), then
    /// every content file no remaining row lists. Hold the store lock exclusively meanwhile.
    pub fn prune(
        &self,
        in_use: impl Fn(&str) -> bool,
        options: PruneOptions,
    ) -> Result<PruneSummary, StoreError> {
        let mut summary = PruneSummary::default();
        let mut referenced = HashSet::new();
        if self.index_db_path().exists() {
            let mut index = StoreIndex::open(self)?;
            let mut removed = Vec::new();
            for (key, bytes) in index.all_raw()? {
                let keep = decode_package_files_index(&bytes)
                    .ok()
                    .filter(|row| in_use(&key) || self.manifest_is_linked(row));
                match keep {
                    Some(row) => {
                        summary.kept_rows += 1;
                        referenced.extend(files_of(&row));
                    }
                    None => removed.push(key),
                }
            }
            index.delete_many(&removed)?;
            summary.removed_rows = removed.len();
        }
        let cutoff = SystemTime::now().checked_sub(options.grace).unwrap_or(SystemTime::UNIX_EPOCH);
        self.sweep_files(&referenced, cutoff, &mut summary)?;
        sweep_temporary(&self.root().join("tmp"), cutoff, &mut summary)?;
        Ok(summary)
    }

    fn manifest_is_linked(&self, row: &PackageFilesIndex) -> bool {
        row.files.get("package.json").is_some_and(|info| {
            let path = self.file_path(&info.digest, info.is_executable());
            hard_links(&path) > 1
        })
    }

    fn sweep_files(
        &self,
        referenced: &HashSet<(FileDigest, bool)>,
        cutoff: SystemTime,
        summary: &mut PruneSummary,
    ) -> Result<(), StoreError> {
        for shard in 0..=255u8 {
            let dir = self.shards().dir(shard);
            for (name, path) in list(&dir)? {
                let (hex, executable) = match name.strip_suffix("-exec") {
                    Some(hex) => (hex, true),
                    None => (name.as_str(), false),
                };
                let digest = FileDigest::from_hex(format!("{:02x}{hex}", shard).as_bytes());
                let unused = match digest {
                    Some(digest) if hex.len() == HEX_LEN - 2 => {
                        !referenced.contains(&(digest, executable))
                    }
                    // Temporary files of the content writer.
                    _ if name.starts_with("tmp-") => true,
                    // Anything else is not the store's to delete.
                    _ => false,
                };
                if !unused {
                    continue;
                }
                let Ok(meta) = std::fs::symlink_metadata(&path) else { continue };
                if !meta.is_file() {
                    continue;
                }
                if meta.modified().is_ok_and(|modified| modified > cutoff) {
                    summary.kept_recent += 1;
                    continue;
                }
                remove_file(&path)?;
                if digest.is_some() {
                    summary.removed_files += 1;
                    summary.removed_bytes += meta.len();
                } else {
                    summary.removed_temporary += 1;
                }
            }
        }
        Ok(())
    }
}

/// Every (digest, executable) store file a row needs, built variants included.
fn files_of(row: &PackageFilesIndex) -> impl Iterator<Item = (FileDigest, bool)> + '_ {
    let built = row.side_effects.iter().flatten().flat_map(|(_, diff)| diff.added.iter().flatten());
    row.files
        .values()
        .chain(built.map(|(_, info)| info))
        .map(|info| (info.digest, info.is_executable()))
}

fn sweep_temporary(
    dir: &Path,
    cutoff: SystemTime,
    summary: &mut PruneSummary,
) -> Result<(), StoreError> {
    for (_, path) in list(dir)? {
        let Ok(meta) = std::fs::symlink_metadata(&path) else { continue };
        if meta.modified().is_ok_and(|modified| modified > cutoff) {
            summary.kept_recent += 1;
            continue;
        }
        remove_file(&path)?;
        summary.removed_temporary += 1;
    }
    Ok(())
}

/// Names and paths of a directory's entries; nothing for a missing directory.
pub(crate) fn list(dir: &Path) -> Result<Vec<(String, std::path::PathBuf)>, StoreError> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) if error.kind() == ErrorKind::NotFound => return Ok(Vec::new()),
        Err(error) => return Err(StoreError::io("read directory", dir, error)),
    };
    let mut found = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|error| StoreError::io("read directory", dir, error))?;
        found.push((entry.file_name().to_string_lossy().into_owned(), entry.path()));
    }
    Ok(found)
}

fn remove_file(path: &Path) -> Result<(), StoreError> {
    match std::fs::remove_file(path) {
        Err(error) if error.kind() != ErrorKind::NotFound => {
            Err(StoreError::io("remove", path, error))
        }
        _ => Ok(()),
    }
}

#[cfg(unix)]
fn hard_links(path: &Path) -> u64 {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).map_or(0, |meta| meta.nlink())
}

#[cfg(not(unix))]
fn hard_links(_path: &Path) -> u64 {
    1
}

#[cfg(test)]
mod tests;
