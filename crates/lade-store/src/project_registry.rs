//! The projects that use a store, as pnpm 11 and 12 record them: `<root>/projects/<short hash>`
//! is a symlink to each project (its lockfile directory), the short hash being the first 32 hex
//! digits of the SHA-256 of the project's path. `store prune` reads them to learn which packages
//! are still wanted.

use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::{StoreDir, StoreError};

impl StoreDir {
    /// `<root>/projects`.
    pub fn projects_dir(&self) -> PathBuf {
        self.root().join("projects")
    }

    /// Records `project_dir` (absolute) as a user of this store. A store inside the project is
    /// not recorded, as pnpm skips it (the link would point at its own ancestor).
    pub fn register_project(&self, project_dir: &Path) -> Result<(), StoreError> {
        if self.root().starts_with(project_dir) {
            return Ok(());
        }
        let registry = self.projects_dir();
        fs_err::create_dir_all(&registry)
            .map_err(|error| StoreError::io("create directory", &registry, error))?;
        let link = registry.join(short_hash(&project_dir.to_string_lossy()));
        match std::fs::read_link(&link) {
            Ok(existing) if existing == project_dir => return Ok(()),
            Ok(_) => std::fs::remove_file(&link)
                .map_err(|error| StoreError::io("remove", &link, error))?,
            Err(error) if error.kind() == ErrorKind::NotFound => {}
            Err(error) => return Err(StoreError::io("read link", &link, error)),
        }
        match symlink(project_dir, &link) {
            // A concurrent install of the same project registered it first.
            Err(error) if error.kind() == ErrorKind::AlreadyExists => Ok(()),
            result => result.map_err(|error| StoreError::io("create symlink", &link, error)),
        }
    }

    /// The registered projects that still exist; entries whose project is gone are removed, as
    /// pnpm removes them.
    pub fn registered_projects(&self) -> Result<Vec<PathBuf>, StoreError> {
        let registry = self.projects_dir();
        let entries = match std::fs::read_dir(&registry) {
            Ok(entries) => entries,
            Err(error) if error.kind() == ErrorKind::NotFound => return Ok(Vec::new()),
            Err(error) => return Err(StoreError::io("read directory", &registry, error)),
        };
        let mut projects = Vec::new();
        for entry in entries {
            let link = entry.map_err(|error| StoreError::io("read directory", &registry, error))?;
            let link = link.path();
            let Ok(target) = std::fs::read_link(&link) else { continue };
            let project = registry.join(target);
            match std::fs::metadata(&project) {
                Ok(_) => projects.push(project),
                Err(error) if error.kind() == ErrorKind::NotFound => {
                    let _ = std::fs::remove_file(&link);
                }
                Err(error) => return Err(StoreError::io("read", &project, error)),
            }
        }
        projects.sort();
        Ok(projects)
    }
}

fn short_hash(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    digest.iter().take(16).map(|byte| format!("{byte:02x}")).collect()
}

#[cfg(unix)]
fn symlink(target: &Path, link: &Path) -> std::io::Result<()> {
    std::os::unix::fs::symlink(target, link)
}

#[cfg(windows)]
fn symlink(target: &Path, link: &Path) -> std::io::Result<()> {
    std::os::windows::fs::symlink_dir(target, link)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registers_once_and_forgets_projects_that_are_gone() {
        let dir = tempfile::tempdir().unwrap();
        let store = StoreDir::new(dir.path().join("store"));
        let (kept, gone) = (dir.path().join("kept"), dir.path().join("gone"));
        std::fs::create_dir_all(&kept).unwrap();
        std::fs::create_dir_all(&gone).unwrap();
        for project in [&kept, &gone, &kept] {
            store.register_project(project).unwrap();
        }
        assert_eq!(std::fs::read_dir(store.projects_dir()).unwrap().count(), 2);
        std::fs::remove_dir(&gone).unwrap();
        assert_eq!(store.registered_projects().unwrap(), std::slice::from_ref(&kept));
        assert_eq!(std::fs::read_dir(store.projects_dir()).unwrap().count(), 1);
        let name = short_hash(&kept.to_string_lossy());
        assert_eq!(name.len(), 32);
        assert_eq!(std::fs::read_link(store.projects_dir().join(name)).unwrap(), kept);

        let inside = StoreDir::new(kept.join("node_modules/.pnpm-store"));
        inside.register_project(&kept).unwrap();
        assert!(!inside.projects_dir().exists());
    }
}
