//! The dependency fields of a manifest as the resolver uses them, after pnpm's read-package
//! hooks (package extensions, then overrides) and with peers dropped from `dependencies`.

use indexmap::IndexMap;
use lade_manifest::{DependencyMap, PackageManifest};
use lade_registry::{BundledDependencies, PackumentVersion};

use crate::locked::LockedPath;

#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct DepManifest {
    pub dependencies: IndexMap<String, String>,
    pub optional_dependencies: IndexMap<String, String>,
    pub dev_dependencies: IndexMap<String, String>,
    pub peer_dependencies: IndexMap<String, String>,
    /// `peerDependenciesMeta`: peer name → optional.
    pub peer_dependencies_meta: IndexMap<String, bool>,
    /// Dependencies shipped inside the tarball, which are not resolved.
    pub bundled: Vec<String>,
}

/// A peer dependency: the range asked for and whether it may be absent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct PeerRange {
    pub range: String,
    pub optional: bool,
}

/// One dependency to resolve.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct WantedDependency {
    pub alias: String,
    pub specifier: String,
    pub optional: bool,
    pub dev: bool,
    /// Where the existing lockfile resolved this dependency, while its specifier is unchanged.
    pub locked: Option<LockedPath>,
    /// `lade update --latest`: the `latest` dist-tag wins over the range when newer.
    pub to_latest: bool,
}

fn from_map(map: Option<&DependencyMap>) -> IndexMap<String, String> {
    map.into_iter()
        .flat_map(|m| m.iter())
        .map(|(name, spec)| (name.to_string(), spec.as_str().to_owned()))
        .collect()
}

impl DepManifest {
    pub(crate) fn from_registry(version: &PackumentVersion) -> DepManifest {
        let bundled = match version.bundled() {
            Some(BundledDependencies::All) => version.dependencies.keys().cloned().collect(),
            Some(BundledDependencies::Names(names)) => names.clone(),
            None => Vec::new(),
        };
        DepManifest {
            dependencies: version.dependencies.clone(),
            optional_dependencies: version.optional_dependencies.clone(),
            dev_dependencies: IndexMap::new(),
            peer_dependencies: version.peer_dependencies.clone(),
            bundled,
            peer_dependencies_meta: version
                .peer_dependencies_meta
                .iter()
                .map(|(k, meta)| (k.clone(), meta.optional))
                .collect(),
        }
    }

    pub(crate) fn from_project(manifest: &PackageManifest) -> DepManifest {
        DepManifest {
            dependencies: from_map(manifest.dependencies.as_ref()),
            optional_dependencies: from_map(manifest.optional_dependencies.as_ref()),
            dev_dependencies: from_map(manifest.dev_dependencies.as_ref()),
            peer_dependencies: from_map(manifest.peer_dependencies.as_ref()),
            peer_dependencies_meta: manifest
                .peer_dependencies_meta
                .iter()
                .flatten()
                .map(|(k, meta)| (k.clone(), meta.optional()))
                .collect(),
            bundled: Vec::new(),
        }
    }

    /// With auto-install-peers, a peer also listed in `dependencies` is resolved as a peer.
    pub(crate) fn drop_peers_from_dependencies(&mut self) {
        let peers = &self.peer_dependencies;
        self.dependencies.retain(|name, _| !peers.contains_key(name));
    }

    /// `getNonDevWantedDependencies`: optional dependencies first, then the rest, without the
    /// bundled ones.
    pub(crate) fn wanted_of_package(&self) -> Vec<WantedDependency> {
        let mut merged: IndexMap<&str, &str> = IndexMap::new();
        for (alias, spec) in self.optional_dependencies.iter().chain(&self.dependencies) {
            if !self.bundled.iter().any(|name| name == alias) {
                merged.insert(alias, spec);
            }
        }
        merged
            .into_iter()
            .map(|(alias, specifier)| WantedDependency {
                alias: alias.to_owned(),
                specifier: specifier.to_owned(),
                optional: self.optional_dependencies.contains_key(alias),
                dev: false,
                locked: None,
                to_latest: false,
            })
            .collect()
    }

    /// `getWantedDependencies` of a project: its peers (with auto-install-peers), then dev,
    /// production and optional dependencies; later fields win.
    pub(crate) fn wanted_of_project(&self, auto_install_peers: bool) -> Vec<WantedDependency> {
        let mut merged: IndexMap<&str, &str> = IndexMap::new();
        let peers = auto_install_peers.then_some(&self.peer_dependencies);
        for (alias, spec) in peers
            .into_iter()
            .flatten()
            .chain(&self.dev_dependencies)
            .chain(&self.dependencies)
            .chain(&self.optional_dependencies)
        {
            merged.insert(alias, spec);
        }
        merged
            .into_iter()
            .map(|(alias, specifier)| {
                let optional = self.optional_dependencies.contains_key(alias);
                let dev = !optional
                    && !self.dependencies.contains_key(alias)
                    && self.dev_dependencies.contains_key(alias);
                WantedDependency {
                    alias: alias.to_owned(),
                    specifier: specifier.to_owned(),
                    optional,
                    dev,
                    locked: None,
                    to_latest: false,
                }
            })
            .collect()
    }

    /// `peerDependenciesWithoutOwn`: peers the package does not also depend on itself, plus
    /// optional peers declared only in `peerDependenciesMeta` (range `*`).
    pub(crate) fn peers_without_own(&self, name: &str) -> IndexMap<String, PeerRange> {
        let own = |peer: &str| {
            peer == name
                || self.dependencies.contains_key(peer)
                || self.optional_dependencies.contains_key(peer)
        };
        let mut peers: IndexMap<String, PeerRange> = self
            .peer_dependencies
            .iter()
            .filter(|(peer, _)| !own(peer))
            .map(|(peer, range)| {
                (peer.clone(), PeerRange { range: range.clone(), optional: false })
            })
            .collect();
        for (peer, optional) in &self.peer_dependencies_meta {
            if own(peer) || !optional {
                continue;
            }
            peers
                .entry(peer.clone())
                .or_insert_with(|| PeerRange { range: "*".to_owned(), optional: true })
                .optional = true;
        }
        peers
    }

    /// `getMissingPeers`: every peer, optional per `peerDependenciesMeta`.
    pub(crate) fn declared_peers(&self) -> IndexMap<String, PeerRange> {
        self.peer_dependencies
            .iter()
            .map(|(peer, range)| {
                let optional = self.peer_dependencies_meta.get(peer).copied().unwrap_or(false);
                (peer.clone(), PeerRange { range: range.clone(), optional })
            })
            .collect()
    }

    pub(crate) fn is_leaf(&self) -> bool {
        self.dependencies.is_empty()
            && self.optional_dependencies.is_empty()
            && self.peer_dependencies.is_empty()
            && self.peer_dependencies_meta.is_empty()
    }
}
