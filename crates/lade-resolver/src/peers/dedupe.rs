//! `dedupe-peer-dependents`: when one package got several peer suffixes and one of its paths
//! has every dependency (and resolved peer) of another, the other is replaced by it.

use indexmap::{IndexMap, IndexSet};

use super::{DepNode, PeersResult};
use crate::graph::PackageId;

pub(crate) fn dedupe_peer_dependents(
    result: &mut PeersResult,
    paths_by_pkg: &IndexMap<PackageId, IndexSet<String>>,
) {
    let duplicates: Vec<IndexSet<String>> =
        paths_by_pkg.values().filter(|paths| paths.len() > 1).cloned().collect();
    let map = deduplicate_all(&mut result.dep_graph, duplicates);
    for direct in &mut result.direct {
        for path in direct.values_mut() {
            if let Some(replacement) = map.get(path) {
                *path = replacement.clone();
            }
        }
    }
}

fn deps_count(node: &DepNode) -> usize {
    node.children.len() + node.resolved_peer_names.len()
}

fn deduplicate_all(
    graph: &mut IndexMap<String, DepNode>,
    duplicates: Vec<IndexSet<String>>,
) -> IndexMap<String, String> {
    let (map, remaining) = deduplicate_paths(&duplicates, graph);
    if remaining.len() == duplicates.len() {
        return map;
    }
    for node in graph.values_mut() {
        for child in node.children.values_mut() {
            if let Some(replacement) = map.get(child) {
                *child = replacement.clone();
            }
        }
    }
    if map.is_empty() {
        return map;
    }
    let mut all = map;
    all.extend(deduplicate_all(graph, remaining));
    all
}

fn deduplicate_paths(
    duplicates: &[IndexSet<String>],
    graph: &IndexMap<String, DepNode>,
) -> (IndexMap<String, String>, Vec<IndexSet<String>>) {
    let count = |path: &String| graph.get(path).map_or(0, deps_count);
    let mut map = IndexMap::new();
    let mut remaining = Vec::new();
    for paths in duplicates {
        let mut unresolved: IndexSet<String> = paths.clone();
        let mut current: Vec<String> = paths.iter().cloned().collect();
        current.sort_by_key(|p| count(p));
        while let Some(first) = current.pop() {
            let mut next = Vec::new();
            while let Some(second) = current.pop() {
                if compatible_with_more_deps(graph, &first, &second) {
                    map.insert(second.clone(), first.clone());
                    unresolved.shift_remove(&first);
                    unresolved.shift_remove(&second);
                } else {
                    next.push(second);
                }
            }
            next.sort_by_key(|p| count(p));
            current = next;
        }
        if !unresolved.is_empty() {
            remaining.push(unresolved);
        }
    }
    (map, remaining)
}

fn compatible_with_more_deps(graph: &IndexMap<String, DepNode>, first: &str, second: &str) -> bool {
    let (Some(a), Some(b)) = (graph.get(first), graph.get(second)) else { return false };
    if deps_count(a) < deps_count(b) {
        return false;
    }
    let a_children: IndexSet<&String> = a.children.values().collect();
    b.children.values().all(|p| a_children.contains(p))
        && b.resolved_peer_names.iter().all(|p| a.resolved_peer_names.contains(p))
}
