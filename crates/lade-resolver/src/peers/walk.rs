use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use indexmap::{IndexMap, IndexSet};

use super::{
    CacheItem, DepNode, NodeRef, ParentDepPath, ParentRef, ParentRefs, PeerIssue, PeersResult,
};
use crate::dep_manifest::PeerRange;
use crate::graph::{Graph, Node, NodeId, NodeKind, PackageId, Target, chain_contains_sequence};
use crate::options::ResolveSettings;
use crate::semver::SemVer;

mod hits;
mod paths;

use paths::cyclic_aliases;

/// A node whose path waits for the paths of peers resolved further up the tree.
struct PendingPath {
    node: NodeId,
    alias: String,
    known: Vec<String>,
    waiting: Vec<(String, NodeId)>,
    cache: Option<usize>,
    entry: GraphEntry,
}

/// What `addDepPathToGraph` records, kept until the path is known.
#[derive(Clone)]
struct GraphEntry {
    pkg: PackageId,
    depth: u32,
    children_refs: IndexMap<String, NodeRef>,
    transitive: IndexSet<String>,
    resolved_peer_names: IndexSet<String>,
}

struct Walk<'g> {
    graph: &'g mut Graph,
    settings: &'g ResolveSettings,
    dep_graph: IndexMap<String, DepNode>,
    paths: HashMap<NodeId, String>,
    /// What each node's path promise settled on, first value winning: a peer cycle settles a
    /// member on its bare `name@version` before the member's own path is known.
    promised: HashMap<NodeId, String>,
    paths_by_pkg: IndexMap<PackageId, IndexSet<String>>,
    cache: HashMap<PackageId, Vec<usize>>,
    cache_items: Vec<CacheItem>,
    pure: HashSet<PackageId>,
    parents_of_node: HashMap<NodeId, Rc<HashMap<String, ParentDepPath>>>,
    pending: Vec<PendingPath>,
    /// Nodes whose path is that of a cache item not known yet.
    aliases: Vec<(NodeId, usize, u32)>,
    issues: Vec<PeerIssue>,
    project: String,
}

struct NodeResult {
    resolved: IndexMap<String, NodeRef>,
    missing: IndexMap<String, PeerRange>,
}

pub(crate) fn resolve_peers(graph: &mut Graph, settings: &ResolveSettings) -> PeersResult {
    let mut walk = Walk {
        graph,
        settings,
        dep_graph: IndexMap::new(),
        paths: HashMap::new(),
        promised: HashMap::new(),
        paths_by_pkg: IndexMap::new(),
        cache: HashMap::new(),
        cache_items: Vec::new(),
        pure: HashSet::new(),
        parents_of_node: HashMap::new(),
        pending: Vec::new(),
        aliases: Vec::new(),
        issues: Vec::new(),
        project: String::new(),
    };
    let importer_count = walk.graph.importers.len();
    let root = walk.graph.importers.iter().position(|i| i.id.as_str() == ".");
    let root_refs = match root {
        Some(root) if settings.resolve_peers_from_workspace_root && importer_count > 1 => {
            walk.project_refs(root)
        }
        _ => ParentRefs::new(),
    };
    let mut direct_nodes: Vec<IndexMap<String, NodeId>> = Vec::new();
    for importer in 0..importer_count {
        walk.project = walk.graph.importers[importer].id.to_string();
        let mut refs = root_refs.clone();
        refs.extend(walk.project_refs(importer));
        refs.retain(|name, _| walk.graph.peer_names.contains(name));
        let direct = walk.direct_nodes(importer);
        let children: Vec<(String, Target)> =
            direct.iter().map(|(alias, node)| (alias.clone(), Target::Node(*node))).collect();
        walk.children(&children, &refs, &Rc::new(Vec::new()), &Rc::new(Vec::new()));
        direct_nodes.push(direct);
    }
    walk.settle_pending();
    walk.finish(direct_nodes)
}

