//! One dependency of one parent: the version picked from its packument, the package it adds
//! to the graph (or finds there), and the tree node it gets.

use lade_registry::{BundledDependencies, PackumentVersion};
use std::sync::Arc;

use lade_types::{PkgName, Version};

use super::build::{Builder, Parent, Task, parse_wanted};
use super::publish_policy::View;
use super::{Address, Node, NodeId, NodeKind, Package, PackageFacts, PackageId, Target};
use crate::dep_manifest::{DepManifest, WantedDependency};
use crate::locked::LockedPath;
use crate::metadata::MetadataSource;
use crate::pick::{IndexedPackument, pick};
use crate::save_specifier::{PinnedVersion, save_specifier};
use crate::specifier::{Selector, Wanted};
use crate::{ResolveError, semver};

impl<S: MetadataSource> Builder<S> {
    pub(super) fn resolve_dependency(
        &mut self,
        task: &Task,
        dep: &WantedDependency,
    ) -> Result<Option<Address>, ResolveError> {
        let parent_name = || match task.parent {
            Parent::Importer => self.graph.importers[task.importer].id.to_string(),
            Parent::Node(n) => self.graph.package(self.graph.node(n).pkg).id.clone(),
        };
        let Some(wanted) = parse_wanted(&dep.alias, &dep.specifier) else {
            if dep.optional {
                return Ok(None);
            }
            return Err(ResolveError::InvalidSpecifier {
                parent: parent_name(),
                package: dep.alias.clone(),
                specifier: dep.specifier.clone(),
            });
        };
        let (name, selector) = match wanted {
            Wanted::Registry { name, selector } => (name, selector),
            Wanted::Workspace { name, selector } if task.depth == 0 => {
                return self.link_workspace(task, dep, &name, &selector).map(Some);
            }
            Wanted::Link { path } if task.depth == 0 => {
                return Ok(Some(self.link_path(task, dep, &path)));
            }
            // pnpm refuses optional ones too.
            Wanted::Exotic if task.depth > 0 && self.block_exotic_subdeps => {
                return Err(ResolveError::ExoticSubdependency {
                    parent: parent_name(),
                    package: dep.alias.clone(),
                    specifier: dep.specifier.clone(),
                });
            }
            _ if dep.optional => return Ok(None),
            _ => {
                return Err(ResolveError::UnsupportedSpecifier {
                    parent: parent_name(),
                    package: dep.alias.clone(),
                    specifier: dep.specifier.clone(),
                });
            }
        };
        let meta = match self.fetcher.get(&name) {
            Ok(meta) => meta,
            Err(_) if dep.optional => return Ok(None),
            Err(Some(error)) => return Err(error),
            Err(None) => return Ok(None),
        };
        let unrevalidated = meta.packument.unrevalidated;
        let picked = self.pick_or_latest(task, dep, &name, &selector, meta)?;
        let Some((meta, version)) =
            picked.and_then(|(meta, v)| Some((meta.clone(), meta.packument.manifest(&v)?)))
        else {
            if unrevalidated {
                return Err(ResolveError::StaleMetadata { package: name.to_string() });
            }
            return self.no_version(task, dep, &name);
        };
        let published_at = meta.packument.time.get(version.version.as_str()).cloned();
        let locked = dep.locked.clone().filter(|path| {
            path.name_and_version() == Some((name.as_str(), version.version.as_str()))
        });
        let id = format!("{}@{}", meta.packument.name, version.version);
        self.graph
            .resolved_versions
            .entry(meta.packument.name.to_string())
            .or_default()
            .insert(version.version.to_string());
        let existing = self.by_id.get(&id).copied();
        let parent_pkg = task.chain.last().copied();
        if let Some(pkg) = existing {
            let in_chain = parent_pkg
                .is_some_and(|p| p == pkg || super::chain_contains_sequence(&task.chain, p, pkg));
            if in_chain {
                return Ok(None);
            }
        }
        let normalized_specifier = (task.depth == 0).then(|| {
            let name = meta.packument.name.as_str();
            let version = version.version.as_str();
            save_specifier(
                &dep.alias,
                name,
                None,
                Some(&dep.specifier),
                version,
                PinnedVersion::Major,
            )
        });
        let (pkg, is_new) = match existing {
            Some(pkg) => (pkg, false),
            None => {
                let pkg = self.add_package(&meta.packument.name, &version, id, task.depth);
                self.graph.packages[pkg.0 as usize].facts.published_at = published_at;
                (pkg, true)
            }
        };
        let target = self.node_for(pkg, is_new, task);
        let first_depth = self.graph.package(pkg).first_depth;
        let reports_children_peers =
            !is_new && !task.chain.contains(&pkg) && first_depth >= task.depth;
        Ok(Some(Address {
            alias: dep.alias.clone(),
            target: Target::Node(target),
            pkg: Some(pkg),
            is_new,
            reports_children_peers,
            normalized_specifier,
            locked,
        }))
    }

