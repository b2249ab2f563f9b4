//! Importing a package from the store into a directory: the hot path of a warm install.
//!
//! The package is built in a private sibling of its target and renamed into place, so a crash
//! never leaves a half-filled package under its final name. Files are walked in sorted order,
//! which visits each directory's files together, so every directory is created exactly once
//! and nothing is stat-ed before it is created or linked.

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::integrity::{StaleReason, Verdict};
use crate::link_strategy::{TargetDir, is_occupied};
use crate::{PackageFilesIndex, StoreDir, StoreError};

mod method;

pub use method::{ImportMethod, LinkMethod};

/// How to import a package.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImportOptions {
    /// pnpm's `package-import-method`.
    pub method: ImportMethod,
    /// pnpm's `verify-store-integrity` (default on): check each store file before using it.
    pub verify_store_integrity: bool,
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions { method: ImportMethod::Auto, verify_store_integrity: true }
    }
}

/// The result of an import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportOutcome {
    /// Every file is in place under the target.
    Imported {
        /// The slowest way any file was placed (a package may need a copy for one file).
        method: Option<LinkMethod>,
        /// Store files that looked modified and were re-hashed before use.
        rehashed_files: u32,
    },
    /// A store file is missing or modified, so nothing was placed at the target: fetch the
    /// package again (`add_tarball` repairs the store files), then import the new row.
    NeedsRefetch {
        /// The first file found unusable, by its path in the package.
        file: String,
        reason: StaleReason,
    },
}

impl StoreDir {
    /// Imports `index`'s files into `target`, creating its parent directories as needed. A
    /// directory already at `target` is replaced as a whole; deciding that an existing package
    /// is complete (pnpm checks for its `package.json`) is the caller's job.
    pub fn import_package(
        &self,
        index: &PackageFilesIndex,
        target: &Path,
        options: ImportOptions,
    ) -> Result<ImportOutcome, StoreError> {
        let fail = |source| StoreError::Import {
            file: String::new(),
            target: target.to_path_buf(),
            source,
        };
        let (Some(parent_path), Some(name)) =
            (target.parent(), target.file_name().and_then(|n| n.to_str()))
        else {
            return Err(fail(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "the target has no parent directory or a name that is not UTF-8",
            )));
        };
        let parent = open_or_create(parent_path).map_err(fail)?;
        let stage_name = sibling_name(name, "stage");
        let stage = parent.create_child(&stage_name).map_err(fail)?;
        let outcome = self.populate(&stage, index, options, target);
        drop(stage);
        match outcome {
            Ok(imported @ ImportOutcome::Imported { .. }) => {
                match move_into_place(&parent, &stage_name, name) {
                    Ok(()) => Ok(imported),
                    Err(error) => {
                        remove_quietly(&parent, &stage_name);
                        Err(fail(error))
                    }
                }
            }
            other => {
                remove_quietly(&parent, &stage_name);
                other
            }
        }
    }

    fn populate(
        &self,
        stage: &TargetDir,
        index: &PackageFilesIndex,
        options: ImportOptions,
        target: &Path,
    ) -> Result<ImportOutcome, StoreError> {
        let mut dirs = DirStack::default();
        let mut slowest = None;
        let mut rehashed_files = 0;
        for (path, info) in &index.files {
            check_relative(path)?;
            let import_error = |source| StoreError::Import {
                file: path.clone(),
                target: target.to_path_buf(),
                source,
            };
            if let Some((dir, _)) = path.rsplit_once('/') {
                dirs.ensure(stage, dir).map_err(import_error)?;
            }
            if options.verify_store_integrity {
                match self.check_file(info) {
                    Verdict::Unchanged => {}
                    Verdict::Rehashed => rehashed_files += 1,
                    Verdict::Stale(reason) => {
                        return Ok(ImportOutcome::NeedsRefetch { file: path.clone(), reason });
                    }
                }
            }
            let executable = info.is_executable();
            let placed = self
                .shards()
                .file(&info.digest, executable)
                .and_then(|source| options.method.place(stage, &source, path, executable));
            match placed {
                Ok(used) => slowest = slowest.max(Some(used)),
                Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                    return Ok(ImportOutcome::NeedsRefetch {
                        file: path.clone(),
                        reason: StaleReason::Missing,
                    });
                }
                Err(error) => return Err(import_error(error)),
            }
        }
        Ok(ImportOutcome::Imported { method: slowest, rehashed_files })
    }
}

