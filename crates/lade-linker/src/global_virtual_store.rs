//! Slot names in pnpm's global virtual store (`enableGlobalVirtualStore`): every snapshot lives at
//! `<store>/v11/links/<scope or @>/<name>/<version>/<hash>`, where `<hash>` digests the package
//! and, recursively, everything it depends on — so two projects whose lockfiles resolve a package
//! to the same subgraph share one slot, and a different subgraph never reuses it.
//!
//! The digest is pnpm 12.21.0's (checked against the slots it creates for the shared fixtures):
//! a package outside any dependency cycle hashes as `hashObject({id, deps: {alias: digest}})`;
//! the members of a cycle are told apart by refining labels over the cycle's internal edges
//! until the partition is stable, and each member's digest names its label and the whole cycle,
//! so any change inside a cycle moves every member.

use std::collections::{HashMap, HashSet};

use lade_types::{DepPath, HashEncoding, ObjectHashWriter, PkgName, hash_object};
use serde_json::{Map, Value, json};

use crate::LinkerError;
use crate::graph::insert_like_object;

/// One lockfile snapshot as the slot hash sees it.
#[derive(Clone, Debug)]
pub struct SlotSnapshot {
    /// The snapshot key.
    pub dep_path: DepPath,
    pub name: PkgName,
    /// The `packages` entry's `version`, else the key's version.
    pub version: String,
    /// pnpm's `fullPkgId`: `<key without peers>:<integrity>` (the resolution's `hashObject` when
    /// it has no integrity).
    pub full_pkg_id: String,
    /// `dependencies`, then `optionalDependencies`, as the lockfile lists them.
    pub children: Vec<(PkgName, SlotChild)>,
    /// The package may run build scripts (pnpm's `allowBuilds`), so its slot, and the slot of
    /// everything depending on it, is specific to the Node.js engine.
    pub builds: bool,
}

/// Where a snapshot's dependency points.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SlotChild {
    /// A snapshot key; one the lockfile lacks (an unresolved peer) hashes as the empty string.
    Snapshot(DepPath),
    /// A `link:` dependency, by its absolute directory: a leaf named `link:<directory>`.
    Link(String),
}

/// What a child resolves to inside the hash graph.
#[derive(Clone, Copy)]
enum Edge {
    Node(usize),
    Leaf(usize),
    Missing,
}

struct HashGraph<'a> {
    ids: Vec<&'a str>,
    /// Each snapshot's dependencies, in JavaScript object order.
    children: Vec<Vec<(PkgName, Edge)>>,
    /// `link:` leaves, by the index an [`Edge::Leaf`] carries.
    leaves: Vec<String>,
}

/// The slot path (`@/name/version/hash`, `@scope/name/version/hash`) of each snapshot, in input
/// order. `engine` is pnpm's `<platform>;<arch>;node<major>`, used only for snapshots that build
/// or depend on one that does; `None` when it could not be determined.
pub fn global_slot_paths(
    snapshots: &[SlotSnapshot],
    engine: Option<&str>,
) -> Result<Vec<String>, LinkerError> {
    let graph = HashGraph::new(snapshots);
    let digests = graph.dependency_digests();
    let engine_relevant = graph.reaching_builds(snapshots);
    snapshots
        .iter()
        .enumerate()
        .map(|(index, snapshot)| {
            // `hashObjectWithoutSorting({engine, deps}, {encoding: 'hex'})`.
            let mut payload = ObjectHashWriter::default();
            payload.object(2).key("engine");
            match engine.filter(|_| engine_relevant[index]) {
                Some(engine) => payload.string(engine),
                None => payload.null(),
            };
            payload.end_entry().key("deps").string(&digests[index]).end_entry();
            slot_path(snapshot, &payload.finish(HashEncoding::Hex))
        })
        .collect()
}

/// pnpm's `formatGlobalVirtualStorePath`, refusing a version that would climb out of the store.
fn slot_path(snapshot: &SlotSnapshot, digest: &str) -> Result<String, LinkerError> {
    if snapshot.version.split(['/', '\\']).any(|segment| segment == "..") {
        return Err(LinkerError::UnsafeSlotVersion {
            dep_path: snapshot.dep_path.to_string(),
            version: snapshot.version.clone(),
        });
    }
    let prefix = if snapshot.name.as_str().starts_with('@') { "" } else { "@/" };
    Ok(format!("{prefix}{}/{}/{digest}", snapshot.name, snapshot.version))
}

