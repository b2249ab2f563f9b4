use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use indexmap::{IndexMap, IndexSet};
use sha2::{Digest, Sha256};

use super::{
    CacheItem, DepNode, NodeRef, PackageRef, ParentDepPath, ParentRef, ParentRefs, PeerIssue,
    PeersResult,
};
use crate::dep_manifest::PeerRange;
use crate::graph::{Graph, Node, NodeId, NodeKind, PackageId, Target, chain_contains_sequence};
use crate::options::ResolveSettings;
use crate::semver::{Range, SemVer};

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
        let refs = if children.is_empty() {
            parent_refs.clone()
        } else {
            let mut refs = parent_refs.clone();
            let peer_children: Vec<(String, NodeId)> = children
                .iter()
                .filter(|(alias, _)| self.graph.peer_names.contains(alias))
                .filter_map(|(alias, t)| match t {
                    Target::Node(n) => Some((alias.clone(), *n)),
                    Target::Link(_) => None,
                })
                .collect();
            for (name, mut new_ref) in self.refs_by_name(&peer_children, &own_nodes) {
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
        };
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
        let mut known = Vec::new();
        let mut waiting = Vec::new();
        for (peer_alias, provider) in &all_resolved {
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
        NodeResult { resolved: all_resolved, missing: all_missing }
    }
}

