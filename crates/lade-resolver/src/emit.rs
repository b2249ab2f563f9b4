//! The lockfile from the resolved graph: snapshots with their dependency references, importers
//! as their manifests list them, `optional` recomputed as pnpm's pruner does, then the
//! `packages`/`snapshots` split of lockfile v9.

use std::collections::HashSet;

use indexmap::IndexMap;
use lade_lockfile::{
    CatalogEntry, DependencyRef, ImporterDependency, Lockfile, LockfileSettings, PackageInfo,
    ProjectSnapshot, Resolution, SnapshotEntry,
};
use lade_manifest::{BundledDependencies, PeerDependencyMeta, Specifier};
use lade_types::{DepPath, Integrity, PkgName};
use url::Url;

use crate::graph::{Graph, Target};
use crate::options::{ResolutionMode, ResolveInput};
use crate::peers::PeersResult;

/// `depPathToRef`: the version alone when the alias is the package's own name.
fn reference(path: &str, alias: &str, name: &str) -> String {
    match path.strip_prefix(name).and_then(|rest| rest.strip_prefix('@')) {
        Some(version) if alias == name => version.to_owned(),
        _ => path.to_owned(),
    }
}

pub(crate) fn emit_lockfile(
    graph: &Graph,
    peers: &PeersResult,
    input: &ResolveInput,
    registry_for: impl Fn(&PkgName) -> Url,
) -> Lockfile {
    let settings = LockfileSettings {
        auto_install_peers: Some(input.settings.auto_install_peers),
        dedupe_peers: input.settings.dedupe_peers.then_some(true),
        exclude_links_from_lockfile: Some(input.settings.exclude_links_from_lockfile),
        peers_suffix_max_length: Some(input.settings.peers_suffix_max_length),
        inject_workspace_packages: None,
    };
    let mut lockfile = Lockfile::new(settings);
    let mut snapshots: IndexMap<String, SnapshotEntry> = IndexMap::new();
    for (path, node) in &peers.dep_graph {
        let package = graph.package(node.pkg);
        let mut deps = IndexMap::new();
        let mut optional_deps = IndexMap::new();
        for (alias, child) in &node.children {
            let Ok(alias_name) = PkgName::parse(alias) else { continue };
            let child_name = peers.dep_graph.get(child).map(|c| graph.package(c.pkg).name.as_str());
            let text = if child.starts_with("link:") {
                child.clone()
            } else {
                reference(child, alias, child_name.unwrap_or(""))
            };
            let optional = package.manifest.optional_dependencies.contains_key(alias)
                || package.peers.get(alias).is_some_and(|p| p.optional);
            let target = if optional { &mut optional_deps } else { &mut deps };
            target.insert(alias_name, DependencyRef::new(text));
        }
        let mut transitive: Vec<String> = node.transitive_peers.iter().cloned().collect();
        transitive.sort();
        snapshots.insert(
            path.clone(),
            SnapshotEntry {
                dependencies: (!deps.is_empty()).then_some(deps),
                optional_dependencies: (!optional_deps.is_empty()).then_some(optional_deps),
                transitive_peer_dependencies: (!transitive.is_empty()).then_some(transitive),
                ..SnapshotEntry::default()
            },
        );
    }
    for (index, importer) in graph.importers.iter().enumerate() {
        let snapshot = importer_snapshot(graph, peers, input, index);
        lockfile.importers.insert(importer.id.clone(), snapshot);
    }
    let reachable = mark_optional(&lockfile, &mut snapshots);
    for (path, node) in &peers.dep_graph {
        if !reachable.contains(path) {
            continue;
        }
        let Ok(dep_path) = DepPath::parse(path) else { continue };
        let package = graph.package(node.pkg);
        if let Ok(key) = DepPath::parse(dep_path.without_peers())
            && !lockfile.packages.contains_key(&key)
        {
            let registry = registry_for(&package.name);
            lockfile.packages.insert(key, package_info(graph, node.pkg, &registry));
        }
        if let Some(snapshot) = snapshots.shift_remove(path) {
            lockfile.snapshots.insert(dep_path, snapshot);
        }
    }
    lockfile.catalogs = catalogs(graph);
    lockfile.overrides = (!input.overrides.is_empty())
        .then(|| crate::resolve::lockfile_overrides(&input.overrides, &input.catalogs).ok())
        .flatten();
    if input.settings.resolution_mode == ResolutionMode::TimeBased {
        let times = direct_publish_times(graph, input);
        lockfile.time = (!times.is_empty()).then_some(times);
    }
    lockfile.package_extensions_checksum =
        crate::package_extensions_checksum(&input.package_extensions);
    if !input.ignored_optional_dependencies.is_empty() {
        let mut ignored = input.ignored_optional_dependencies.clone();
        ignored.sort();
        lockfile.ignored_optional_dependencies = Some(ignored);
    }
    lockfile
}