impl<'a> HashGraph<'a> {
    fn new(snapshots: &'a [SlotSnapshot]) -> Self {
        let index: HashMap<&str, usize> = snapshots
            .iter()
            .enumerate()
            .map(|(i, snapshot)| (snapshot.dep_path.as_str(), i))
            .collect();
        let mut leaves: Vec<String> = Vec::new();
        let children = snapshots
            .iter()
            .map(|snapshot| {
                let mut edges = Vec::with_capacity(snapshot.children.len());
                for (alias, child) in &snapshot.children {
                    let edge = match child {
                        SlotChild::Snapshot(dep_path) => {
                            index.get(dep_path.as_str()).map_or(Edge::Missing, |i| Edge::Node(*i))
                        }
                        SlotChild::Link(dir) => {
                            leaves.push(format!("link:{dir}"));
                            Edge::Leaf(leaves.len() - 1)
                        }
                    };
                    insert_like_object(&mut edges, alias.clone(), edge);
                }
                edges
            })
            .collect();
        let ids = snapshots.iter().map(|snapshot| snapshot.full_pkg_id.as_str()).collect();
        HashGraph { ids, children, leaves }
    }

    fn node_children(&self, node: usize) -> impl Iterator<Item = usize> + '_ {
        self.children[node].iter().filter_map(|(_, edge)| match edge {
            Edge::Node(child) => Some(*child),
            _ => None,
        })
    }

    /// pnpm's `calcDepGraphHash` for every snapshot: the strongly connected components in
    /// dependency order (Tarjan's algorithm, iterative so a deep chain cannot overflow the
    /// stack), each hashed once everything it depends on is.
    fn dependency_digests(&self) -> Vec<String> {
        let count = self.ids.len();
        let mut digests = vec![String::new(); count];
        let mut order: Vec<Option<usize>> = vec![None; count];
        let mut low = vec![0usize; count];
        let mut on_stack = vec![false; count];
        let mut stack: Vec<usize> = Vec::new();
        let mut calls: Vec<(usize, usize)> = Vec::new();
        let mut visited = 0;
        for root in 0..count {
            if order[root].is_some() {
                continue;
            }
            order[root] = Some(visited);
            low[root] = visited;
            visited += 1;
            stack.push(root);
            on_stack[root] = true;
            calls.push((root, 0));
            while let Some((node, next)) = calls.last_mut() {
                let node = *node;
                if let Some((_, edge)) = self.children[node].get(*next) {
                    *next += 1;
                    let Edge::Node(child) = *edge else { continue };
                    match order[child] {
                        None => {
                            order[child] = Some(visited);
                            low[child] = visited;
                            visited += 1;
                            stack.push(child);
                            on_stack[child] = true;
                            calls.push((child, 0));
                        }
                        Some(child_order) if on_stack[child] => {
                            low[node] = low[node].min(child_order);
                        }
                        Some(_) => {}
                    }
                    continue;
                }
                calls.pop();
                if let Some((parent, _)) = calls.last() {
                    low[*parent] = low[*parent].min(low[node]);
                }
                if Some(low[node]) != order[node] {
                    continue;
                }
                let start = stack.iter().rposition(|member| *member == node).unwrap_or(0);
                let members = stack.split_off(start);
                for member in &members {
                    on_stack[*member] = false;
                }
                self.hash_component(&members, &mut digests);
            }
        }
        digests
    }

    fn hash_component(&self, members: &[usize], digests: &mut [String]) {
        if let [node] = members
            && !self.node_children(*node).any(|child| child == *node)
        {
            let deps = self.children[*node]
                .iter()
                .map(|(alias, edge)| (alias.as_str(), self.external(edge, digests)))
                .collect();
            digests[*node] = node_digest(self.ids[*node], deps);
            return;
        }
        let position: HashMap<usize, usize> =
            members.iter().enumerate().map(|(at, member)| (*member, at)).collect();
        let internal = |member: usize, labels: &[String]| {
            let inside =
                |edge: &Edge| matches!(edge, Edge::Node(child) if position.contains_key(child));
            self.dependency_map(member, inside, |edge| match edge {
                Edge::Node(child) => labels[position[child]].clone(),
                _ => String::new(),
            })
        };
        let mut labels: Vec<String> = members
            .iter()
            .map(|member| {
                let outside =
                    |edge: &Edge| !matches!(edge, Edge::Node(child) if position.contains_key(child));
                let deps =
                    self.dependency_map(*member, outside, |edge| self.external(edge, digests));
                hash_object(&json!({ "id": self.ids[*member], "deps": deps }))
            })
            .collect();
        // Refine the labels by the labels of each member's dependencies inside the cycle until
        // that no longer splits a group: members that end alike are interchangeable.
        loop {
            let groups = distinct(&labels);
            let refined: Vec<String> = members
                .iter()
                .zip(&labels)
                .map(|(member, label)| {
                    hash_object(&json!({ "color": label, "deps": internal(*member, &labels) }))
                })
                .collect();
            if distinct(&refined) == groups {
                break;
            }
            labels = refined;
        }
        let mut shape = Map::new();
        for (member, label) in members.iter().zip(&labels) {
            shape.insert(label.clone(), internal(*member, &labels));
        }
        let component = hash_object(&Value::Object(shape));
        for (member, label) in members.iter().zip(labels) {
            digests[*member] = hash_object(&json!({ "member": label, "component": component }));
        }
    }

    /// `{alias: value}` over the dependencies `include` keeps.
    fn dependency_map(
        &self,
        node: usize,
        include: impl Fn(&Edge) -> bool,
        value: impl Fn(&Edge) -> String,
    ) -> Value {
        let map: Map<String, Value> = self.children[node]
            .iter()
            .filter(|(_, edge)| include(edge))
            .map(|(alias, edge)| (alias.to_string(), Value::String(value(edge))))
            .collect();
        Value::Object(map)
    }

    /// The digest of a dependency outside the component being hashed: already computed, a
    /// `link:` leaf, or the empty string for a snapshot the lockfile lacks.
    fn external(&self, edge: &Edge, digests: &[String]) -> String {
        match edge {
            Edge::Node(child) => digests[*child].clone(),
            Edge::Leaf(leaf) => node_digest(&self.leaves[*leaf], Vec::new()),
            Edge::Missing => String::new(),
        }
    }

    /// pnpm's `computeBuildRequiredDepPaths`: the snapshots that build and every snapshot that
    /// depends on one, at any depth, cycles included.
    fn reaching_builds(&self, snapshots: &[SlotSnapshot]) -> Vec<bool> {
        let mut reaches: Vec<bool> = snapshots.iter().map(|snapshot| snapshot.builds).collect();
        if !reaches.contains(&true) {
            return reaches;
        }
        let mut parents: Vec<Vec<usize>> = vec![Vec::new(); reaches.len()];
        for node in 0..reaches.len() {
            for child in self.node_children(node) {
                parents[child].push(node);
            }
        }
        let mut pending: Vec<usize> = (0..reaches.len()).filter(|node| reaches[*node]).collect();
        while let Some(child) = pending.pop() {
            for parent in &parents[child] {
                if !reaches[*parent] {
                    reaches[*parent] = true;
                    pending.push(*parent);
                }
            }
        }
        reaches
    }
}

/// `hashObject({id, deps})`, written without building a JSON value: most packages are hashed
/// this way, once each.
fn node_digest(id: &str, mut deps: Vec<(&str, String)>) -> String {
    deps.sort_by(|(a, _), (b, _)| a.encode_utf16().cmp(b.encode_utf16()));
    let mut writer = ObjectHashWriter::default();
    writer.object(2).key("deps").object(deps.len());
    for (alias, digest) in &deps {
        writer.key(alias).string(digest).end_entry();
    }
    writer.end_entry().key("id").string(id).end_entry();
    writer.finish(HashEncoding::Base64)
}

fn distinct(labels: &[String]) -> usize {
    labels.iter().collect::<HashSet<_>>().len()
}

#[cfg(test)]
mod tests;
