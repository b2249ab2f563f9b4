//! Removing the global virtual store's slots (`<store>/v11/links/<scope>/<name>/<version>/<hash>`)
//! that no registered project reaches, by pnpm 12's mark and sweep: follow every symlink in the
//! projects' `node_modules` directories into `links`, and from each slot reached through its own
//! `node_modules`; then remove every slot not marked. Like pnpm, unreadable directories count as
//! empty, so lade and pnpm agree on what is reachable in a store they share.

use std::collections::HashSet;
use std::io::ErrorKind;
use std::path::{Component, Path, PathBuf};

use crate::{StoreDir, StoreError};

impl StoreDir {
    /// The global virtual store's slots directory.
    pub fn links_dir(&self) -> PathBuf {
        self.root().join("links")
    }

    /// Removes the slots none of `projects` links to; returns how many. The caller holds the
    /// store lock exclusively, so no lade install is filling a slot meanwhile.
    pub fn prune_slots(&self, projects: &[PathBuf]) -> Result<usize, StoreError> {
        let links = self.links_dir();
        let Ok(canonical_links) = links.canonicalize() else { return Ok(0) };
        let mut mark =
            Mark { links: &canonical_links, reachable: HashSet::new(), visited: HashSet::new() };
        for project in projects {
            for modules in node_modules_dirs(project) {
                mark.walk(&modules);
            }
        }
        sweep(&links, &mark.reachable)
    }
}

/// Every `node_modules` directory of a project, its workspace packages' included: found by
/// descending through directories whose names do not start with a dot, stopping at each
/// `node_modules`.
fn node_modules_dirs(project: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![project.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            if !entry.file_type().is_ok_and(|kind| kind.is_dir()) {
                continue;
            }
            let name = entry.file_name();
            if name == "node_modules" {
                found.push(entry.path());
            } else if !name.to_string_lossy().starts_with('.') {
                pending.push(entry.path());
            }
        }
    }
    found
}

struct Mark<'a> {
    links: &'a Path,
    /// Slots reached, relative to `links`.
    reachable: HashSet<PathBuf>,
    visited: HashSet<PathBuf>,
}

impl Mark<'_> {
    fn walk(&mut self, dir: &Path) {
        let real = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
        if !self.visited.insert(real) {
            return;
        }
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for entry in entries.flatten() {
            let Ok(kind) = entry.file_type() else { continue };
            let path = entry.path();
            if kind.is_symlink() {
                if let Some(slot) = self.slot_of(&path) {
                    let inner = self.links.join(&slot).join("node_modules");
                    self.reachable.insert(slot);
                    self.walk(&inner);
                }
            } else if kind.is_dir() && entry.file_name() != ".pnpm" {
                self.walk(&path);
            }
        }
    }

    /// The slot a symlink points into: the part of its real target below `links` up to the
    /// first `node_modules`.
    fn slot_of(&self, link: &Path) -> Option<PathBuf> {
        let target = link.canonicalize().ok()?;
        let below = target.strip_prefix(self.links).ok()?;
        let parts: Vec<Component> = below.components().collect();
        let end = parts.iter().position(|part| part.as_os_str() == "node_modules")?;
        Some(parts[..end].iter().collect())
    }
}

/// Removes the `<scope>/<name>/<version>/<hash>` directories not in `reachable`, then the
/// parents that became empty.
fn sweep(links: &Path, reachable: &HashSet<PathBuf>) -> Result<usize, StoreError> {
    let mut removed = 0;
    for scope in subdirs(links)? {
        for name in subdirs(&links.join(&scope))? {
            for version in subdirs(&links.join(&scope).join(&name))? {
                let version_dir = Path::new(&scope).join(&name).join(&version);
                for hash in subdirs(&links.join(&version_dir))? {
                    let slot = version_dir.join(&hash);
                    if reachable.contains(&slot) {
                        continue;
                    }
                    let path = links.join(&slot);
                    std::fs::remove_dir_all(&path)
                        .map_err(|error| StoreError::io("remove slot", &path, error))?;
                    removed += 1;
                }
                remove_if_empty(&links.join(&version_dir))?;
            }
            remove_if_empty(&links.join(&scope).join(&name))?;
        }
        remove_if_empty(&links.join(&scope))?;
    }
    Ok(removed)
}

