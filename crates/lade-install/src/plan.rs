//! Which packages are already in `node_modules`, which the store can provide (warm) and which
//! must be downloaded (cold). `plan` itself does no I/O: it is handed the store rows and the
//! previous install's state.

use std::collections::HashMap;
use std::sync::Arc;

use lade_config::Registries;
use lade_fetch::TarballSource;
use lade_linker::NodeId;
use lade_lockfile::{Lockfile, Resolution};
use lade_store::{PackageFilesIndex, index_key};
use lade_types::Version;

use crate::InstallError;
use crate::graph::InstallGraph;

/// What the install does with each package of the graph.
pub(crate) struct InstallPlan {
    /// The store row of each node (indexed by node id).
    pub keys: Vec<String>,
    /// Rows found in the store, by key; peer variants of one package share a row.
    pub rows: HashMap<String, Arc<PackageFilesIndex>>,
    /// In the store: import into `node_modules`.
    pub warm: Vec<NodeId>,
    /// Not in the store: download, then import. One entry per tarball.
    pub cold: Vec<ColdPackage>,
    /// Already in `node_modules` exactly as wanted: left alone.
    pub unchanged: Vec<NodeId>,
}

pub(crate) struct ColdPackage {
    pub key: String,
    pub source: TarballSource,
    /// Every node (peer variant) that is this tarball.
    pub nodes: Vec<NodeId>,
    /// Only optional nodes: a failed download skips them instead of failing the install.
    pub optional: bool,
}

/// The store key of every node and the tarball it would be fetched from. Only resolutions with
/// an integrity can be keyed the way pnpm keys them; the others are refused for now.
pub(crate) fn store_sources(
    graph: &InstallGraph,
    registries: &Registries,
) -> Result<Vec<(String, TarballSource)>, InstallError> {
    graph.deps.nodes().map(|(id, _)| store_source(graph, registries, id)).collect()
}

fn store_source(
    graph: &InstallGraph,
    registries: &Registries,
    id: NodeId,
) -> Result<(String, TarballSource), InstallError> {
    let node = graph.deps.node(id);
    let unsupported =
        |kind| InstallError::UnsupportedResolution { package: node.dep_path.to_string(), kind };
    let registry = registries.for_package(&node.name).as_url();
    let source = match &graph.packages[id.index()].resolution {
        Resolution::Registry { integrity } => {
            let version = Version::parse(node.dep_path.version())
                .map_err(|_| unsupported("a version that is not a semver version"))?;
            TarballSource::from_registry(registry, &node.name, &version, integrity.clone())?
        }
        Resolution::Tarball { tarball, integrity: Some(integrity), .. }
            if tarball.starts_with("http:") || tarball.starts_with("https:") =>
        {
            TarballSource::from_tarball_field(
                node.dep_path.without_peers().to_owned(),
                registry,
                tarball,
                Some(integrity.clone()),
            )?
        }
        Resolution::Tarball { integrity: None, .. } => {
            return Err(unsupported("a tarball without integrity"));
        }
        Resolution::Tarball { .. } => return Err(unsupported("a local tarball (file:)")),
        Resolution::Directory { .. } => return Err(unsupported("a local directory (file:)")),
        Resolution::Git { .. } => return Err(unsupported("a git repository")),
        Resolution::Other(_) => return Err(unsupported("an unknown resolution type")),
    };
    let key = match graph.packages[id.index()].resolution.integrity() {
        Some(integrity) => index_key(integrity, &source.package_id),
        None => return Err(unsupported("a tarball without integrity")),
    };
    Ok((key, source))
}

/// Cold entries for warm packages whose store files turned out missing or modified.
pub(crate) fn refetch(
    graph: &InstallGraph,
    registries: &Registries,
    stale: &[NodeId],
) -> Result<Vec<ColdPackage>, InstallError> {
    let mut by_key: Vec<ColdPackage> = Vec::new();
    for id in stale {
        let (key, source) = store_source(graph, registries, *id)?;
        let optional = graph.packages[id.index()].optional;
        match by_key.iter_mut().find(|package| package.key == key) {
            Some(package) => {
                package.nodes.push(*id);
                package.optional &= optional;
            }
            None => by_key.push(ColdPackage { key, source, nodes: vec![*id], optional }),
        }
    }
    Ok(by_key)
}

/// Splits the graph into unchanged, warm and cold packages.
pub(crate) fn plan(
    graph: &InstallGraph,
    sources: Vec<(String, TarballSource)>,
    rows: HashMap<String, Arc<PackageFilesIndex>>,
    is_unchanged: impl Fn(NodeId) -> bool,
) -> InstallPlan {
    let (keys, sources): (Vec<String>, Vec<TarballSource>) = sources.into_iter().unzip();
    let mut warm = Vec::new();
    let mut unchanged = Vec::new();
    let mut cold: Vec<ColdPackage> = Vec::new();
    let mut cold_by_key: HashMap<&str, usize> = HashMap::new();
    for ((id, _), (key, source)) in graph.deps.nodes().zip(keys.iter().zip(sources)) {
        let optional = graph.packages[id.index()].optional;
        if is_unchanged(id) {
            unchanged.push(id);
        } else if rows.contains_key(key) {
            warm.push(id);
        } else if let Some(&index) = cold_by_key.get(key.as_str()) {
            cold[index].nodes.push(id);
            cold[index].optional &= optional;
        } else {
            cold_by_key.insert(key, cold.len());
            cold.push(ColdPackage { key: key.clone(), source, nodes: vec![id], optional });
        }
    }
    InstallPlan { keys, rows, warm, cold, unchanged }
}

/// pnpm's rule for leaving a package of a previous install alone: the previous lockfile has the
/// same snapshot with the same dependencies and integrity, and no optional dependencies.
pub(crate) fn same_as_current(
    wanted: &Lockfile,
    current: &Lockfile,
    dep_path: &lade_types::DepPath,
) -> bool {
    let (Some(want), Some(have)) =
        (wanted.snapshot(dep_path.as_str()), current.snapshot(dep_path.as_str()))
    else {
        return false;
    };
    let integrity = |lockfile: &Lockfile| {
        lockfile.package(dep_path).and_then(|p| p.resolution.integrity().cloned())
    };
    want.dependencies == have.dependencies
        && want.optional_dependencies.as_ref().is_none_or(|d| d.is_empty())
        && have.optional_dependencies.as_ref().is_none_or(|d| d.is_empty())
        && integrity(wanted) == integrity(current)
}