    fn node_for(&mut self, pkg: PackageId, is_new: bool, task: &Task) -> NodeId {
        let package = self.graph.package(pkg);
        if package.is_leaf {
            if let Some(id) = package.leaf_node {
                let node = &mut self.graph.nodes[id.0 as usize];
                node.depth = node.depth.min(task.depth);
                return id;
            }
            let id = self.push_node(Node { pkg, depth: task.depth, kind: NodeKind::Leaf });
            self.graph.packages[pkg.0 as usize].leaf_node = Some(id);
            return id;
        }
        let kind = if is_new {
            NodeKind::Expanded { children: Vec::new() }
        } else {
            NodeKind::Pending { chain: task.chain.clone() }
        };
        let node = self.push_node(Node { pkg, depth: task.depth, kind });
        if is_new {
            self.graph.packages[pkg.0 as usize].first_node = Some(node);
        }
        node
    }

    /// [`Builder::pick_version`], or with `--latest` the `latest` dist-tag when it is newer.
    fn pick_or_latest(
        &mut self,
        task: &Task,
        dep: &WantedDependency,
        name: &PkgName,
        selector: &Selector,
        meta: Arc<IndexedPackument>,
    ) -> Result<Option<(Arc<IndexedPackument>, Version)>, ResolveError> {
        let picked = self.pick_version(task, dep, name, selector, meta.clone())?;
        if !dep.to_latest {
            return Ok(picked);
        }
        let latest = Selector::Tag("latest".to_owned());
        let newest = pick(&meta, &latest, None, false, &mut self.ranges)
            .filter(|latest| picked.as_ref().is_none_or(|(_, current)| newer(latest, current)));
        Ok(match newest {
            Some(version) => Some((meta, version)),
            None => picked,
        })
    }

    /// Nothing matched: optional dependencies are skipped, others fail (as immature when only
    /// the release age stood in the way).
    fn no_version(
        &self,
        task: &Task,
        dep: &WantedDependency,
        name: &PkgName,
    ) -> Result<Option<Address>, ResolveError> {
        let rule = self.publish.rule(name, task.top);
        let (package, specifier) = (dep.alias.clone(), dep.specifier.clone());
        match rule.published_by {
            Some(_) if rule.strict => {
                Err(ResolveError::NoMatureMatchingVersion { package, specifier })
            }
            _ if dep.optional => Ok(None),
            _ => Err(ResolveError::NoMatchingVersion { package, specifier }),
        }
    }

