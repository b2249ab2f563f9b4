//! What pnpm prints after an install: the root project's direct dependencies by field, and
//! which packages' build scripts were left for later.

use std::time::Instant;

use lade_lockfile::{DependencyTarget, Lockfile};
use lade_manifest::DependencyField;

use crate::graph::InstallGraph;
use crate::install::NodeRows;
use crate::{AddedDependency, DirectGroup, InstallSummary};

pub(crate) fn unchanged(started: Instant) -> InstallSummary {
    InstallSummary { direct: Vec::new(), elapsed: started.elapsed() }
}

/// The root importer's installed direct dependencies, in pnpm's field order, sorted by name.
pub(crate) fn of_install(
    lockfile: &Lockfile,
    graph: &InstallGraph,
    started: Instant,
) -> InstallSummary {
    let root = graph.importers.iter().find(|importer| importer.id.is_root());
    let installed = |alias: &str| {
        root.is_some_and(|importer| importer.direct_deps.iter().any(|(a, _)| a.as_str() == alias))
    };
    let mut direct = Vec::new();
    let fields = [
        DependencyField::Dependencies,
        DependencyField::OptionalDependencies,
        DependencyField::DevDependencies,
    ];
    for field in fields {
        let Some(deps) = lockfile.importer(".").and_then(|p| p.dependency_field(field)) else {
            continue;
        };
        let mut added: Vec<AddedDependency> = deps
            .iter()
            .filter(|(alias, _)| installed(alias.as_str()))
            .map(|(alias, dependency)| AddedDependency {
                name: alias.to_string(),
                version: match dependency.version.target(alias.as_str()) {
                    Ok(DependencyTarget::Link(path)) => format!("<- {path}"),
                    Ok(DependencyTarget::Snapshot(dep_path))
                        if dep_path.name() != alias.as_str() =>
                    {
                        format!("<- {}", dep_path.without_peers())
                    }
                    _ => dependency.version.without_peers().to_owned(),
                },
            })
            .collect();
        added.sort_by(|a, b| a.name.cmp(&b.name));
        if !added.is_empty() {
            direct.push(DirectGroup { field: field.as_str(), added });
        }
    }
    InstallSummary { direct, elapsed: started.elapsed() }
}

/// Packages with install scripts, which this install did not run (pnpm's `pendingBuilds`).
pub(crate) fn pending_builds(graph: &InstallGraph, rows: &NodeRows) -> Vec<String> {
    let mut pending: Vec<String> = graph
        .deps
        .nodes()
        .filter(|(id, _)| {
            rows[id.index()].as_ref().is_some_and(|row| row.requires_build == Some(true))
        })
        .map(|(_, node)| node.dep_path.to_string())
        .collect();
    pending.sort();
    pending.dedup();
    pending
}