/// The names of the directories in `dir` (symlinks are not followed).
fn subdirs(dir: &Path) -> Result<Vec<PathBuf>, StoreError> {
    let entries = crate::prune::list(dir)?;
    let is_dir = |path: &Path| path.symlink_metadata().is_ok_and(|meta| meta.is_dir());
    Ok(entries.into_iter().filter(|(_, path)| is_dir(path)).map(|(name, _)| name.into()).collect())
}

/// A directory an install filled again meanwhile is left alone.
fn remove_if_empty(dir: &Path) -> Result<(), StoreError> {
    match std::fs::remove_dir(dir) {
        Ok(()) => Ok(()),
        Err(error)
            if matches!(error.kind(), ErrorKind::DirectoryNotEmpty | ErrorKind::NotFound) =>
        {
            Ok(())
        }
        Err(error) => Err(StoreError::io("remove directory", dir, error)),
    }
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::symlink;

    use super::*;

    fn slot(links: &Path, path: &str, name: &str) -> PathBuf {
        let package = links.join(path).join("node_modules").join(name);
        std::fs::create_dir_all(&package).unwrap();
        std::fs::write(package.join("index.js"), "").unwrap();
        package
    }

    /// A project links `a`, whose slot links `b`; `c` and the old `a` are left over. The scoped
    /// slot is reached only through a workspace package's node_modules.
    #[test]
    fn keeps_what_projects_reach_and_removes_the_rest() {
        let root = tempfile::tempdir().unwrap();
        let store = StoreDir::new(root.path().join("store"));
        let links = store.links_dir();
        let a = slot(&links, "@/a/1.0.0/aaa", "a");
        let b = slot(&links, "@/b/2.0.0/bbb", "b");
        slot(&links, "@/c/1.0.0/ccc", "c");
        slot(&links, "@/a/0.9.0/old", "a");
        let scoped = slot(&links, "@x/y/1.0.0/yyy", "@x/y");
        symlink(&b, a.parent().unwrap().join("b")).unwrap();

        let project = root.path().join("project");
        std::fs::create_dir_all(project.join("node_modules")).unwrap();
        symlink(&a, project.join("node_modules/a")).unwrap();
        let package_modules = project.join("packages/ui/node_modules/@x");
        std::fs::create_dir_all(&package_modules).unwrap();
        symlink(&scoped, package_modules.join("y")).unwrap();
        // Hidden directories are not searched for node_modules, as in pnpm.
        std::fs::create_dir_all(project.join(".cache/node_modules")).unwrap();
        symlink(links.join("@/c/1.0.0/ccc/node_modules/c"), project.join(".cache/node_modules/c"))
            .unwrap();

        assert_eq!(store.prune_slots(std::slice::from_ref(&project)).unwrap(), 2);
        for kept in ["@/a/1.0.0/aaa", "@/b/2.0.0/bbb", "@x/y/1.0.0/yyy"] {
            assert!(links.join(kept).is_dir(), "{kept}");
        }
        assert!(!links.join("@/c").exists());
        assert!(!links.join("@/a/0.9.0").exists());
        assert_eq!(store.prune_slots(&[project]).unwrap(), 0);
        assert_eq!(store.prune_slots(&[]).unwrap(), 3);
        assert!(!links.join("@").exists());
    }

    #[test]
    fn a_store_without_slots_has_nothing_to_prune() {
        let root = tempfile::tempdir().unwrap();
        let store = StoreDir::new(root.path());
        assert_eq!(store.prune_slots(&[root.path().to_path_buf()]).unwrap(), 0);
    }
}
