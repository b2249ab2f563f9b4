//! Path-based fallback for platforms without `*at` system calls (Windows).

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};

use super::{FileStat, ShardDirs, join_relative};
use crate::FileDigest;

#[derive(Debug, Default)]
pub(crate) struct ShardHandles;

impl ShardHandles {
    pub(crate) fn file(
        &self,
        shards: &ShardDirs,
        digest: &FileDigest,
        executable: bool,
    ) -> io::Result<StoreFile<'_>> {
        Ok(StoreFile { path: shards.path(digest, executable), _shards: std::marker::PhantomData })
    }
}

pub(crate) struct StoreFile<'a> {
    path: PathBuf,
    _shards: std::marker::PhantomData<&'a ShardHandles>,
}

impl StoreFile<'_> {
    pub(crate) fn stat(&self) -> io::Result<FileStat> {
        let metadata = std::fs::symlink_metadata(&self.path)?;
        if !metadata.is_file() {
            return Err(io::Error::new(io::ErrorKind::InvalidData, "not a regular file"));
        }
        Ok(FileStat { modified_ms: unix_ms(metadata.modified()?), size: metadata.len() })
    }

    pub(crate) fn open(&self) -> io::Result<File> {
        File::open(&self.path)
    }
}

#[derive(Debug)]
pub(crate) struct TargetDir {
    path: PathBuf,
}

impl TargetDir {
    pub(crate) fn open(path: &Path) -> io::Result<Self> {
        if std::fs::metadata(path)?.is_dir() {
            Ok(TargetDir { path: path.to_path_buf() })
        } else {
            Err(io::Error::new(io::ErrorKind::NotADirectory, "not a directory"))
        }
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    pub(crate) fn create_child(&self, name: &str) -> io::Result<TargetDir> {
        let path = self.path.join(name);
        std::fs::create_dir(&path)?;
        Ok(TargetDir { path })
    }

    pub(crate) fn make_dir(&self, relative: &str) -> io::Result<()> {
        std::fs::create_dir(join_relative(&self.path, relative))
    }

    pub(crate) fn hard_link(&self, source: &StoreFile<'_>, relative: &str) -> io::Result<()> {
        std::fs::hard_link(&source.path, join_relative(&self.path, relative))
    }

    pub(crate) fn reflink(&self, source: &StoreFile<'_>, relative: &str) -> io::Result<()> {
        reflink_copy::reflink(&source.path, join_relative(&self.path, relative))
    }

    /// A copy keeps no Unix mode here: these platforms have no executable bit.
    pub(crate) fn copy(
        &self,
        source: &StoreFile<'_>,
        relative: &str,
        _executable: bool,
    ) -> io::Result<()> {
        let target = join_relative(&self.path, relative);
        let mut from = source.open()?;
        let mut to = File::options().write(true).create_new(true).open(&target)?;
        let copied = io::copy(&mut from, &mut to);
        if copied.is_err() {
            let _ = std::fs::remove_file(&target);
        }
        copied.map(drop)
    }

    pub(crate) fn rename(&self, from: &str, to: &str) -> io::Result<()> {
        std::fs::rename(self.path.join(from), self.path.join(to))
    }
}

pub(crate) fn create_new_file(path: &Path, _executable: bool) -> io::Result<File> {
    File::options().write(true).create_new(true).open(path)
}

/// A hard link fails when the target exists, which gives the no-replace guarantee.
pub(crate) fn rename_no_replace(from: &Path, to: &Path) -> io::Result<()> {
    std::fs::hard_link(from, to)?;
    std::fs::remove_file(from)
}

/// Milliseconds since the Unix epoch, negative before it.
fn unix_ms(time: std::time::SystemTime) -> f64 {
    match time.duration_since(std::time::UNIX_EPOCH) {
        Ok(since) => since.as_secs_f64() * 1000.0,
        Err(before) => -(before.duration().as_secs_f64() * 1000.0),
    }
}
