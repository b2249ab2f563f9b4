//! Dependency paths: the suffix that names a node's resolved peers, paths that wait for their
//! peers' paths (settled in rounds, cycles named by bare `name@version`), and the graph they fill.

use std::collections::{HashMap, HashSet};

use indexmap::IndexMap;
use sha2::{Digest, Sha256};

use super::{GraphEntry, Walk};
use crate::graph::NodeId;
use crate::peers::{DepNode, NodeRef, PeersResult};

impl Walk<'_> {
    pub(super) fn set_path_from_hit(&mut self, node: NodeId, path: String, depth: u32) {
        if let Some(entry) = self.dep_graph.get_mut(&path) {
            entry.depth = entry.depth.min(depth);
        }
        self.settle_path(node, path);
    }

    /// `pathsByNodeId.set` and the resolution of the node's path promise.
    pub(super) fn settle_path(&mut self, node: NodeId, path: String) {
        self.promised.entry(node).or_insert_with(|| path.clone());
        self.paths.insert(node, path);
    }

    /// `peerNodeIdToPeerId`: how a provider is named in a peers suffix, once known.
    pub(super) fn peer_id(&self, alias: &str, provider: &NodeRef) -> Option<String> {
        match provider {
            NodeRef::Link(link) => {
                Some(format!("{alias}@{}", filenamify(link.trim_start_matches("link:"))))
            }
            NodeRef::Node(node) if self.settings.dedupe_peers => {
                let package = self.graph.package(self.graph.node(*node).pkg);
                Some(format!("{}@{}", package.name, package.version))
            }
            NodeRef::Node(node) => self.paths.get(node).cloned(),
        }
    }

    /// `createPeerDepGraphHash`.
    pub(super) fn peers_suffix(&self, peer_ids: &[String]) -> String {
        let mut ids: Vec<&str> = peer_ids.iter().map(|id| id.trim_start_matches('/')).collect();
        ids.sort_by(|a, b| a.encode_utf16().cmp(b.encode_utf16()));
        let mut joined = ids.join(")(");
        if joined.len() as u64 > self.settings.peers_suffix_max_length {
            joined = hex::encode(Sha256::digest(joined.as_bytes()))[..32].to_owned();
        }
        format!("({joined})")
    }

    /// `addDepPathToGraph`.
    pub(super) fn add_path(
        &mut self,
        node: NodeId,
        path: String,
        cache: Option<usize>,
        entry: GraphEntry,
    ) {
        if let Some(item) = cache {
            self.cache_items[item].dep_path = Some(path.clone());
        }
        self.settle_path(node, path.clone());
        self.paths_by_pkg.entry(entry.pkg).or_default().insert(path.clone());
        let replace = self.dep_graph.get(&path).is_none_or(|existing| existing.depth > entry.depth);
        if replace {
            self.dep_graph.insert(
                path,
                DepNode {
                    pkg: entry.pkg,
                    depth: entry.depth,
                    children_refs: entry.children_refs,
                    children: IndexMap::new(),
                    transitive_peers: entry.transitive,
                    resolved_peer_names: entry.resolved_peer_names,
                },
            );
        }
    }

    /// Paths that waited on other nodes' paths, settled in rounds; what still waits after a
    /// round without progress names its peers by `name@version`.
    pub(super) fn settle_pending(&mut self) {
        loop {
            let mut progressed = false;
            let mut index = 0;
            while index < self.pending.len() {
                let ready =
                    self.pending[index].waiting.iter().all(|(_, n)| self.promised.contains_key(n));
                if ready {
                    let mut pending = self.pending.swap_remove(index);
                    for (_, n) in &pending.waiting {
                        if let Some(path) = self.promised.get(n) {
                            pending.known.push(path.clone());
                        }
                    }
                    let base = self.graph.package(pending.entry.pkg).id.clone();
                    let path = format!("{base}{}", self.peers_suffix(&pending.known));
                    self.add_path(pending.node, path, pending.cache, pending.entry);
                    progressed = true;
                } else {
                    index += 1;
                }
            }
            let mut i = 0;
            while i < self.aliases.len() {
                let (node, item, depth) = self.aliases[i];
                if let Some(path) = self.cache_items[item].dep_path.clone() {
                    self.aliases.swap_remove(i);
                    self.set_path_from_hit(node, path, depth);
                    progressed = true;
                } else {
                    i += 1;
                }
            }
            if self.pending.is_empty() && self.aliases.is_empty() {
                return;
            }
            if !progressed {
                let Some(mut pending) = self.pending.pop() else { return };
                for (_, n) in std::mem::take(&mut pending.waiting) {
                    let package = self.graph.package(self.graph.node(n).pkg);
                    let id = self.promised.get(&n).cloned().unwrap_or_else(|| package.id.clone());
                    pending.known.push(id);
                }
                self.pending.push(pending);
            }
        }
    }

    pub(super) fn finish(mut self, direct_nodes: Vec<IndexMap<String, NodeId>>) -> PeersResult {
        let paths = std::mem::take(&mut self.paths);
        let resolve = |node_ref: &NodeRef| match node_ref {
            NodeRef::Node(n) => paths.get(n).cloned(),
            NodeRef::Link(link) => Some(link.clone()),
        };
        for node in self.dep_graph.values_mut() {
            node.children = node
                .children_refs
                .iter()
                .filter_map(|(a, r)| Some((a.clone(), resolve(r)?)))
                .collect();
        }
        let direct = direct_nodes
            .into_iter()
            .map(|nodes| {
                nodes.into_iter().filter_map(|(a, n)| Some((a, paths.get(&n)?.clone()))).collect()
            })
            .collect();
        let mut result = PeersResult { dep_graph: self.dep_graph, direct, issues: self.issues };
        if self.settings.dedupe_peer_dependents {
            crate::peers::dedupe::dedupe_peer_dependents(&mut result, &self.paths_by_pkg);
        }
        result
    }
}

/// For each alias on a cycle of "resolves peer" edges, the aliases of its cycles (its strongly
/// connected component).
pub(super) fn cyclic_aliases(
    edges: &IndexMap<String, Vec<String>>,
) -> HashMap<String, HashSet<String>> {
    let reach = |start: &str| {
        let mut seen: HashSet<String> = HashSet::new();
        let mut stack = vec![start.to_owned()];
        while let Some(current) = stack.pop() {
            for next in edges.get(&current).into_iter().flatten() {
                if seen.insert(next.clone()) {
                    stack.push(next.clone());
                }
            }
        }
        seen
    };
    let reachable: HashMap<&str, HashSet<String>> =
        edges.keys().map(|k| (k.as_str(), reach(k))).collect();
    let mut cyclic = HashMap::new();
    for (alias, from_alias) in &reachable {
        if !from_alias.contains(*alias) {
            continue;
        }
        let members: HashSet<String> = from_alias
            .iter()
            .filter(|other| reachable.get(other.as_str()).is_some_and(|r| r.contains(*alias)))
            .cloned()
            .collect();
        cyclic.insert((*alias).to_owned(), members);
    }
    cyclic
}

/// `filenamify(path, { replacement: '+' })` for the paths of linked peers.
fn filenamify(path: &str) -> String {
    let replaced: String = path
        .chars()
        .map(|c| {
            if matches!(c, '<' | '>' | ':' | '"' | '/' | '\\' | '|' | '?' | '*') || c < ' ' {
                '+'
            } else {
                c
            }
        })
        .collect();
    let mut collapsed = String::new();
    for c in replaced.chars() {
        if c == '+' && collapsed.ends_with('+') {
            continue;
        }
        collapsed.push(c);
    }
    collapsed.trim_matches('+').to_owned()
}
