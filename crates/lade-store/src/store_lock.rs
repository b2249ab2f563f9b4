//! A lock between lade processes that add to the store and `lade store prune`, which deletes from
//! it. Installs hold it shared from reading the index until their rows are committed, so any
//! number run at once; prune holds it alone, so it never deletes a file an install has written
//! but not yet indexed, nor one an install is about to link. pnpm takes no such lock: prune also
//! keeps files younger than a grace period, for pnpm processes writing the same store.

use std::fs::{File, TryLockError};
use std::path::PathBuf;

use crate::{StoreDir, StoreError};

const LOCK_FILE: &str = "lade-store.lock";

/// Whether the lock is held alongside other holders or alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoreLockMode {
    /// Installs: they only add files and rows, and tolerate each other.
    Shared,
    /// Prune: no install may run meanwhile.
    Exclusive,
}

/// The held lock; released when dropped (or when the process dies, so a killed holder never
/// leaves the store locked).
#[derive(Debug)]
pub struct StoreLock {
    _file: File,
}

impl StoreDir {
    /// `<root>/lade-store.lock`.
    pub fn lock_path(&self) -> PathBuf {
        self.root().join(LOCK_FILE)
    }

    /// Takes the store lock, creating the store root if needed. When another process holds it
    /// in a conflicting mode, `waiting` is called once and the call blocks until it is free.
    pub fn lock(
        &self,
        mode: StoreLockMode,
        waiting: impl FnOnce(),
    ) -> Result<StoreLock, StoreError> {
        let path = self.lock_path();
        fs_err::create_dir_all(self.root())
            .map_err(|error| StoreError::io("create directory", self.root(), error))?;
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|error| StoreError::io("open", &path, error))?;
        let attempt = match mode {
            StoreLockMode::Shared => file.try_lock_shared(),
            StoreLockMode::Exclusive => file.try_lock(),
        };
        match attempt {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                waiting();
                let locked = match mode {
                    StoreLockMode::Shared => file.lock_shared(),
                    StoreLockMode::Exclusive => file.lock(),
                };
                locked.map_err(|error| StoreError::io("lock", &path, error))?;
            }
            Err(TryLockError::Error(error)) => return Err(StoreError::io("lock", &path, error)),
        }
        Ok(StoreLock { _file: file })
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::time::Duration;

    use super::*;

    #[test]
    fn shared_holders_coexist_and_exclude_an_exclusive_one() {
        let dir = tempfile::tempdir().unwrap();
        let store = StoreDir::new(dir.path());
        let never = || panic!("shared holders must not wait for each other");
        let first = store.lock(StoreLockMode::Shared, never).unwrap();
        let second = store.lock(StoreLockMode::Shared, never).unwrap();
        let waited = AtomicBool::new(false);
        let released = AtomicBool::new(false);
        std::thread::scope(|scope| {
            scope.spawn(|| {
                let _alone = store
                    .lock(StoreLockMode::Exclusive, || waited.store(true, Ordering::SeqCst))
                    .unwrap();
                assert!(released.load(Ordering::SeqCst), "granted while shared holders remained");
            });
            std::thread::sleep(Duration::from_millis(200));
            released.store(true, Ordering::SeqCst);
            drop((first, second));
        });
        assert!(waited.load(Ordering::SeqCst));
    }
}
