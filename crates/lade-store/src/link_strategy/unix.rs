use std::fs::File;
use std::io;
use std::os::fd::{BorrowedFd, OwnedFd};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use rustix::fs::{AtFlags, CWD, FileType, Mode, OFlags};

use super::{FileStat, ShardDirs, join_relative};
use crate::FileDigest;
use crate::digest::ShardFileName;

/// On Linux, the shard directories, each opened on first use and kept open so store files are
/// reached by name inside them. Elsewhere store files are reached by absolute path: macOS's
/// default limit of 256 open files could not spare 256 directory descriptors.
#[derive(Debug)]
pub(crate) struct ShardHandles {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    dirs: Box<[std::sync::OnceLock<OwnedFd>]>,
}

impl Default for ShardHandles {
    fn default() -> Self {
        ShardHandles {
            #[cfg(any(target_os = "linux", target_os = "android"))]
            dirs: (0..256).map(|_| std::sync::OnceLock::new()).collect(),
        }
    }
}

impl ShardHandles {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    pub(crate) fn file<'a>(
        &'a self,
        shards: &ShardDirs,
        digest: &FileDigest,
        executable: bool,
    ) -> io::Result<StoreFile<'a>> {
        let slot = &self.dirs[usize::from(digest.shard())];
        let dir = match slot.get() {
            Some(fd) => fd,
            None => {
                // `O_PATH` is enough for `*at` calls and needs no read permission on the shard.
                let flags = OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC;
                let fd = rustix::fs::open(shards.dir(digest.shard()), flags, Mode::empty())?;
                // A concurrent opener may have won; either descriptor names the same directory.
                slot.get_or_init(|| fd)
            }
        };
        let name = Name::Shard(ShardFileName::new(digest, executable));
        Ok(StoreFile { dir: std::os::fd::AsFd::as_fd(dir), name })
    }

    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    pub(crate) fn file<'a>(
        &'a self,
        shards: &ShardDirs,
        digest: &FileDigest,
        executable: bool,
    ) -> io::Result<StoreFile<'a>> {
        Ok(StoreFile { dir: CWD, name: Name::Absolute(shards.path(digest, executable)) })
    }
}

/// A store file, named relative to a directory descriptor.
pub(crate) struct StoreFile<'a> {
    dir: BorrowedFd<'a>,
    name: Name,
}

enum Name {
    #[cfg_attr(not(any(target_os = "linux", target_os = "android")), expect(dead_code))]
    Shard(ShardFileName),
    #[cfg_attr(any(target_os = "linux", target_os = "android"), expect(dead_code))]
    Absolute(PathBuf),
}

impl StoreFile<'_> {
    fn name(&self) -> &Path {
        match &self.name {
            Name::Shard(name) => Path::new(name.as_str()),
            Name::Absolute(path) => path,
        }
    }

    /// Size and modification time, for a regular file only (a symlink is not followed).
    pub(crate) fn stat(&self) -> io::Result<FileStat> {
        let stat = rustix::fs::statat(self.dir, self.name(), AtFlags::SYMLINK_NOFOLLOW)?;
        if FileType::from_raw_mode(stat.st_mode) != FileType::RegularFile {
            return Err(io::Error::new(io::ErrorKind::InvalidData, "not a regular file"));
        }
        let modified_ms = stat.st_mtime as f64 * 1000.0 + stat.st_mtime_nsec as f64 / 1e6;
        Ok(FileStat { modified_ms, size: stat.st_size as u64 })
    }

    pub(crate) fn open(&self) -> io::Result<File> {
        let flags = OFlags::RDONLY | OFlags::CLOEXEC | OFlags::NOFOLLOW;
        Ok(File::from(rustix::fs::openat(self.dir, self.name(), flags, Mode::empty())?))
    }
}

/// Modes pnpm gives store files and copies: the umask still applies, as it does for pnpm.
const EXECUTABLE_MODE: u32 = 0o755;
const REGULAR_MODE: u32 = 0o666;

