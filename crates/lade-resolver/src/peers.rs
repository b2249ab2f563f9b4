//! Peer resolution: pnpm's `resolvePeers`. The tree is walked from each project; every node gets
//! a dependency path whose suffix names the peers it resolved, nodes that resolve the same peers
//! the same way share one, and `dedupe-peer-dependents` merges paths that differ needlessly.

mod dedupe;
mod walk;

use std::collections::HashMap;

use indexmap::{IndexMap, IndexSet};

use crate::dep_manifest::PeerRange;
use crate::graph::{NodeId, PackageId};

pub(crate) use walk::resolve_peers;

/// A peer provider as the walk sees it: a tree node, or a linked workspace directory.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) enum NodeRef {
    Node(NodeId),
    Link(String),
}

/// One `snapshots` entry in the making.
#[derive(Debug, Clone)]
pub(crate) struct DepNode {
    pub pkg: PackageId,
    pub depth: u32,
    pub children_refs: IndexMap<String, NodeRef>,
    /// Alias → dependency path (or `link:` reference), filled once every path is known.
    pub children: IndexMap<String, String>,
    pub transitive_peers: IndexSet<String>,
    pub resolved_peer_names: IndexSet<String>,
}

/// A peer dependency nobody provides, or one provided in a version outside its range, in
/// pnpm's wording.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeerIssue {
    pub project: String,
    pub peer: String,
    pub wanted_range: String,
    pub found_version: Option<String>,
    pub optional: bool,
    /// `name@version` of the packages from the project down to the one with the peer.
    pub parents: Vec<String>,
}

impl std::fmt::Display for PeerIssue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let path = self.parents.join(" > ");
        match &self.found_version {
            None => write!(f, "{path}: ✕ missing peer {}@\"{}\"", self.peer, self.wanted_range),
            Some(found) => write!(
                f,
                "{path}: ✕ unmet peer {}@\"{}\": found {found}",
                self.peer, self.wanted_range
            ),
        }
    }
}

/// The outcome of peer resolution.
#[derive(Debug, Default)]
pub(crate) struct PeersResult {
    pub dep_graph: IndexMap<String, DepNode>,
    /// Per importer: alias → dependency path.
    pub direct: Vec<IndexMap<String, String>>,
    pub issues: Vec<PeerIssue>,
}

/// What a node's ancestors make visible, by name (pnpm's `ParentRefs`).
#[derive(Clone, Debug)]
pub(crate) struct ParentRef {
    pub alias: String,
    pub depth: u32,
    pub node: NodeRef,
    pub version: String,
    pub occurrence: u32,
}

pub(crate) type ParentRefs = HashMap<String, ParentRef>;

/// `parentPkgsOfNode` entries: what a node's parents were, to compare two nodes' contexts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum ParentDepPath {
    Package { pkg: PackageId, depth: u32, occurrence: u32 },
    Linked { version: String },
}

#[derive(Debug)]
pub(crate) struct CacheItem {
    pub missing: IndexMap<String, PeerRange>,
    pub resolved: IndexMap<String, NodeRef>,
    pub dep_path: Option<String>,
}
