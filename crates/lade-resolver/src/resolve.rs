//! The resolution as a table of contents: the dependency graph, its peers, the lockfile.

use std::sync::Arc;

use indexmap::IndexMap;
use lade_lockfile::Lockfile;
use tracing::Instrument;

use crate::graph::Graph;
use crate::overrides::Overrides;
use crate::peers::{PackageRef, PeerIssue};
use crate::{MetadataSource, ResolveError, ResolveInput, emit, graph, peers};

/// A resolution's outcome: the lockfile pnpm would write, and what pnpm would warn about.
#[derive(Debug)]
pub struct Resolved {
    pub lockfile: Lockfile,
    pub peer_issues: Vec<PeerIssue>,
    /// Deprecated packages in the order they were first met.
    pub deprecations: Vec<Deprecation>,
    /// Versions younger than `minimumReleaseAge`, picked as no older version matched (the age
    /// is not strict).
    pub immature: Vec<PackageRef>,
    /// Packages whose registry metadata has no publish times, picked without the age check.
    pub missing_time: Vec<String>,
}

/// A deprecated version in the graph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deprecation {
    pub name: String,
    pub version: String,
    pub message: String,
    /// A project's own dependency (pnpm warns about each), not a subdependency (counted).
    pub direct: bool,
}

/// Resolves the projects of `input` against `source`. A document served from a cache without
/// revalidation may lack versions published since: when one has no version a dependency can use,
/// or only one younger than `minimumReleaseAge`, the registry is asked again and the resolution
/// starts over, as pnpm falls back to the registry from its cache. Each package is refreshed at
/// most once, so this ends.
pub async fn resolve<S: MetadataSource>(
    source: Arc<S>,
    input: &ResolveInput,
) -> Result<Resolved, ResolveError> {
    loop {
        match resolve_once(source.clone(), input).await {
            Err(ResolveError::StaleMetadata { package }) if source.refresh(&package) => {}
            Ok(resolved) if refresh_any(&*source, &resolved.immature) => {}
            outcome => return outcome,
        }
    }
}

fn refresh_any<S: MetadataSource>(source: &S, packages: &[PackageRef]) -> bool {
    // Every one of them, not just the first.
    packages.iter().filter(|package| source.refresh(&package.name)).count() > 0
}

async fn resolve_once<S: MetadataSource>(
    source: Arc<S>,
    input: &ResolveInput,
) -> Result<Resolved, ResolveError> {
    let mut graph = graph::build_graph(source.clone(), input)
        .instrument(tracing::info_span!("resolve_graph"))
        .await?;
    let peers = tracing::info_span!("resolve_peers", packages = graph.packages.len())
        .in_scope(|| peers::resolve_peers(&mut graph, &input.settings));
    let lockfile = tracing::info_span!("emit_lockfile").in_scope(|| {
        emit::emit_lockfile(&graph, &peers, input, |name| source.registry_for(name).clone())
    });
    let immature = std::mem::take(&mut graph.immature)
        .into_iter()
        .map(|(name, version)| PackageRef { name, version })
        .collect();
    Ok(Resolved {
        lockfile,
        peer_issues: peers.issues,
        deprecations: deprecations(&graph),
        immature,
        missing_time: std::mem::take(&mut graph.missing_time).into_iter().collect(),
    })
}

/// The `overrides` a lockfile records for these settings: `catalog:` replacements resolved.
pub fn lockfile_overrides(
    overrides: &IndexMap<String, String>,
    catalogs: &IndexMap<String, IndexMap<String, String>>,
) -> Result<IndexMap<String, String>, ResolveError> {
    Ok(Overrides::parse(overrides, catalogs)?.recorded())
}

fn deprecations(graph: &Graph) -> Vec<Deprecation> {
    graph
        .packages
        .iter()
        .filter_map(|package| {
            Some(Deprecation {
                name: package.name.to_string(),
                version: package.version.clone(),
                message: package.facts.deprecated.clone()?,
                direct: package.first_depth == 0,
            })
        })
        .collect()
}