impl Walk<'_> {
    /// `parentPkgsMatch`.
    fn refs_match(&self, current: &ParentRef, new: &ParentRef) -> bool {
        if current.version != new.version || current.alias != new.alias {
            return false;
        }
        match (&current.node, &new.node) {
            (NodeRef::Node(a), NodeRef::Node(b)) => {
                let name = |n: NodeId| &self.graph.package(self.graph.node(n).pkg).name;
                name(*a) == name(*b)
            }
            _ => true,
        }
    }

    /// `findHit`: an earlier node of the same package whose peers resolve the same way here.
    fn find_hit(&self, refs: &ParentRefs, pkg: PackageId) -> Option<usize> {
        let items = self.cache.get(&pkg)?;
        items.iter().copied().find(|&item| {
            let item_ref = &self.cache_items[item];
            let resolved_match = item_ref.resolved.iter().all(|(name, cached)| {
                let Some(parent) = refs.get(name) else { return false };
                if &parent.node == cached {
                    return true;
                }
                let (NodeRef::Node(parent_node), NodeRef::Node(cached_node)) =
                    (&parent.node, cached)
                else {
                    return false;
                };
                if let (Some(a), Some(b)) =
                    (self.paths.get(cached_node), self.paths.get(parent_node))
                    && a == b
                {
                    return true;
                }
                let parent_pkg = self.graph.node(*parent_node).pkg;
                if parent_pkg != self.graph.node(*cached_node).pkg {
                    return false;
                }
                self.pure.contains(&parent_pkg) || self.parents_match(*cached_node, *parent_node)
            });
            resolved_match && item_ref.missing.keys().all(|peer| !refs.contains_key(peer))
        })
    }

    /// `parentPackagesMatch`.
    fn parents_match(&self, cached: NodeId, checked: NodeId) -> bool {
        let (Some(cached), Some(checked)) =
            (self.parents_of_node.get(&cached), self.parents_of_node.get(&checked))
        else {
            return false;
        };
        if cached.len() != checked.len() {
            return false;
        }
        let depth_of = |p: &ParentDepPath| match p {
            ParentDepPath::Package { depth, .. } => *depth,
            ParentDepPath::Linked { .. } => 0,
        };
        let single = |m: &HashMap<String, ParentDepPath>| {
            m.values()
                .all(|p| !matches!(p, ParentDepPath::Package { occurrence, .. } if *occurrence > 0))
        };
        let max_depth = checked.values().map(depth_of).max().unwrap_or(0);
        let not_shadowed = single(cached) && single(checked);
        cached.iter().all(|(name, value)| {
            let Some(other) = checked.get(name) else { return false };
            match (value, other) {
                (ParentDepPath::Linked { version: a }, ParentDepPath::Linked { version: b }) => {
                    a == b
                }
                (
                    ParentDepPath::Package { pkg: a, .. },
                    ParentDepPath::Package { pkg: b, depth, .. },
                ) => a == b && (not_shadowed || *depth == max_depth || self.pure.contains(a)),
                _ => false,
            }
        })
    }

    /// `_resolvePeers`: the package's own peers, found among its ancestors' visible names.
    fn own_peers(
        &mut self,
        pkg: PackageId,
        refs: &ParentRefs,
        own_nodes: &Rc<Vec<NodeId>>,
    ) -> (IndexMap<String, NodeRef>, IndexMap<String, PeerRange>) {
        let mut resolved = IndexMap::new();
        let mut missing = IndexMap::new();
        for (peer, range) in self.graph.package(pkg).peers.clone() {
            let wanted = range.range.trim_start_matches("workspace:").to_owned();
            let Some(provider) = refs.get(&peer) else {
                let stripped = PeerRange { range: wanted, optional: range.optional };
                self.record_issue(&peer, &stripped, None, None, own_nodes);
                missing.insert(peer, range);
                continue;
            };
            let satisfied = Range::parse(&wanted, true, true)
                .zip(SemVer::parse(&provider.version, true))
                .is_some_and(|(r, v)| r.test(&v));
            if !satisfied {
                let found = Some(provider.version.clone());
                let found_in = provider
                    .parent_nodes
                    .last()
                    .map(|node| self.graph.package(self.graph.node(*node).pkg).name.to_string());
                self.record_issue(
                    &peer,
                    &PeerRange { range: wanted, optional: range.optional },
                    found,
                    found_in,
                    own_nodes,
                );
            }
            resolved.insert(peer, provider.node.clone());
        }
        (resolved, missing)
    }

    fn record_issue(
        &mut self,
        peer: &str,
        range: &PeerRange,
        found: Option<String>,
        found_in: Option<String>,
        nodes: &[NodeId],
    ) {
        let parents = nodes
            .iter()
            .map(|n| {
                let package = self.graph.package(self.graph.node(*n).pkg);
                PackageRef { name: package.name.to_string(), version: package.version.clone() }
            })
            .collect();
        self.issues.push(PeerIssue {
            project: self.project.clone(),
            peer: peer.to_owned(),
            wanted_range: range.range.clone(),
            found_version: found,
            found_in,
            optional: range.optional,
            parents,
        });
    }

    fn set_path_from_hit(&mut self, node: NodeId, path: String, depth: u32) {
        if let Some(entry) = self.dep_graph.get_mut(&path) {
            entry.depth = entry.depth.min(depth);
        }
        self.settle_path(node, path);
    }

    /// `pathsByNodeId.set` and the resolution of the node's path promise.
    fn settle_path(&mut self, node: NodeId, path: String) {
        self.promised.entry(node).or_insert_with(|| path.clone());
        self.paths.insert(node, path);
    }

    /// `getPreviouslyResolvedChildren`: in a cycle, the children of the ancestors that are the
    /// same package, so the edges cut to end the cycle are not lost.
    fn previously_resolved_children(
        &mut self,
        parent_nodes: &[NodeId],
        path_chain: &[PackageId],
        pkg: PackageId,
    ) -> IndexMap<String, NodeRef> {
        let mut all = IndexMap::new();
        if !path_chain.contains(&pkg) {
            return all;
        }
        for &ancestor in parent_nodes.iter().rev() {
            if self.graph.node(ancestor).pkg != pkg {
                continue;
            }
            for (alias, target) in self.expand(ancestor) {
                let node_ref = match target {
                    Target::Node(n) => NodeRef::Node(n),
                    Target::Link(link) => NodeRef::Link(format!("link:{}", link.reference)),
                };
                all.insert(alias, node_ref);
            }
        }
        all
    }

    /// `peerNodeIdToPeerId`: how a provider is named in a peers suffix, once known.
    fn peer_id(&self, alias: &str, provider: &NodeRef) -> Option<String> {
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
    fn peers_suffix(&self, peer_ids: &[String]) -> String {
        let mut ids: Vec<&str> = peer_ids.iter().map(|id| id.trim_start_matches('/')).collect();
        ids.sort_by(|a, b| a.encode_utf16().cmp(b.encode_utf16()));
        let mut joined = ids.join(")(");
        if joined.len() as u64 > self.settings.peers_suffix_max_length {
            joined = hex::encode(Sha256::digest(joined.as_bytes()))[..32].to_owned();
        }
        format!("({joined})")
    }

    /// `addDepPathToGraph`.
    fn add_path(&mut self, node: NodeId, path: String, cache: Option<usize>, entry: GraphEntry) {
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
    fn settle_pending(&mut self) {
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

    fn finish(mut self, direct_nodes: Vec<IndexMap<String, NodeId>>) -> PeersResult {
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
            super::dedupe::dedupe_peer_dependents(&mut result, &self.paths_by_pkg);
        }
        result
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

/// For each alias on a cycle of "resolves peer" edges, the aliases of its cycles (its strongly
/// connected component).
fn cyclic_aliases(edges: &IndexMap<String, Vec<String>>) -> HashMap<String, HashSet<String>> {
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
