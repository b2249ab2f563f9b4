//! pnpm's `verify-store-integrity` rule for reusing store files: a store file whose mtime is more
//! than 100 ms past the row's `checkedAt` may have been modified (a package that edited its own
//! hardlinked files, a backup tool, a crash) and is re-hashed; a missing file, a file of another
//! size or one whose hash changed makes the package need a fresh fetch.

use std::fs::File;
use std::io::{self, Read};

use sha2::{Digest, Sha512};

use crate::{FileDigest, FileInfo, StoreDir};

/// pnpm's slack for file systems with coarse timestamps and for the gap between writing a file
/// and recording `checkedAt`.
const MTIME_SLACK_MS: f64 = 100.0;

/// Why a package's store files cannot be trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StaleReason {
    /// The store file is gone (or is not a regular file).
    Missing,
    /// The store file no longer holds the content its name promises.
    Modified,
}

/// The verdict on one store file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// Untouched since it was last checked.
    Unchanged,
    /// Touched, but re-hashing showed the content is intact.
    Rehashed,
    Stale(StaleReason),
}

impl StoreDir {
    /// Checks one store file the way pnpm does before reusing it.
    pub(crate) fn check_file(&self, info: &FileInfo) -> Verdict {
        let Ok(file) = self.shards().file(&info.digest, info.is_executable()) else {
            return Verdict::Stale(StaleReason::Missing);
        };
        let Ok(stat) = file.stat() else {
            return Verdict::Stale(StaleReason::Missing);
        };
        if stat.modified_ms - info.checked_at.unwrap_or(0.0) <= MTIME_SLACK_MS {
            return Verdict::Unchanged;
        }
        if stat.size != info.size {
            return Verdict::Stale(StaleReason::Modified);
        }
        match file.open().and_then(hash_file) {
            Ok(digest) if digest == info.digest => Verdict::Rehashed,
            Ok(_) => Verdict::Stale(StaleReason::Modified),
            Err(_) => Verdict::Stale(StaleReason::Missing),
        }
    }

    /// The files of a package whose store copies are missing or modified, by package path; empty
    /// when the package can be imported as is. For reports such as `lade store status`.
    pub fn verify_package(&self, index: &crate::PackageFilesIndex) -> Vec<(String, StaleReason)> {
        index
            .files
            .iter()
            .filter_map(|(path, info)| match self.check_file(info) {
                Verdict::Stale(reason) => Some((path.clone(), reason)),
                Verdict::Unchanged | Verdict::Rehashed => None,
            })
            .collect()
    }
}

fn hash_file(mut file: File) -> io::Result<FileDigest> {
    let mut hasher = Sha512::new();
    let mut buffer = vec![0u8; 64 * 1024];
    loop {
        match file.read(&mut buffer) {
            Ok(0) => return Ok(FileDigest::from_hasher(hasher)),
            Ok(n) => hasher.update(&buffer[..n]),
            Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
            Err(error) => return Err(error),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, SystemTime};

    use super::*;
    use crate::PackageFilesIndex;

    fn set_mtime(path: &std::path::Path, time: SystemTime) {
        File::options().write(true).open(path).unwrap().set_modified(time).unwrap();
    }

    #[test]
    fn follows_pnpms_rule() {
        let dir = tempfile::tempdir().unwrap();
        let store = StoreDir::new(dir.path());
        let fresh = store.write_file(b"fresh", false).unwrap();
        assert_eq!(store.check_file(&fresh), Verdict::Unchanged);

        let touched = store.write_file(b"touched", false).unwrap();
        let path = store.file_path(&touched.digest, false);
        set_mtime(&path, SystemTime::now() + Duration::from_secs(5));
        assert_eq!(store.check_file(&touched), Verdict::Rehashed);

        let never_checked = FileInfo { checked_at: None, ..fresh };
        assert_eq!(store.check_file(&never_checked), Verdict::Rehashed);

        std::fs::write(&path, b"tampered").unwrap();
        set_mtime(&path, SystemTime::now() + Duration::from_secs(5));
        assert_eq!(store.check_file(&touched), Verdict::Stale(StaleReason::Modified));
        std::fs::write(&path, b"TOUCHED").unwrap();
        set_mtime(&path, SystemTime::now() + Duration::from_secs(5));
        assert_eq!(store.check_file(&touched), Verdict::Stale(StaleReason::Modified));

        let mut index = PackageFilesIndex::default();
        index.files.insert("a.js".into(), fresh);
        index.files.insert("b.js".into(), touched);
        std::fs::remove_file(store.file_path(&fresh.digest, false)).unwrap();
        assert_eq!(
            store.verify_package(&index),
            [("a.js".to_owned(), StaleReason::Missing), ("b.js".to_owned(), StaleReason::Modified)]
        );
    }
}