/// The chain of directories created so far along the current path; sorted input means a
/// directory, once left, is never needed again.
#[derive(Default)]
struct DirStack<'a> {
    created: Vec<&'a str>,
}

impl<'a> DirStack<'a> {
    fn ensure(&mut self, stage: &TargetDir, dir: &'a str) -> std::io::Result<()> {
        while let Some(top) = self.created.last() {
            if is_within(dir, top) {
                break;
            }
            self.created.pop();
        }
        let start = match self.created.last() {
            Some(top) if top.len() == dir.len() => return Ok(()),
            Some(top) => top.len() + 1,
            None => 0,
        };
        let ends = dir[start..].match_indices('/').map(|(at, _)| start + at).chain([dir.len()]);
        for end in ends {
            stage.make_dir(&dir[..end])?;
            self.created.push(&dir[..end]);
        }
        Ok(())
    }
}

/// Whether `dir` is `ancestor` or lies below it.
fn is_within(dir: &str, ancestor: &str) -> bool {
    dir.strip_prefix(ancestor).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// Index rows come from a shared database; a path that could leave the package is refused.
fn check_relative(path: &str) -> Result<(), StoreError> {
    let safe = path
        .split('/')
        .all(|segment| !matches!(segment, "" | "." | "..") && !segment.contains(['\\', '\0']));
    if safe { Ok(()) } else { Err(StoreError::UnsafeIndexPath { file: path.to_owned() }) }
}

/// Opens the target's parent (`.pnpm/<slot>/node_modules`), making it and its own parent first.
/// On a fresh install both are new, so `mkdir` top-down costs three calls where probing with
/// `open` first costs five; on a re-import both `mkdir`s fail fast with `EEXIST`.
fn open_or_create(path: &Path) -> std::io::Result<TargetDir> {
    let made = |result: std::io::Result<()>| match result {
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        other => other,
    };
    let top_down = path.parent().map_or(Ok(()), |parent| made(std::fs::create_dir(parent)));
    match top_down.and_then(|()| made(std::fs::create_dir(path))) {
        Ok(()) => TargetDir::open(path),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            std::fs::create_dir_all(path)?;
            TargetDir::open(path)
        }
        Err(error) => Err(error),
    }
}

/// A hidden name next to the target, unique within this process and across processes. Only the
/// start of a long name is kept, so the result stays within the 255-byte file name limit.
fn sibling_name(name: &str, purpose: &str) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let count = COUNTER.fetch_add(1, Ordering::Relaxed);
    let end = name.char_indices().map(|(at, _)| at).take_while(|at| *at <= 100).last().unwrap_or(0);
    let prefix = if name.len() <= 100 { name } else { &name[..end] };
    format!(".{prefix}.lade-{purpose}-{}-{count}", crate::cas_write::process_id())
}

/// Renames the finished stage to its final name; a directory already there is moved aside
/// first and removed once the new one is in place.
fn move_into_place(parent: &TargetDir, stage_name: &str, name: &str) -> std::io::Result<()> {
    match parent.rename(stage_name, name) {
        Err(error) if is_occupied(&error) => {
            let old_name = sibling_name(name, "old");
            parent.rename(name, &old_name)?;
            if let Err(error) = parent.rename(stage_name, name) {
                let _ = parent.rename(&old_name, name);
                return Err(error);
            }
            remove_quietly(parent, &old_name);
            Ok(())
        }
        result => result,
    }
}

/// Removes a directory tree, or the file or symlink that was moved aside in its place.
fn remove_quietly(parent: &TargetDir, name: &str) {
    let path = parent.path().join(name);
    if std::fs::remove_dir_all(&path).is_err() {
        let _ = std::fs::remove_file(&path);
    }
}

#[cfg(all(test, unix))]
mod tests;
