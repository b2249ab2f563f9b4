//! The lockfile turned into the graph this install lays out: which snapshots are installed
//! (filtered by `--prod`/`--dev`/`--no-optional` and by platform, as pnpm's
//! `filterLockfileByImportersAndEngine` and `lockfileToDepGraph` do), their dependency edges, and
//! each importer's direct dependencies. Pure: no I/O.

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};

use lade_linker::{
    DepGraph, DirectTarget, Importer, ImporterId, NodeId, PackageFacts, Platform,
    PlatformRequirements, SupportedArchitectures, is_installable, skipped_optional_packages,
};
use lade_lockfile::{
    DependencyRef, DependencyTarget, Lockfile, PackageInfo, ProjectSnapshot, Resolution,
    SnapshotEntry,
};
use lade_types::{DepPath, PkgName};

use crate::engine::NodeEngine;
use crate::{Include, InstallError};

/// The graph of one install. `packages[i]` describes node `i` of `deps`.
pub(crate) struct InstallGraph {
    pub deps: DepGraph,
    pub packages: Vec<PackageEntry>,
    /// Root first, then the workspace projects by id.
    pub importers: Vec<Importer>,
    /// Optional snapshots not installed on this platform (pnpm's `skipped`).
    pub skipped: BTreeSet<String>,
}

pub(crate) struct PackageEntry {
    pub resolution: Resolution,
    pub optional: bool,
}

pub(crate) struct GraphOptions<'a> {
    pub include: Include,
    pub platform: &'a Platform,
    pub supported: &'a SupportedArchitectures,
    pub virtual_store_dir_max_length: usize,
    /// Importer ids to install, root first.
    pub importer_ids: &'a [String],
    pub node: &'a NodeEngine,
    /// `engine-strict`: a required package that does not fit here is an error.
    pub engine_strict: bool,
}

pub(crate) fn build(
    lockfile: &Lockfile,
    options: &GraphOptions,
) -> Result<InstallGraph, InstallError> {
    let skipped = skipped_packages(lockfile, options)?;
    let mut builder = Builder {
        lockfile,
        include: options.include,
        skipped: &skipped,
        deps: DepGraph::new(options.virtual_store_dir_max_length),
        packages: Vec::new(),
        ids: HashMap::new(),
        pending: Vec::new(),
    };
    let mut importers = Vec::with_capacity(options.importer_ids.len());
    for id in options.importer_ids {
        let snapshot = lockfile.importer(id).cloned().unwrap_or_default();
        importers.push(builder.importer(id, &snapshot)?);
    }
    builder.add_children()?;
    Ok(InstallGraph { deps: builder.deps, packages: builder.packages, importers, skipped })
}

struct Builder<'a> {
    lockfile: &'a Lockfile,
    include: Include,
    skipped: &'a BTreeSet<String>,
    deps: DepGraph,
    packages: Vec<PackageEntry>,
    ids: HashMap<DepPath, NodeId>,
    /// Nodes whose children are still to be linked.
    pending: Vec<NodeId>,
}