fn importer_snapshot(
    graph: &Graph,
    peers: &PeersResult,
    input: &ResolveInput,
    index: usize,
) -> ProjectSnapshot {
    let importer = &graph.importers[index];
    let manifest = &importer.manifest;
    let raw = &input.projects[index].manifest;
    let mut fields: IndexMap<String, &'static str> = IndexMap::new();
    for (field, deps) in [
        ("optional", &manifest.optional_dependencies),
        ("prod", &manifest.dependencies),
        ("dev", &manifest.dev_dependencies),
    ] {
        for alias in deps.keys() {
            fields.entry(alias.clone()).or_insert(field);
        }
    }
    if input.settings.auto_install_peers {
        for alias in manifest.peer_dependencies.keys() {
            fields.entry(alias.clone()).or_insert("prod");
        }
    }
    let spec_of = |alias: &str| -> String {
        let catalog = raw
            .optional_dependencies
            .iter()
            .chain(&raw.dependencies)
            .chain(&raw.dev_dependencies)
            .chain(&raw.peer_dependencies)
            .find_map(|m| m.get(alias))
            .filter(|s| s.as_str().starts_with("catalog:"));
        if let Some(catalog) = catalog {
            return catalog.as_str().to_owned();
        }
        [
            &manifest.optional_dependencies,
            &manifest.dependencies,
            &manifest.dev_dependencies,
            &manifest.peer_dependencies,
        ]
        .iter()
        .find_map(|m| m.get(alias))
        .cloned()
        .unwrap_or_default()
    };
    let mut snapshot = ProjectSnapshot::default();
    let direct = &peers.direct[index];
    for (alias, field) in fields {
        let Some(address) = importer.addresses.iter().find(|a| a.alias == alias) else { continue };
        let version = match &address.target {
            Target::Link(link) => format!("link:{}", link.reference),
            Target::Node(_) => {
                let Some(path) = direct.get(&alias) else { continue };
                let name =
                    address.pkg.map(|p| graph.package(p).name.to_string()).unwrap_or_default();
                reference(path, &alias, &name)
            }
        };
        let Ok(name) = PkgName::parse(&alias) else { continue };
        let entry = ImporterDependency {
            specifier: Specifier::new(spec_of(&alias)),
            version: DependencyRef::new(version),
        };
        let slot = match field {
            "optional" => &mut snapshot.optional_dependencies,
            "dev" => &mut snapshot.dev_dependencies,
            _ => &mut snapshot.dependencies,
        };
        slot.get_or_insert_with(IndexMap::new).insert(name, entry);
    }
    snapshot.publish_directory = raw.publish_directory().map(str::to_owned);
    snapshot
}

/// pnpm's pruner: walks from the importers (dev, then optional, then production dependencies);
/// a snapshot reached only through optional edges is `optional`; unreached ones are dropped.
fn mark_optional(
    lockfile: &Lockfile,
    snapshots: &mut IndexMap<String, SnapshotEntry>,
) -> HashSet<String> {
    let mut walked: HashSet<(String, bool)> = HashSet::new();
    let mut non_optional: HashSet<String> = HashSet::new();
    let mut reachable: HashSet<String> = HashSet::new();
    let roots = |field: fn(&ProjectSnapshot) -> &Option<lade_lockfile::ImporterDependencies>| {
        lockfile
            .importers
            .values()
            .flat_map(move |i| field(i).iter().flatten())
            .filter_map(|(alias, dep)| resolve_ref(dep.version.as_str(), alias.as_str()))
            .collect::<Vec<_>>()
    };
    let order: [(Vec<String>, bool); 3] = [
        (roots(|i| &i.dev_dependencies), false),
        (roots(|i| &i.optional_dependencies), true),
        (roots(|i| &i.dependencies), false),
    ];
    for (paths, optional) in order {
        let mut stack: Vec<(String, bool)> =
            paths.into_iter().rev().map(|p| (p, optional)).collect();
        while let Some((path, optional)) = stack.pop() {
            if !walked.insert((path.clone(), optional)) {
                continue;
            }
            let Some(snapshot) = snapshots.get_mut(&path) else { continue };
            reachable.insert(path.clone());
            if optional && !non_optional.contains(&path) {
                snapshot.optional = Some(true);
            } else {
                non_optional.insert(path.clone());
                snapshot.optional = None;
            }
            let children = |deps: &Option<IndexMap<PkgName, DependencyRef>>| {
                deps.iter()
                    .flatten()
                    .filter_map(|(a, r)| resolve_ref(r.as_str(), a.as_str()))
                    .collect::<Vec<_>>()
            };
            let optional_children = children(&snapshot.optional_dependencies);
            let children = children(&snapshot.dependencies);
            for child in optional_children.into_iter().rev() {
                stack.push((child, true));
            }
            for child in children.into_iter().rev() {
                stack.push((child, optional));
            }
        }
    }
    reachable
}