/// An open directory that imported files are created in, addressed by paths relative to it.
#[derive(Debug)]
pub(crate) struct TargetDir {
    fd: OwnedFd,
    path: PathBuf,
}

impl TargetDir {
    /// Opens an existing directory (following symlinks, as a path lookup would).
    pub(crate) fn open(path: &Path) -> io::Result<Self> {
        let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
        let fd = rustix::fs::open(path, flags, Mode::empty())?;
        Ok(TargetDir { fd, path: path.to_path_buf() })
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// Creates the directory `name` inside this one and opens it; fails if it exists.
    pub(crate) fn create_child(&self, name: &str) -> io::Result<TargetDir> {
        rustix::fs::mkdirat(&self.fd, name, Mode::from_raw_mode(0o777))?;
        let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC | OFlags::NOFOLLOW;
        let fd = rustix::fs::openat(&self.fd, name, flags, Mode::empty())?;
        Ok(TargetDir { fd, path: self.path.join(name) })
    }

    /// Creates `relative` (a `/`-separated path whose parent exists) as a directory.
    pub(crate) fn make_dir(&self, relative: &str) -> io::Result<()> {
        Ok(rustix::fs::mkdirat(&self.fd, relative, Mode::from_raw_mode(0o777))?)
    }

    pub(crate) fn hard_link(&self, source: &StoreFile<'_>, relative: &str) -> io::Result<()> {
        Ok(rustix::fs::linkat(source.dir, source.name(), &self.fd, relative, AtFlags::empty())?)
    }

    /// A reflink (copy-on-write clone); the clone keeps the store file's mode.
    pub(crate) fn reflink(&self, source: &StoreFile<'_>, relative: &str) -> io::Result<()> {
        reflink_copy::reflink_file_to_path(&source.open()?, join_relative(&self.path, relative))
    }

    /// A full copy; `executable` decides the mode because a copy does not share the store inode.
    pub(crate) fn copy(
        &self,
        source: &StoreFile<'_>,
        relative: &str,
        executable: bool,
    ) -> io::Result<()> {
        let mut from = source.open()?;
        let mode = if executable { EXECUTABLE_MODE } else { REGULAR_MODE };
        let flags = OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL | OFlags::CLOEXEC;
        let to = rustix::fs::openat(&self.fd, relative, flags, Mode::from_raw_mode(mode))?;
        let mut to = File::from(to);
        let copied = io::copy(&mut from, &mut to);
        if copied.is_err() {
            let _ = rustix::fs::unlinkat(&self.fd, relative, AtFlags::empty());
        }
        copied.map(drop)
    }

    /// Renames `from` to `to`, both names inside this directory.
    pub(crate) fn rename(&self, from: &str, to: &str) -> io::Result<()> {
        Ok(rustix::fs::renameat(&self.fd, from, &self.fd, to)?)
    }
}

/// Creates a new file that must not exist yet, with the mode pnpm gives store files.
pub(crate) fn create_new_file(path: &Path, executable: bool) -> io::Result<File> {
    let mode = if executable { EXECUTABLE_MODE } else { REGULAR_MODE };
    File::options().write(true).create_new(true).mode(mode).open(path)
}

/// Renames `from` to `to` unless `to` exists (then `AlreadyExists`), atomically: `to` is never
/// observed partially written and an existing file there is never replaced.
pub(crate) fn rename_no_replace(from: &Path, to: &Path) -> io::Result<()> {
    #[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
    {
        use rustix::fs::RenameFlags;
        match rustix::fs::renameat_with(CWD, from, CWD, to, RenameFlags::NOREPLACE) {
            Ok(()) => return Ok(()),
            // Some file systems (older NFS, FUSE) lack the flag; linking gives the same guarantee.
            Err(errno)
                if errno != rustix::io::Errno::INVAL
                    && errno != rustix::io::Errno::NOSYS
                    && errno != rustix::io::Errno::NOTSUP =>
            {
                return Err(errno.into());
            }
            Err(_) => {}
        }
    }
    std::fs::hard_link(from, to)?;
    std::fs::remove_file(from)
}
