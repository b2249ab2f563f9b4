//! An allocation hint for a directory that will hold many independent package trees.
//!
//! ext4 without a journal will not reuse an inode freed within the last minute: each new inode
//! scans past every recently freed one in its block group, and a `node_modules` that was just
//! deleted leaves thousands of them right where the new one would go. Marking the parent with
//! `FS_TOPDIR_FL` (`chattr +T`, "top of directory hierarchies") makes the Orlov allocator place
//! each child tree in a fresh group instead. Measured on alotta-files after `rm -rf
//! node_modules`: 1.0–1.5 s of system time with the hint against 1.3–6.8 s without.
//! With a journal ext4 does not scan, so the hint is left off there, as on other file systems.

use std::path::Path;

/// Marks `dir` as the top of directory hierarchies where that helps; a no-op (and never an
/// error) everywhere else.
pub fn spread_subdirectories(dir: &Path) {
    #[cfg(target_os = "linux")]
    linux::spread(dir);
    #[cfg(not(target_os = "linux"))]
    let _ = dir;
}

#[cfg(target_os = "linux")]
mod linux {
    use std::path::Path;

    use rustix::fs::{IFlags, Mode, OFlags};

    const EXT4_SUPER_MAGIC: u32 = 0xEF53;

    pub(super) fn spread(dir: &Path) {
        let Ok(fd) = rustix::fs::open(
            dir,
            OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
            Mode::empty(),
        ) else {
            return;
        };
        if !is_journalless_ext4(&fd) {
            return;
        }
        if let Ok(flags) = rustix::fs::ioctl_getflags(&fd)
            && !flags.contains(IFlags::TOPDIR)
        {
            let _ = rustix::fs::ioctl_setflags(&fd, flags | IFlags::TOPDIR);
        }
    }

    /// ext4 lists every mounted file system under /proc/fs/ext4/<device> and every journal
    /// under /proc/fs/jbd2/<device>-8.
    fn is_journalless_ext4(fd: &rustix::fd::OwnedFd) -> bool {
        let Ok(statfs) = rustix::fs::fstatfs(fd) else { return false };
        // `f_type` is i64, u32 or i32 depending on the architecture; the magic fits all.
        if statfs.f_type as u32 != EXT4_SUPER_MAGIC {
            return false;
        }
        let Ok(stat) = rustix::fs::fstat(fd) else { return false };
        let (major, minor) = (rustix::fs::major(stat.st_dev), rustix::fs::minor(stat.st_dev));
        let Ok(device) = std::fs::read_link(format!("/sys/dev/block/{major}:{minor}")) else {
            return false;
        };
        let Some(name) = device.file_name().and_then(|name| name.to_str()) else { return false };
        Path::new("/proc/fs/ext4").join(name).exists()
            && !Path::new("/proc/fs/jbd2").join(format!("{name}-8")).exists()
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn never_fails_whatever_the_file_system() {
        let dir = tempfile::tempdir().unwrap();
        spread_subdirectories(dir.path());
        spread_subdirectories(&dir.path().join("missing"));
    }
}