impl Builder<'_> {
    /// An importer's direct dependencies in pnpm's order: `{...dev, ...prod, ...optional}`.
    fn importer(&mut self, id: &str, snapshot: &ProjectSnapshot) -> Result<Importer, InstallError> {
        let mut importer = Importer::new(ImporterId::new(id));
        let groups = [
            (self.include.dev_dependencies, &snapshot.dev_dependencies),
            (self.include.dependencies, &snapshot.dependencies),
            (self.include.optional, &snapshot.optional_dependencies),
        ];
        for (included, group) in groups {
            if !included {
                continue;
            }
            for (alias, dependency) in group.iter().flatten() {
                let target = match target_of(&dependency.version, alias, id)? {
                    DependencyTarget::Link(path) => DirectTarget::Link(path.into()),
                    DependencyTarget::Snapshot(dep_path) => {
                        if self.skipped.contains(dep_path.as_str()) {
                            continue;
                        }
                        DirectTarget::Node(self.node(&dep_path, id)?)
                    }
                };
                importer.add_direct(alias.clone(), target);
            }
        }
        Ok(importer)
    }

    /// The node of a snapshot, created on first sight.
    fn node(&mut self, dep_path: &DepPath, parent: &str) -> Result<NodeId, InstallError> {
        if let Some(id) = self.ids.get(dep_path) {
            return Ok(*id);
        }
        let missing = || InstallError::MissingDependency {
            dep_path: dep_path.to_string(),
            parent: parent.to_owned(),
        };
        let snapshot = self.lockfile.snapshot(dep_path.as_str()).ok_or_else(missing)?;
        let package = self.lockfile.package(dep_path).ok_or_else(missing)?;
        let name = PkgName::parse(dep_path.name()).map_err(|_| missing())?;
        let has_bin = package.has_bin == Some(true);
        let id = self.deps.add_node(name, dep_path.clone(), has_bin);
        self.deps.node_mut(id).has_bundled_dependencies = package.bundled_dependencies.is_some();
        self.packages.push(PackageEntry {
            resolution: package.resolution.clone(),
            optional: snapshot.optional == Some(true),
        });
        self.ids.insert(dep_path.clone(), id);
        self.pending.push(id);
        Ok(id)
    }

    /// Links every node to its dependencies (`{...dependencies, ...optionalDependencies}`),
    /// creating nodes as they are reached. A missing peer is not an error: pnpm leaves it unlinked.
    fn add_children(&mut self) -> Result<(), InstallError> {
        while let Some(parent) = self.pending.pop() {
            let dep_path = self.deps.node(parent).dep_path.clone();
            let Some(snapshot) = self.lockfile.snapshot(dep_path.as_str()) else { continue };
            let peers = self.lockfile.package(&dep_path).and_then(|p| p.peer_dependencies.as_ref());
            for (alias, reference) in children_of(snapshot, self.include) {
                let child = match target_of(reference, alias, dep_path.as_str())? {
                    DependencyTarget::Link(_) => {
                        return Err(InstallError::UnsupportedResolution {
                            package: dep_path.to_string(),
                            kind: "a link: dependency of a package",
                        });
                    }
                    DependencyTarget::Snapshot(child) => child,
                };
                if self.skipped.contains(child.as_str()) {
                    continue;
                }
                let is_peer = peers.is_some_and(|peers| peers.contains_key(alias));
                if is_peer && self.lockfile.snapshot(child.as_str()).is_none() {
                    continue;
                }
                let child = self.node(&child, dep_path.as_str())?;
                self.deps.add_child(parent, alias.clone(), child);
            }
        }
        Ok(())
    }
}

fn children_of(
    snapshot: &SnapshotEntry,
    include: Include,
) -> impl Iterator<Item = (&PkgName, &DependencyRef)> {
    let optional =
        snapshot.optional_dependencies.iter().flatten().filter(move |_| include.optional);
    snapshot.dependencies.iter().flatten().chain(optional)
}

fn target_of(
    reference: &DependencyRef,
    alias: &PkgName,
    parent: &str,
) -> Result<DependencyTarget, InstallError> {
    reference.target(alias.as_str()).map_err(|_| InstallError::MissingDependency {
        dep_path: format!("{alias}@{reference}"),
        parent: parent.to_owned(),
    })
}

