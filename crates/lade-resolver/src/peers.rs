//! Peer resolution: pnpm's `resolvePeers`. The tree is walked from each project; every node gets
//! a dependency path whose suffix names the peers it resolved, nodes that resolve the same peers
//! the same way share one, and `dedupe-peer-dependents` merges paths that differ needlessly.

pub(crate) mod dedupe;
mod issues;
mod walk;

use std::collections::HashMap;
use std::rc::Rc;

use indexmap::{IndexMap, IndexSet};

use crate::dep_manifest::PeerRange;
use crate::graph::{NodeId, PackageId};

pub use issues::{PackageRef, PeerIssue, render_peer_issues};
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
    /// The nodes above the provider, to say where an unmet peer was found.
    pub parent_nodes: Rc<Vec<NodeId>>,
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