/// `refToRelative`.
fn resolve_ref(reference: &str, alias: &str) -> Option<String> {
    if reference.starts_with("link:") {
        return None;
    }
    Some(match DependencyRef::new(reference).target(alias) {
        Ok(lade_lockfile::DependencyTarget::Snapshot(path)) => path.to_string(),
        _ => return None,
    })
}

fn package_info(graph: &Graph, pkg: crate::graph::PackageId, registry: &Url) -> PackageInfo {
    let package = graph.package(pkg);
    let facts = &package.facts;
    let integrity = facts.integrity.as_deref().and_then(|i| Integrity::parse(i).ok());
    let expected = lade_registry::tarball_url(
        registry,
        &package.name,
        &lade_types::Version::parse(&package.version).unwrap_or_else(|_| {
            lade_types::Version::parse("0.0.0").unwrap_or_else(|_| unreachable!())
        }),
    )
    .ok();
    let strip = |u: &str| u.split_once("://").map(|(_, rest)| rest.to_owned());
    let same = match (&expected, &facts.tarball) {
        (Some(expected), Some(actual)) => {
            strip(expected.as_str()) == strip(&actual.replace("%2f", "/"))
        }
        _ => true,
    };
    let resolution = match (integrity, same) {
        (Some(integrity), true) => Resolution::Registry { integrity },
        (integrity, _) => Resolution::Tarball {
            tarball: facts.tarball.clone().unwrap_or_default(),
            integrity,
            path: None,
            git_hosted: None,
        },
    };
    let list = |v: &Vec<String>| (!v.is_empty()).then(|| v.clone());
    let peers: IndexMap<PkgName, String> = package
        .peers
        .iter()
        .filter_map(|(name, p)| Some((PkgName::parse(name).ok()?, p.range.clone())))
        .collect();
    let meta: IndexMap<PkgName, PeerDependencyMeta> = package
        .peers
        .iter()
        .filter(|(_, p)| p.optional)
        .filter_map(|(name, _)| {
            let meta = serde_json::from_value(serde_json::json!({ "optional": true })).ok()?;
            Some((PkgName::parse(name).ok()?, meta))
        })
        .collect();
    PackageInfo {
        resolution,
        id: None,
        name: None,
        version: None,
        engines: (!facts.engines.is_empty()).then(|| facts.engines.clone()),
        cpu: list(&facts.cpu),
        os: list(&facts.os),
        libc: list(&facts.libc),
        deprecated: facts.deprecated.clone(),
        has_bin: facts.has_bin.then_some(true),
        prepare: None,
        requires_build: None,
        bundled_dependencies: facts.bundled.clone().map(|bundled| match bundled {
            None => BundledDependencies::All(true),
            Some(names) => BundledDependencies::Names(names),
        }),
        peer_dependencies: (!peers.is_empty()).then_some(peers),
        peer_dependencies_meta: (!meta.is_empty()).then_some(meta),
    }
}

/// Time-based mode's `time`: when each direct dependency was published (from the old lockfile
/// when the packument did not say), keyed by `name@version` and sorted.
fn direct_publish_times(graph: &Graph, input: &ResolveInput) -> IndexMap<String, String> {
    let previous = input.existing_lockfile.as_ref().and_then(|l| l.time.as_ref());
    let mut times: Vec<(String, String)> = Vec::new();
    for importer in &graph.importers {
        for package in importer.addresses.iter().filter_map(|a| a.pkg).map(|p| graph.package(p)) {
            let time = package
                .facts
                .published_at
                .clone()
                .or_else(|| previous.and_then(|t| t.get(&package.id)).cloned());
            if let Some(time) = time {
                times.push((package.id.clone(), time));
            }
        }
    }
    times.sort();
    times.dedup_by(|a, b| a.0 == b.0);
    times.into_iter().collect()
}

fn catalogs(graph: &Graph) -> Option<IndexMap<String, IndexMap<String, CatalogEntry>>> {
    let mut catalogs: IndexMap<String, IndexMap<String, CatalogEntry>> = IndexMap::new();
    for importer in &graph.importers {
        for (alias, (catalog, specifier)) in &importer.catalog_lookups {
            let Some(version) = importer
                .addresses
                .iter()
                .find(|a| &a.alias == alias)
                .and_then(|a| a.pkg)
                .map(|p| graph.package(p).version.clone())
            else {
                continue;
            };
            catalogs.entry(catalog.clone()).or_default().insert(
                alias.clone(),
                CatalogEntry { specifier: Specifier::new(specifier.clone()), version },
            );
        }
    }
    (!catalogs.is_empty()).then_some(catalogs)
}
