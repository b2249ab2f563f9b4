//! Reusing what was resolved for another node of the same package (pnpm's peers cache), and
//! the package's own peers with the issues they raise.

use std::collections::HashMap;
use std::rc::Rc;

use indexmap::IndexMap;

use super::Walk;
use crate::dep_manifest::PeerRange;
use crate::graph::{NodeId, PackageId, Target};
use crate::peers::{NodeRef, PackageRef, ParentDepPath, ParentRef, ParentRefs, PeerIssue};
use crate::semver::{Range, SemVer};

impl Walk<'_> {
    /// `parentPkgsMatch`.
    pub(super) fn refs_match(&self, current: &ParentRef, new: &ParentRef) -> bool {
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
    pub(super) fn find_hit(&self, refs: &ParentRefs, pkg: PackageId) -> Option<usize> {
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
    pub(super) fn parents_match(&self, cached: NodeId, checked: NodeId) -> bool {
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
    pub(super) fn own_peers(
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

    pub(super) fn record_issue(
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

    /// `getPreviouslyResolvedChildren`: in a cycle, the children of the ancestors that are the
    /// same package, so the edges cut to end the cycle are not lost.
    pub(super) fn previously_resolved_children(
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
}