    /// The version to use and the packument it came from: the locked version while it is
    /// still published, else the highest or lowest match per the resolution mode (among the
    /// versions published early enough when a publish-date policy applies).
    fn pick_version(
        &mut self,
        task: &Task,
        dep: &WantedDependency,
        name: &PkgName,
        selector: &Selector,
        meta: Arc<IndexedPackument>,
    ) -> Result<Option<(Arc<IndexedPackument>, Version)>, ResolveError> {
        let locked = dep.locked.as_ref().and_then(LockedPath::name_and_version);
        if let Some((locked_name, locked_version)) = locked
            && locked_name == name.as_str()
            && let Ok(version) = Version::parse(locked_version)
            && meta.packument.versions.contains_key(&version)
        {
            return Ok(Some((meta, version)));
        }
        let preferred = task.preferred.get(name.as_str());
        let lowest = self.lowest_direct && task.top;
        let rule = self.publish.rule(name, task.top);
        let view = match rule.published_by {
            Some(limit) => self.publish.view(&meta, limit),
            None => View::All,
        };
        let filtered = match view {
            View::Filtered(filtered) => filtered,
            View::MissingTime if !self.publish.ignores_missing_time() => {
                return Err(ResolveError::MissingTime { package: name.to_string() });
            }
            View::All | View::MissingTime => {
                if matches!(view, View::MissingTime) {
                    self.graph.missing_time.insert(name.to_string());
                }
                let version = pick(&meta, selector, preferred, lowest, &mut self.ranges);
                return Ok(version.map(|version| (meta, version)));
            }
        };
        if let Some(version) = pick(&filtered, selector, preferred, lowest, &mut self.ranges) {
            return Ok(Some((filtered, version)));
        }
        if rule.strict {
            return Ok(None);
        }
        let Some(version) = pick(&meta, selector, preferred, true, &mut self.ranges) else {
            return Ok(None);
        };
        if self.publish.is_immature(&meta, &version) {
            self.graph.immature.insert((name.to_string(), version.to_string()));
        }
        Ok(Some((meta, version)))
    }

    fn add_package(
        &mut self,
        name: &PkgName,
        version: &PackumentVersion,
        id: String,
        depth: u32,
    ) -> PackageId {
        let mut manifest = DepManifest::from_registry(version);
        self.hooks.apply(name.as_str(), version.version.as_str(), &mut manifest);
        if self.auto_install_peers() {
            manifest.drop_peers_from_dependencies();
        }
        self.graph.peer_names.extend(manifest.peer_dependencies.keys().cloned());
        self.graph.peer_names.extend(manifest.peer_dependencies_meta.keys().cloned());
        let package = Package {
            id: id.clone(),
            name: name.clone(),
            version: version.version.to_string(),
            peers: manifest.peers_without_own(name.as_str()),
            is_leaf: manifest.is_leaf(),
            manifest,
            facts: facts(version),
            children: Vec::new(),
            first_depth: depth,
            leaf_node: None,
            first_node: None,
            missing_peers_of_children: None,
        };
        self.graph.packages.push(package);
        let pkg = PackageId((self.graph.packages.len() - 1) as u32);
        self.by_id.insert(id, pkg);
        pkg
    }
}

fn newer(a: &Version, b: &Version) -> bool {
    match (semver::SemVer::parse(a.as_str(), true), semver::SemVer::parse(b.as_str(), true)) {
        (Some(a), Some(b)) => a > b,
        _ => false,
    }
}

fn facts(version: &PackumentVersion) -> PackageFacts {
    let dist = version.dist.as_ref();
    PackageFacts {
        integrity: dist.and_then(|d| d.integrity().ok().flatten()).map(|i| i.to_string()),
        tarball: dist.map(|d| d.tarball.clone()),
        engines: version
            .engines
            .iter()
            .filter(|(_, v)| *v != "*")
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        cpu: version.cpu.clone(),
        os: version.os.clone(),
        libc: version.libc.clone(),
        deprecated: version.deprecated.clone(),
        published_at: None,
        has_bin: version.has_bin(),
        bundled: version.bundled().map(|bundled| match bundled {
            BundledDependencies::All => None,
            BundledDependencies::Names(names) => Some(names.clone()),
        }),
    }
}
