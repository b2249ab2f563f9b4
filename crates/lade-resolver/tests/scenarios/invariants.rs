//! Property tests over random registries and projects: whatever is resolved, every locked
//! dependency satisfies the range that asked for it, and every peer is provided or reported.

use lade_lockfile::{DependencyTarget, Lockfile};
use lade_resolver::semver::{Range, SemVer};
use lade_resolver::{ResolveError, Resolved};
use proptest::prelude::*;
use serde_json::{Map, Value, json};

use crate::support::{Registry, project, run};

const NAMES: [&str; 5] = ["a", "b", "c", "d", "e"];
const VERSIONS: [&str; 4] = ["1.0.0", "1.1.0", "1.2.3", "2.0.0"];
const RANGES: [&str; 6] = ["^1.0.0", "~1.1.0", "*", "^2.0.0", ">=1.1.0", "1.0.0 || 2.0.0"];

#[derive(Clone, Debug)]
struct Edge {
    target: usize,
    range: usize,
    kind: u8,
}

#[derive(Clone, Debug)]
struct World {
    /// Per package, the versions published (indexes into VERSIONS) with their edges.
    packages: Vec<Vec<(usize, Vec<Edge>)>>,
    direct: Vec<(usize, usize)>,
}

fn edge() -> impl Strategy<Value = Edge> {
    (0..NAMES.len(), 0..RANGES.len(), 0u8..4).prop_map(|(target, range, kind)| Edge {
        target,
        range,
        kind,
    })
}

fn world() -> impl Strategy<Value = World> {
    let version = (0..VERSIONS.len(), prop::collection::vec(edge(), 0..3));
    let package = prop::collection::vec(version, 1..4);
    let packages = prop::collection::vec(package, NAMES.len());
    let direct = prop::collection::vec((0..NAMES.len(), 0..RANGES.len()), 1..4);
    (packages, direct).prop_map(|(packages, direct)| World { packages, direct })
}

impl World {
    fn registry(&self) -> Registry {
        let mut registry = Registry::new();
        for (index, versions) in self.packages.iter().enumerate() {
            let mut published: Vec<usize> = Vec::new();
            for (version, edges) in versions {
                if published.contains(version) {
                    continue;
                }
                published.push(*version);
                registry =
                    registry.publish(NAMES[index], VERSIONS[*version], manifest(index, edges));
            }
        }
        registry
    }

    fn project(&self) -> Value {
        let mut dependencies = Map::new();
        for (target, range) in &self.direct {
            dependencies.insert(NAMES[*target].into(), RANGES[*range].into());
        }
        json!({ "dependencies": dependencies })
    }
}

/// Kinds: 0 and 1 dependency, 2 optional dependency, 3 peer (optional when the range is `*`).
fn manifest(own: usize, edges: &[Edge]) -> Value {
    let mut fields: Map<String, Value> = Map::new();
    for edge in edges.iter().filter(|e| e.target != own) {
        let field = match edge.kind {
            0 | 1 => "dependencies",
            2 => "optionalDependencies",
            _ => "peerDependencies",
        };
        let entry = fields.entry(field).or_insert_with(|| json!({}));
        entry[NAMES[edge.target]] = RANGES[edge.range].into();
        if edge.kind == 3 && RANGES[edge.range] == "*" {
            let meta = fields.entry("peerDependenciesMeta").or_insert_with(|| json!({}));
            meta[NAMES[edge.target]] = json!({"optional": true});
        }
    }
    Value::Object(fields)
}

fn satisfies(version: &str, range: &str) -> bool {
    let (Some(version), Some(range)) =
        (SemVer::parse(version, true), Range::parse(range, true, true))
    else {
        return false;
    };
    range.test(&version)
}

fn version_of(reference: &str, alias: &str) -> Option<String> {
    match lade_lockfile::DependencyRef::new(reference).target(alias).ok()? {
        DependencyTarget::Snapshot(path) => Some(path.version().to_owned()),
        DependencyTarget::Link(_) => None,
    }
}

/// Every importer and snapshot dependency satisfies its declared range; peers are in range or
/// reported, and absent required peers are reported.
fn check(registry: &World, resolved: &Resolved, auto: bool) -> Result<(), TestCaseError> {
    let lockfile: &Lockfile = &resolved.lockfile;
    let root = lockfile.importer(".").expect("root importer");
    for (alias, dep) in root.dependencies.iter().flatten() {
        let version = version_of(dep.version.as_str(), alias.as_str()).unwrap_or_default();
        prop_assert!(
            satisfies(&version, dep.specifier.as_str()),
            "{alias}@{version} vs {}",
            dep.specifier.as_str()
        );
    }
    for (key, snapshot) in &lockfile.snapshots {
        let (name, version) = (key.name(), key.version());
        let index = NAMES.iter().position(|n| *n == name).expect("known package");
        let Some(edges) = registry.packages[index]
            .iter()
            .find(|(v, _)| VERSIONS[*v] == version)
            .map(|(_, edges)| manifest(index, edges))
        else {
            continue;
        };
        let reported = |peer: &str, found: Option<&str>| {
            resolved.peer_issues.iter().any(|issue| {
                issue.peer == peer
                    && issue.found_version.as_deref() == found
                    && issue.parents.last().is_some_and(|p| p.name == name && p.version == version)
            })
        };
        let locked = [&snapshot.dependencies, &snapshot.optional_dependencies];
        for (alias, reference) in locked.into_iter().flatten().flatten() {
            let child = version_of(reference.as_str(), alias.as_str()).unwrap_or_default();
            // A name that is also a peer may be resolved as either (pnpm drops the dependency
            // when auto-installing peers).
            let ranges: Vec<&str> = ["dependencies", "optionalDependencies", "peerDependencies"]
                .iter()
                .filter_map(|field| edges[field][alias.as_str()].as_str())
                .collect();
            let is_peer = edges["peerDependencies"][alias.as_str()].is_string();
            prop_assert!(
                ranges.iter().any(|range| satisfies(&child, range))
                    || (is_peer && reported(alias.as_str(), Some(&child))),
                "{key}: {alias}@{child} does not satisfy {ranges:?}"
            );
        }
        for (peer, range) in edges["peerDependencies"].as_object().into_iter().flatten() {
            // pnpm's `peerDependenciesWithoutOwn`: a peer the package also depends on itself is
            // its own dependency (auto-install-peers drops it from `dependencies` first).
            let own = edges["optionalDependencies"][peer].is_string()
                || (!auto && edges["dependencies"][peer].is_string());
            if own {
                continue;
            }
            let provided = locked.into_iter().flatten().flatten().any(|(a, _)| a.as_str() == peer);
            let optional = edges["peerDependenciesMeta"][peer]["optional"] == json!(true);
            prop_assert!(
                provided || optional || reported(peer, None),
                "{key}: peer {peer}@{} neither provided nor reported",
                range.as_str().unwrap_or_default()
            );
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn locked_versions_satisfy_and_peers_are_accounted_for(world in world(), auto in any::<bool>()) {
        let mut input = project(world.project());
        input.settings.auto_install_peers = auto;
        match run(&world.registry(), &input) {
            Ok(resolved) => check(&world, &resolved, auto)?,
            Err(ResolveError::NoMatchingVersion { .. }) => {}
            Err(other) => prop_assert!(false, "unexpected error: {other:?}"),
        }
    }
}