impl Walk<'_> {
    fn direct_nodes(&self, importer: usize) -> IndexMap<String, NodeId> {
        let mut direct = IndexMap::new();
        for address in &self.graph.importers[importer].addresses {
            if let Target::Node(node) = address.target {
                direct.insert(address.alias.clone(), node);
            }
        }
        direct
    }

    /// `createPkgsByName`: a project's direct dependencies and linked workspace packages.
    fn project_refs(&self, importer: usize) -> ParentRefs {
        let direct = self.direct_nodes(importer);
        let entries: Vec<(String, NodeId)> = direct.into_iter().collect();
        let mut refs = self.refs_by_name(&entries, &Rc::new(Vec::new()));
        for address in &self.graph.importers[importer].addresses {
            let Target::Link(link) = &address.target else { continue };
            let parent = ParentRef {
                alias: address.alias.clone(),
                depth: 0,
                node: NodeRef::Link(format!("link:{}", link.dir)),
                version: link.version.clone().unwrap_or_default(),
                occurrence: 0,
                parent_nodes: Rc::new(Vec::new()),
            };
            update_parent_refs(&mut refs, &address.alias, parent);
        }
        refs
    }

    /// `toPkgByName`.
    fn refs_by_name(
        &self,
        nodes: &[(String, NodeId)],
        parent_nodes: &Rc<Vec<NodeId>>,
    ) -> ParentRefs {
        let mut refs = ParentRefs::new();
        for (alias, node) in nodes {
            let node_ref = self.graph.node(*node);
            let package = self.graph.package(node_ref.pkg);
            let parent = ParentRef {
                alias: alias.clone(),
                depth: node_ref.depth,
                node: NodeRef::Node(*node),
                version: package.version.clone(),
                occurrence: 0,
                parent_nodes: parent_nodes.clone(),
            };
            update_parent_refs(&mut refs, alias, parent.clone());
            if alias != package.name.as_str() {
                update_parent_refs(&mut refs, package.name.as_str(), parent);
            }
        }
        refs
    }

    /// A node's children, building them from the package's on first visit (`buildTree`).
    fn expand(&mut self, id: NodeId) -> Vec<(String, Target)> {
        let node = self.graph.node(id);
        let chain = match &node.kind {
            NodeKind::Leaf => return Vec::new(),
            NodeKind::Expanded { children, .. } => return children.clone(),
            NodeKind::Pending { chain } => chain.clone(),
        };
        let (pkg, depth) = (node.pkg, node.depth);
        let mut children = Vec::new();
        for (alias, target) in self.graph.package(pkg).children.clone() {
            let Target::Node(first) = target else {
                children.push((alias, target));
                continue;
            };
            let child = self.graph.node(first).pkg;
            if child == pkg || chain_contains_sequence(&chain, pkg, child) {
                continue;
            }
            let child_package = self.graph.package(child);
            if let (true, Some(leaf)) = (child_package.is_leaf, child_package.leaf_node) {
                children.push((alias, Target::Node(leaf)));
                continue;
            }
            let mut child_chain = (*chain).clone();
            child_chain.push(child);
            self.graph.nodes.push(Node {
                pkg: child,
                depth: depth + 1,
                kind: NodeKind::Pending { chain: Rc::new(child_chain) },
            });
            children.push((alias, Target::Node(NodeId((self.graph.nodes.len() - 1) as u32))));
        }
        self.graph.nodes[id.0 as usize].kind = NodeKind::Expanded { children: children.clone() };
        children
    }

    fn children(
        &mut self,
        children: &[(String, Target)],
        refs: &ParentRefs,
        parent_nodes: &Rc<Vec<NodeId>>,
        path_chain: &Rc<Vec<PackageId>>,
    ) -> NodeResult {
        let nodes_of = |repeated: bool| {
            children.iter().filter_map(move |(alias, target)| match target {
                Target::Node(node) if refs.contains_key(alias) == repeated => Some(*node),
                _ => None,
            })
        };
        let mut order: IndexSet<NodeId> = nodes_of(true).collect();
        order.extend(nodes_of(false));
        let mut alias_of: HashMap<NodeId, &str> = HashMap::new();
        for (alias, target) in children {
            if let Target::Node(node) = target {
                alias_of.insert(*node, alias);
            }
        }
        let parent_paths: HashMap<String, ParentDepPath> = refs
            .iter()
            .filter(|(name, _)| self.graph.peer_names.contains(*name))
            .map(|(name, parent)| {
                let value = match &parent.node {
                    NodeRef::Node(node) => ParentDepPath::Package {
                        pkg: self.graph.node(*node).pkg,
                        depth: parent.depth,
                        occurrence: parent.occurrence,
                    },
                    NodeRef::Link(_) => ParentDepPath::Linked { version: parent.version.clone() },
                };
                (name.clone(), value)
            })
            .collect();
        let parent_paths = Rc::new(parent_paths);
        for node in &order {
            self.parents_of_node.insert(*node, parent_paths.clone());
        }
        let mut resolved = IndexMap::new();
        let mut missing = IndexMap::new();
        let mut edges: IndexMap<String, Vec<String>> = IndexMap::new();
        let pending_before = self.pending.len();
        for node in order {
            let alias = alias_of.get(&node).copied().unwrap_or_default().to_owned();
            let result = self.node(&alias, node, refs, parent_nodes, path_chain);
            let names: Vec<String> = result.resolved.keys().cloned().collect();
            for (peer, provider) in result.resolved {
                resolved.insert(peer, provider);
            }
            edges.entry(alias.clone()).or_default().extend(names.iter().cloned());
            let name = self.graph.package(self.graph.node(node).pkg).name.to_string();
            if name != alias {
                edges.entry(name).or_default().extend(names);
            }
            missing.extend(result.missing);
        }
        if self.pending.len() > pending_before {
            let cyclic = cyclic_aliases(&edges);
            for pending in &mut self.pending[pending_before..] {
                let members = cyclic.get(&pending.alias).cloned().unwrap_or_default();
                let graph = &*self.graph;
                let promised = &mut self.promised;
                pending.waiting.retain(|(alias, node)| {
                    if members.contains(alias) {
                        let package = graph.package(graph.node(*node).pkg);
                        let id = format!("{}@{}", package.name, package.version);
                        promised.entry(*node).or_insert_with(|| id.clone());
                        pending.known.push(id);
                        false
                    } else {
                        true
                    }
                });
            }
        }
        let child_aliases: HashSet<&str> = children.iter().map(|(a, _)| a.as_str()).collect();
        resolved.retain(|alias, _| !child_aliases.contains(alias.as_str()));
        NodeResult { resolved, missing }
    }

    fn node(
        &mut self,
        alias: &str,
        id: NodeId,
        parent_refs: &ParentRefs,
        parent_nodes: &Rc<Vec<NodeId>>,
        path_chain: &Rc<Vec<PackageId>>,
    ) -> NodeResult {
        let empty = || NodeResult { resolved: IndexMap::new(), missing: IndexMap::new() };
        let (pkg, depth) = (self.graph.node(id).pkg, self.graph.node(id).depth);
        let package_id = self.graph.package(pkg).id.clone();
        let has_peers = !self.graph.package(pkg).peers.is_empty();
        if self.pure.contains(&pkg)
            && self.dep_graph.get(&package_id).is_some_and(|n| n.depth <= depth)
            && !has_peers
        {
            self.settle_path(id, package_id);
            return empty();
        }
        let children = self.expand(id);
        let mut own_nodes = (**parent_nodes).clone();
        own_nodes.push(id);
        let own_nodes = Rc::new(own_nodes);
        let refs = self.refs_below(parent_refs, &children, &own_nodes);
        if let Some(item) = self.find_hit(&refs, pkg) {
            let missing = self.cache_items[item].missing.clone();
            for (peer, range) in &missing {
                self.record_issue(peer, range, None, None, &own_nodes);
            }
            match self.cache_items[item].dep_path.clone() {
                Some(path) => self.set_path_from_hit(id, path, depth),
                None => self.aliases.push((id, item, depth)),
            }
            return NodeResult { resolved: self.cache_items[item].resolved.clone(), missing };
        }
        let chain = if path_chain.contains(&pkg) {
            path_chain.clone()
        } else {
            let mut chain = (**path_chain).clone();
            chain.push(pkg);
            Rc::new(chain)
        };
        let below = self.children(&children, &refs, &own_nodes, &chain);
        let (own_resolved, own_missing) =
            if has_peers { self.own_peers(pkg, &refs, &own_nodes) } else { Default::default() };
        let mut all_resolved = below.resolved;
        all_resolved.extend(own_resolved.clone());
        all_resolved.shift_remove(self.graph.package(pkg).name.as_str());
        let mut all_missing = below.missing.clone();
        all_missing.extend(own_missing);
        let cache = if all_resolved.is_empty() && all_missing.is_empty() {
            self.pure.insert(pkg);
            None
        } else {
            self.cache_items.push(CacheItem {
                missing: all_missing.clone(),
                resolved: all_resolved.clone(),
                dep_path: None,
            });
            let item = self.cache_items.len() - 1;
            self.cache.entry(pkg).or_default().push(item);
            Some(item)
        };
        let peers = &self.graph.package(pkg).peers;
        let transitive: IndexSet<String> = all_resolved
            .keys()
            .chain(below.missing.keys())
            .filter(|name| !peers.contains_key(*name))
            .cloned()
            .collect();
        let mut children_refs = self.previously_resolved_children(parent_nodes, path_chain, pkg);
        for (alias, target) in &children {
            let node_ref = match target {
                Target::Node(n) => NodeRef::Node(*n),
                Target::Link(link) => NodeRef::Link(format!("link:{}", link.reference)),
            };
            children_refs.insert(alias.clone(), node_ref);
        }
        children_refs.extend(own_resolved);
        let entry = GraphEntry {
            pkg,
            depth,
            children_refs,
            transitive,
            resolved_peer_names: all_resolved.keys().cloned().collect(),
        };
        self.name_path(id, alias, package_id, &all_resolved, cache, entry);
        NodeResult { resolved: all_resolved, missing: all_missing }
    }

    /// The names visible below a node: its ancestors' plus its own children that are peers of
    /// someone, a changed provider counting as a new occurrence.
    fn refs_below(
        &self,
        parent_refs: &ParentRefs,
        children: &[(String, Target)],
        own_nodes: &Rc<Vec<NodeId>>,
    ) -> ParentRefs {
        if children.is_empty() {
            return parent_refs.clone();
        }
        let mut refs = parent_refs.clone();
        let peer_children: Vec<(String, NodeId)> = children
            .iter()
            .filter(|(alias, _)| self.graph.peer_names.contains(alias))
            .filter_map(|(alias, t)| match t {
                Target::Node(n) => Some((alias.clone(), *n)),
                Target::Link(_) => None,
            })
            .collect();
        for (name, mut new_ref) in self.refs_by_name(&peer_children, own_nodes) {
            match refs.get(&name) {
                Some(existing) if !self.refs_match(existing, &new_ref) => {
                    new_ref.occurrence = existing.occurrence + 1;
                    refs.insert(name, new_ref);
                }
                Some(_) => {}
                None => {
                    refs.insert(name, new_ref);
                }
            }
        }
        refs
    }

    /// The node's dependency path: the package id with the suffix naming its resolved peers, now
    /// or once the paths of peers still being named are known.
    fn name_path(
        &mut self,
        id: NodeId,
        alias: &str,
        package_id: String,
        all_resolved: &IndexMap<String, NodeRef>,
        cache: Option<usize>,
        entry: GraphEntry,
    ) {
        let mut known = Vec::new();
        let mut waiting = Vec::new();
        for (peer_alias, provider) in all_resolved {
            match self.peer_id(peer_alias, provider) {
                Some(peer_id) => known.push(peer_id),
                None => {
                    if let NodeRef::Node(n) = provider {
                        waiting.push((peer_alias.clone(), *n));
                    }
                }
            }
        }
        if all_resolved.is_empty() {
            self.add_path(id, package_id, cache, entry);
        } else if waiting.is_empty() {
            let path = format!("{package_id}{}", self.peers_suffix(&known));
            self.add_path(id, path, cache, entry);
        } else {
            self.pending.push(PendingPath {
                node: id,
                alias: alias.to_owned(),
                known,
                waiting,
                cache,
                entry,
            });
        }
    }
}

/// `updateParentRefs`: a name keeps its first provider unless that one only had it as an alias.
fn update_parent_refs(refs: &mut ParentRefs, name: &str, parent: ParentRef) {
    if let Some(existing) = refs.get(name) {
        if existing.alias == name {
            return;
        }
        let newer_is_alias = parent.alias != name;
        let existing_is_newer = match (
            SemVer::parse(&existing.version, false),
            SemVer::parse(&parent.version, false),
        ) {
            (Some(a), Some(b)) => a >= b,
            _ => false,
        };
        if newer_is_alias && existing_is_newer {
            return;
        }
    }
    refs.insert(name.to_owned(), parent);
}