/// pnpm's skipped set: optional snapshots that cannot be installed here (by platform or by
/// `engines.node`), and what is reached only through them, walking importers'
/// `{...dependencies, ...devDependencies, ...optionalDependencies}` depth-first.
fn skipped_packages(
    lockfile: &Lockfile,
    options: &GraphOptions,
) -> Result<BTreeSet<String>, InstallError> {
    let include = options.include;
    let mut roots = Vec::new();
    for id in options.importer_ids {
        let Some(snapshot) = lockfile.importer(id) else { continue };
        let groups = [
            (include.dependencies, &snapshot.dependencies),
            (include.dev_dependencies, &snapshot.dev_dependencies),
            (include.optional, &snapshot.optional_dependencies),
        ];
        for (_, group) in groups.iter().filter(|(included, _)| *included) {
            for (alias, dependency) in group.iter().flatten() {
                if let Ok(DependencyTarget::Snapshot(dep_path)) =
                    dependency.version.target(alias.as_str())
                {
                    roots.push(dep_path.to_string());
                }
            }
        }
    }
    let engine_error = RefCell::new(None);
    let facts = |dep_path: &str| -> Option<PackageFacts<'_>> {
        let snapshot = lockfile.snapshot(dep_path)?;
        let package: &PackageInfo = lockfile.package(&DepPath::parse(dep_path).ok()?)?;
        let children = children_of(snapshot, include)
            .filter_map(|(alias, reference)| match reference.target(alias.as_str()) {
                Ok(DependencyTarget::Snapshot(child)) => Some(child.to_string()),
                _ => None,
            })
            .collect();
        let optional = snapshot.optional == Some(true);
        // A required package that does not fit is installed all the same, so its engines only
        // matter under engine-strict; this spares most installs asking `node` its version.
        let engines = package.engines.as_ref().filter(|_| optional || options.engine_strict);
        let unsupported_engine = match engines {
            Some(engines) => options.node.rejects(dep_path, engines).unwrap_or_else(|error| {
                engine_error.borrow_mut().get_or_insert(error);
                false
            }),
            None => false,
        };
        Some(PackageFacts {
            optional,
            requirements: requirements(package),
            unsupported_engine,
            children,
        })
    };
    let walk = skipped_optional_packages(roots, facts, options.platform, options.supported);
    if let Some(error) = engine_error.into_inner() {
        return Err(error);
    }
    match walk.incompatible.first() {
        Some(dep_path) if options.engine_strict => {
            Err(incompatibility(lockfile, dep_path, options))
        }
        _ => Ok(walk.skipped),
    }
}

fn requirements(package: &PackageInfo) -> PlatformRequirements<'_> {
    PlatformRequirements {
        os: package.os.as_deref(),
        cpu: package.cpu.as_deref(),
        libc: package.libc.as_deref(),
    }
}

/// The `engine-strict` error for a required package that does not fit: its engine when that is
/// what fails (pnpm checks the platform first).
fn incompatibility(lockfile: &Lockfile, dep_path: &str, options: &GraphOptions) -> InstallError {
    let package = DepPath::parse(dep_path).ok().and_then(|parsed| lockfile.package(&parsed));
    let platform = options.platform;
    let fits_platform = package
        .is_none_or(|package| is_installable(&requirements(package), platform, options.supported));
    let wanted_node = package.and_then(|package| package.engines.as_ref()?.get("node"));
    match wanted_node {
        Some(wanted) if fits_platform => InstallError::UnsupportedEngine {
            package: dep_path.to_owned(),
            wanted: wanted.clone(),
            current: options.node.version().unwrap_or_default().to_owned(),
        },
        _ => {
            let list = |values: Option<&Vec<String>>| {
                serde_json::to_string(values.map_or(&[][..], Vec::as_slice)).unwrap_or_default()
            };
            let (os, cpu, libc) = package.map_or((None, None, None), |package| {
                (package.os.as_ref(), package.cpu.as_ref(), package.libc.as_ref())
            });
            InstallError::UnsupportedPlatform {
                package: dep_path.to_owned(),
                wanted: format!(
                    "{{\"os\":{},\"cpu\":{},\"libc\":{}}}",
                    list(os),
                    list(cpu),
                    list(libc)
                ),
                current: format!(
                    "{{\"os\":\"{}\",\"cpu\":\"{}\",\"libc\":\"{}\"}}",
                    platform.os,
                    platform.cpu,
                    platform.libc.as_str()
                ),
            }
        }
    }
}

#[cfg(test)]
mod tests;
