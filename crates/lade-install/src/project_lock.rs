//! One install at a time per `node_modules`, and recovery from one that was killed.
//!
//! `node_modules/.pnpm/lade.lock` is locked (flock) for the whole install; a second lade process
//! waits for the first instead of racing it on the same directories. The lock file also says
//! whether the last install that held it finished: one killed midway (SIGKILL, power loss of the
//! process) leaves `installing` behind, and the next install first removes what such a crash can
//! leave (staging directories of package imports, temporary state files). pnpm 10 has no project
//! lock; the file name matches the `.pnpm/*.lock` pattern tools already treat as transient.

use std::fs::{File, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

use lade_linker::Layout;

use crate::{Event, InstallError, Reporter};

const LOCK_FILE: &str = "lade.lock";
const INSTALLING: &str = "installing";

/// The held project lock. Dropping it (on success or on an error, which cleans up after itself)
/// marks the install finished; a killed process never drops it, so its mark stays.
pub(crate) struct ProjectLock {
    file: File,
    path: PathBuf,
}

impl ProjectLock {
    /// Locks the project, waiting (with a warning) for another install to finish, and cleans up
    /// after an interrupted one.
    pub fn acquire(layout: &Layout, reporter: &dyn Reporter) -> Result<Self, InstallError> {
        let dir = layout.records_dir();
        std::fs::create_dir_all(&dir).map_err(|error| InstallError::io("create", &dir, error))?;
        let path = dir.join(LOCK_FILE);
        let mut file = File::options()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|error| InstallError::io("open", &path, error))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                reporter.report(Event::Warning(&format!(
                    "another lade process is installing into {}; waiting for it to finish",
                    layout.modules_dir().display()
                )));
                file.lock().map_err(|error| InstallError::io("lock", &path, error))?;
            }
            Err(TryLockError::Error(error)) => return Err(InstallError::io("lock", &path, error)),
        }
        let mut state = String::new();
        let _ = file.read_to_string(&mut state);
        if state.starts_with(INSTALLING) {
            tracing::debug!(lock = %path.display(), "the previous install was interrupted");
            remove_leftovers(layout);
        }
        let mut lock = ProjectLock { file, path };
        lock.record(&format!("{INSTALLING} {}\n", std::process::id()))?;
        Ok(lock)
    }

    fn record(&mut self, state: &str) -> Result<(), InstallError> {
        let write = |file: &mut File| -> std::io::Result<()> {
            file.set_len(0)?;
            file.rewind()?;
            file.write_all(state.as_bytes())
        };
        write(&mut self.file).map_err(|error| InstallError::io("write", &self.path, error))
    }
}

impl Drop for ProjectLock {
    fn drop(&mut self) {
        if let Err(error) = self.record("") {
            tracing::debug!(%error, "cannot mark the install finished");
        }
    }
}

/// What an interrupted install can leave: `.<name>.lade-stage-…`/`.lade-old-…` directories
/// beside packages in the virtual store, and the temporary files of the state written last.
fn remove_leftovers(layout: &Layout) {
    let temporary_state =
        |name: &str| name.starts_with(".modules.tmp-") || name.starts_with("lock.tmp-");
    for dir in [layout.modules_dir(), layout.virtual_store_dir()] {
        for (name, path) in entries(dir) {
            if temporary_state(&name) {
                let _ = std::fs::remove_file(path);
            }
        }
    }
    for (_, slot) in entries(layout.virtual_store_dir()) {
        let modules = slot.join("node_modules");
        for (name, path) in entries(&modules) {
            if name.starts_with('@') {
                entries(&path).into_iter().for_each(|(name, path)| remove_if_staging(&name, &path));
            } else {
                remove_if_staging(&name, &path);
            }
        }
    }
}

fn remove_if_staging(name: &str, path: &Path) {
    if name.starts_with('.') && (name.contains(".lade-stage-") || name.contains(".lade-old-")) {
        let _ = std::fs::remove_dir_all(path).or_else(|_| std::fs::remove_file(path));
    }
}

fn entries(dir: &Path) -> Vec<(String, PathBuf)> {
    let Ok(read) = std::fs::read_dir(dir) else { return Vec::new() };
    read.flatten()
        .map(|entry| (entry.file_name().to_string_lossy().into_owned(), entry.path()))
        .collect()
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::time::Duration;

    use super::*;
    use crate::SilentReporter;

    #[test]
    fn a_second_install_waits_for_the_first() {
        let dir = tempfile::tempdir().unwrap();
        let layout = Layout::new(dir.path());
        let first = ProjectLock::acquire(&layout, &SilentReporter).unwrap();
        let released = AtomicBool::new(false);
        std::thread::scope(|scope| {
            scope.spawn(|| {
                let _second = ProjectLock::acquire(&layout, &SilentReporter).unwrap();
                assert!(released.load(Ordering::SeqCst), "two installs held the project at once");
            });
            std::thread::sleep(Duration::from_millis(200));
            released.store(true, Ordering::SeqCst);
            drop(first);
        });
    }

    #[test]
    fn leftovers_of_an_interrupted_install_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let layout = Layout::new(dir.path());
        let slot = layout.virtual_store_dir().join("a@1.0.0/node_modules");
        let leftovers = [
            slot.join(".a.lade-stage-1-0"),
            slot.join("@s/.b.lade-old-1-0"),
            layout.modules_dir().join(".modules.tmp-1"),
            layout.virtual_store_dir().join("lock.tmp-1"),
        ];
        for path in &leftovers {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "x").unwrap();
        }
        std::fs::create_dir_all(slot.join("a")).unwrap();
        let lock_file = layout.virtual_store_dir().join(LOCK_FILE);
        drop(ProjectLock::acquire(&layout, &SilentReporter).unwrap());
        assert!(leftovers.iter().all(|path| path.exists()), "the last install had finished");

        // What a killed install leaves: the mark, and no lock (the kernel drops it).
        std::fs::write(&lock_file, "installing 999\n").unwrap();
        let lock = ProjectLock::acquire(&layout, &SilentReporter).unwrap();
        for path in &leftovers {
            assert!(!path.exists(), "{path:?} was left behind");
        }
        assert!(slot.join("a").exists());
        assert!(std::fs::read_to_string(&lock_file).unwrap().starts_with("installing"));
        drop(lock);
        assert_eq!(std::fs::read_to_string(&lock_file).unwrap(), "");
    }
}
