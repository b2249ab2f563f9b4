//! The existing lockfile's pins. pnpm keeps what a lockfile resolved wherever the manifests still
//! ask for the same thing: a project's dependency whose specifier is unchanged keeps its locked
//! version, and below a package kept at its locked version each dependency keeps the version that
//! package's snapshot records. Everything else is resolved afresh (preferring locked versions).

use std::collections::HashMap;

use lade_lockfile::{DependencyRef, DependencyTarget, Lockfile};

use crate::hooks::{NamePattern, matches_any};
use crate::options::Update;

/// A snapshot key (`name@version(peers)`) a dependency was locked to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct LockedPath(pub String);

impl LockedPath {
    /// The package name and version, without the peers suffix.
    pub(crate) fn name_and_version(&self) -> Option<(&str, &str)> {
        let base = self.0.split_once('(').map_or(self.0.as_str(), |(base, _)| base);
        let at = base.get(1..)?.find('@')? + 1;
        Some((&base[..at], &base[at + 1..]))
    }
}

#[derive(Debug, Default)]
pub(crate) struct Locked {
    /// Names resolved again despite their pins (`lade update <pattern>`).
    updating: Vec<NamePattern>,
    /// Importer id → alias → (specifier, snapshot key).
    importers: HashMap<String, HashMap<String, (String, LockedPath)>>,
    /// Snapshot key → alias → snapshot key, optional dependencies included.
    snapshots: HashMap<String, HashMap<String, LockedPath>>,
}

impl Locked {
    pub(crate) fn new(lockfile: Option<&Lockfile>, update: &Update) -> Locked {
        let updating = match update {
            Update::None => Vec::new(),
            Update::All => return Locked::default(),
            Update::Matching(patterns) => patterns.iter().map(|p| NamePattern::new(p)).collect(),
        };
        let Some(lockfile) = lockfile else { return Locked::default() };
        let importers = lockfile
            .importers
            .iter()
            .map(|(id, snapshot)| {
                let fields = [
                    &snapshot.dependencies,
                    &snapshot.dev_dependencies,
                    &snapshot.optional_dependencies,
                ];
                let deps = fields
                    .into_iter()
                    .flatten()
                    .flatten()
                    .filter_map(|(alias, dep)| {
                        let path = snapshot_key(&dep.version, alias.as_str())?;
                        Some((alias.to_string(), (dep.specifier.as_str().to_owned(), path)))
                    })
                    .collect();
                (id.as_str().to_owned(), deps)
            })
            .collect();
        let snapshots = lockfile
            .snapshots
            .iter()
            .map(|(key, snapshot)| {
                let deps = [&snapshot.dependencies, &snapshot.optional_dependencies]
                    .into_iter()
                    .flatten()
                    .flatten()
                    .filter_map(|(alias, reference)| {
                        Some((alias.to_string(), snapshot_key(reference, alias.as_str())?))
                    })
                    .collect();
                (key.as_str().to_owned(), deps)
            })
            .collect();
        Locked { updating, importers, snapshots }
    }

    /// A project's dependency, when the lockfile recorded it with this very specifier.
    pub(crate) fn of_importer(
        &self,
        importer: &str,
        alias: &str,
        specifier: &str,
    ) -> Option<LockedPath> {
        let (locked_specifier, path) = self.importers.get(importer)?.get(alias)?;
        (locked_specifier == specifier && !self.updates(alias, path)).then(|| path.clone())
    }

    /// The dependency `alias` of the package locked at `parent`.
    pub(crate) fn of_package(&self, parent: &LockedPath, alias: &str) -> Option<LockedPath> {
        let path = self.snapshots.get(&parent.0)?.get(alias)?;
        (!self.updates(alias, path)).then(|| path.clone())
    }

    /// Whether `lade update` asked for this dependency (by its alias or its package name).
    pub(crate) fn updates(&self, alias: &str, path: &LockedPath) -> bool {
        let name = path.name_and_version().map_or(alias, |(name, _)| name);
        matches_any(&self.updating, alias) || matches_any(&self.updating, name)
    }
}

fn snapshot_key(reference: &DependencyRef, alias: &str) -> Option<LockedPath> {
    match reference.target(alias).ok()? {
        DependencyTarget::Snapshot(path) => Some(LockedPath(path.as_str().to_owned())),
        DependencyTarget::Link(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_name_and_version_off_the_peers_suffix() {
        let path = LockedPath("@s/a@1.0.0(react@18.0.0)".into());
        assert_eq!(path.name_and_version(), Some(("@s/a", "1.0.0")));
        assert_eq!(LockedPath("a@2.0.0".into()).name_and_version(), Some(("a", "2.0.0")));
    }
}
