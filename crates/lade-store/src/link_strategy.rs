//! The one place that knows the platform: how a store file is linked, cloned or copied into a
//! package directory, how files are renamed without replacing, how a store file is stat-ed.
//! Unix works relative to open directory descriptors (the staging directory; on Linux also the
//! store's shard directories) so the kernel does not re-walk long paths for every file: measured
//! on 33k store files, stat + link fell from 6.0 to 4.3 µs per file on tmpfs.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use crate::FileDigest;
use crate::digest::{ShardFileName, shard_dir_name};

mod spread;
#[cfg(unix)]
mod unix;
pub use spread::spread_subdirectories;
#[cfg(unix)]
pub(crate) use unix::{ShardHandles, StoreFile, TargetDir, create_new_file, rename_no_replace};

#[cfg(not(unix))]
mod portable;
#[cfg(not(unix))]
pub(crate) use portable::{ShardHandles, StoreFile, TargetDir, create_new_file, rename_no_replace};

/// The store's 256 shard directories, `files/00` to `files/ff`.
#[derive(Debug)]
pub(crate) struct ShardDirs {
    files: PathBuf,
    /// Shards this process has created or found, so a write pays for `mkdir` once per shard.
    ensured: Box<[AtomicBool]>,
    handles: ShardHandles,
}

/// What the integrity check needs to know about a store file.
#[derive(Debug, Clone, Copy)]
pub(crate) struct FileStat {
    pub(crate) modified_ms: f64,
    pub(crate) size: u64,
}

impl ShardDirs {
    pub(crate) fn new(files: PathBuf) -> Self {
        ShardDirs {
            files,
            ensured: (0..256).map(|_| AtomicBool::new(false)).collect(),
            handles: ShardHandles::default(),
        }
    }

    pub(crate) fn dir(&self, shard: u8) -> PathBuf {
        self.files.join(shard_dir_name(shard))
    }

    pub(crate) fn path(&self, digest: &FileDigest, executable: bool) -> PathBuf {
        let mut path = self.dir(digest.shard());
        path.push(ShardFileName::new(digest, executable).as_str());
        path
    }

    /// Creates `files/XX` unless this process already has; concurrent creators are harmless.
    pub(crate) fn ensure(&self, shard: u8) -> io::Result<PathBuf> {
        let dir = self.dir(shard);
        let flag = &self.ensured[usize::from(shard)];
        if !flag.load(Ordering::Relaxed) {
            fs_err::create_dir_all(&dir)?;
            flag.store(true, Ordering::Relaxed);
        }
        Ok(dir)
    }

    /// A handle on a store file for stat-ing, linking, cloning or copying it.
    pub(crate) fn file(&self, digest: &FileDigest, executable: bool) -> io::Result<StoreFile<'_>> {
        self.handles.file(self, digest, executable)
    }
}

/// Whether an error from a link, clone or copy means the file system cannot do that operation
/// at all (so a cheaper tier should be tried), rather than that this one call was wrong: a
/// missing source, a denied directory or an existing target would fail on every tier.
pub(crate) fn is_capability_error(error: &io::Error) -> bool {
    let call_error = matches!(
        error.kind(),
        io::ErrorKind::NotFound | io::ErrorKind::PermissionDenied | io::ErrorKind::AlreadyExists
    );
    (!call_error || is_not_permitted(error)) && !is_too_many_links(error)
}

/// `EPERM`, which Rust files under `PermissionDenied` with `EACCES`, is what Linux returns for a
/// hard link the file system or `fs.protected_hardlinks` does not allow: a capability failure.
#[cfg(unix)]
fn is_not_permitted(error: &io::Error) -> bool {
    error.raw_os_error() == Some(rustix::io::Errno::PERM.raw_os_error())
}

#[cfg(not(unix))]
fn is_not_permitted(_error: &io::Error) -> bool {
    false
}

/// The store and the target are on different file systems.
pub(crate) fn is_cross_device(error: &io::Error) -> bool {
    error.kind() == io::ErrorKind::CrossesDevices
}

/// The source already has the file system's maximum number of hard links (ext4: 65,000), which
/// a widely shared file such as a common LICENSE can reach; only that file needs a copy.
pub(crate) fn is_too_many_links(error: &io::Error) -> bool {
    error.kind() == io::ErrorKind::TooManyLinks
}

/// Whether something already exists where a directory was to be created or renamed to: a
/// directory, or (`ENOTDIR`) a file or symlink, which is moved aside rather than followed.
pub(crate) fn is_occupied(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::AlreadyExists
            | io::ErrorKind::DirectoryNotEmpty
            | io::ErrorKind::NotADirectory
    )
}

pub(crate) fn join_relative(base: &Path, relative: &str) -> PathBuf {
    let mut path = base.to_path_buf();
    path.extend(relative.split('/'));
    path
}
