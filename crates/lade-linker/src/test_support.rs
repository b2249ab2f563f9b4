//! Access to the shared fixtures and to what pnpm 10.34.9 produced for them (`testdata/pnpm10`).

use std::path::PathBuf;

use serde_yaml_ng::{Mapping, Value};

/// The shared fixture lockfile `../shared/fixtures/<fixture>/pnpm-lock.yaml`, parsed as plain YAML.
pub(crate) fn fixture_lockfile(fixture: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/fixtures")
        .join(fixture)
        .join("pnpm-lock.yaml");
    let text = fs_err::read_to_string(&path).unwrap();
    serde_yaml_ng::from_str(&text).unwrap()
}

/// A file recorded from pnpm 10's install of a fixture.
pub(crate) fn pnpm10_reference(fixture: &str, file: &str) -> String {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("testdata/pnpm10").join(fixture).join(file);
    fs_err::read_to_string(path).unwrap()
}

pub(crate) fn section<'a>(value: &'a Value, key: &str) -> &'a Mapping {
    static EMPTY: std::sync::OnceLock<Mapping> = std::sync::OnceLock::new();
    value.get(key).and_then(Value::as_mapping).unwrap_or_else(|| EMPTY.get_or_init(Mapping::new))
}

pub(crate) fn text(value: &Value) -> &str {
    value.as_str().unwrap()
}

/// pnpm's `refToRelative`: a lockfile reference under `alias` → the dependency path it names, or
/// `None` for `link:`.
pub(crate) fn ref_to_dep_path(reference: &str, alias: &str) -> Option<String> {
    if reference.starts_with("link:") {
        return None;
    }
    if reference.starts_with('@') {
        return Some(reference.to_owned());
    }
    let Some(at) = reference.find('@') else { return Some(format!("{alias}@{reference}")) };
    let before = |c: char| reference.find(c).is_none_or(|i| at < i);
    if before(':') && before('(') {
        Some(reference.to_owned())
    } else {
        Some(format!("{alias}@{reference}"))
    }
}

/// The graph and importers of a fixture's lockfile, leaving out `skipped` dependency paths, the way
/// pnpm's `lockfileToDepGraph` builds them for an install of all importers.
pub(crate) fn graph_of_fixture(
    fixture: &str,
    skipped: &std::collections::HashSet<String>,
) -> (crate::DepGraph, Vec<crate::Importer>) {
    use crate::{DepGraph, DirectTarget, Importer, ImporterId};
    use lade_types::{DepPath, PkgName};

    let lockfile = fixture_lockfile(fixture);
    let packages = section(&lockfile, "packages");
    let snapshots = section(&lockfile, "snapshots");
    let mut graph = DepGraph::new(crate::DEFAULT_MAX_LENGTH);
    let mut ids = std::collections::HashMap::new();
    for key in snapshots.keys().map(text).filter(|key| !skipped.contains(*key)) {
        let dep_path = DepPath::parse(key).unwrap();
        let has_bin = packages
            .get(dep_path.without_peers())
            .and_then(|p| p.get("hasBin"))
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let bundles = packages
            .get(dep_path.without_peers())
            .is_some_and(|p| p.get("bundledDependencies").is_some());
        let name = PkgName::parse(dep_path.name()).unwrap();
        let id = graph.add_node(name, dep_path, has_bin);
        graph.node_mut(id).has_bundled_dependencies = bundles;
        ids.insert(key.to_owned(), id);
    }
    for (key, snapshot) in snapshots {
        let Some(&parent) = ids.get(text(key)) else { continue };
        for group in ["dependencies", "optionalDependencies"] {
            for (alias, reference) in section(snapshot, group) {
                let dep_path = ref_to_dep_path(text(reference), text(alias));
                match dep_path.and_then(|p| ids.get(&p)) {
                    Some(&child) => {
                        graph.add_child(parent, PkgName::parse(text(alias)).unwrap(), child)
                    }
                    None => graph.node_mut(parent).has_children_outside_graph = true,
                }
            }
        }
    }
    let importers = section(&lockfile, "importers")
        .iter()
        .map(|(id, importer)| {
            let mut result = Importer::new(ImporterId::new(text(id)));
            for group in ["devDependencies", "dependencies", "optionalDependencies"] {
                for (alias, spec) in section(importer, group) {
                    let reference = text(spec.get("version").unwrap());
                    let alias_name = PkgName::parse(text(alias)).unwrap();
                    match ref_to_dep_path(reference, text(alias)) {
                        None => {
                            result.add_direct(alias_name, DirectTarget::Link(reference[5..].into()))
                        }
                        Some(dep_path) => {
                            if let Some(&node) = ids.get(&dep_path) {
                                result.add_direct(alias_name, DirectTarget::Node(node));
                            }
                        }
                    }
                }
            }
            result
        })
        .collect();
    (graph, importers)
}

/// The named workspace projects of a fixture, read from their package.json files.
pub(crate) fn workspace_packages_of_fixture(
    fixture: &str,
    importers: &[crate::Importer],
) -> Vec<crate::WorkspacePackage> {
    let root =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures").join(fixture);
    importers
        .iter()
        .filter(|importer| !importer.id.is_root())
        .filter_map(|importer| {
            let dir = root.join(importer.id.as_str());
            let manifest: serde_json::Value =
                serde_json::from_str(&fs_err::read_to_string(dir.join("package.json")).unwrap())
                    .unwrap();
            let name = lade_types::PkgName::parse(manifest.get("name")?.as_str()?).unwrap();
            Some(crate::WorkspacePackage { importer: importer.id.clone(), name, dir })
        })
        .collect()
}
