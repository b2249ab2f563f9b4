//! The resolved dependency graph: packages (one per `name@version`) and the tree nodes pnpm
//! walks to resolve peers (one per place a package appears, shared for leaf packages).

mod build;
mod dependency;
mod fetch;
mod links;
mod missing_peers;
mod publish_policy;

use std::rc::Rc;

use indexmap::IndexMap;
use lade_types::PkgName;

use crate::dep_manifest::{DepManifest, PeerRange};
use crate::locked::LockedPath;

pub(crate) use build::{Graph, build_graph};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct PackageId(pub u32);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct NodeId(pub u32);

/// What the lockfile records about a registry package, besides its dependencies.
#[derive(Clone, Debug, Default)]
pub(crate) struct PackageFacts {
    pub integrity: Option<String>,
    pub tarball: Option<String>,
    pub engines: IndexMap<String, String>,
    pub cpu: Vec<String>,
    pub os: Vec<String>,
    pub libc: Vec<String>,
    pub deprecated: Option<String>,
    /// The packument's `time` entry for the version (full documents only).
    pub published_at: Option<String>,
    pub has_bin: bool,
    /// `bundledDependencies`: `Some(None)` for `true`, else the names.
    pub bundled: Option<Option<Vec<String>>>,
}

#[derive(Debug)]
pub(crate) struct Package {
    /// `name@version`.
    pub id: String,
    pub name: PkgName,
    pub version: String,
    pub manifest: DepManifest,
    /// Peers the package does not satisfy itself.
    pub peers: IndexMap<String, PeerRange>,
    pub facts: PackageFacts,
    pub is_leaf: bool,
    /// The children found where the package was first resolved.
    pub children: Vec<(String, Target)>,
    pub first_depth: u32,
    pub leaf_node: Option<NodeId>,
    /// The node where the package was first resolved.
    pub first_node: Option<NodeId>,
    /// The subtree's missing peers, once computed for the first resolution.
    pub missing_peers_of_children: Option<Rc<PeerRequests>>,
}

/// A dependency edge's target: a tree node, or a symlinked directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Target {
    Node(NodeId),
    Link(LinkTarget),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct LinkTarget {
    /// Relative to the lockfile's directory.
    pub dir: String,
    /// Relative to the directory of the project that declares it.
    pub reference: String,
    pub version: Option<String>,
}

#[derive(Debug)]
pub(crate) struct Node {
    pub pkg: PackageId,
    pub depth: u32,
    pub kind: NodeKind,
}

#[derive(Debug)]
pub(crate) enum NodeKind {
    Leaf,
    /// Children known (where the package was first resolved, or already expanded).
    Expanded {
        children: Vec<(String, Target)>,
    },
    /// Children built on demand from the package's, skipping edges the chain already took.
    Pending {
        chain: Rc<Vec<PackageId>>,
    },
}

/// Missing peers by name: the ranges asked for, and whether every asker marked it optional.
pub(crate) type PeerRequests = IndexMap<String, MergedPeer>;

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct MergedPeer {
    pub range: String,
    pub optional: bool,
}

/// A resolved dependency as its parent sees it (pnpm's `PkgAddress`).
#[derive(Clone, Debug)]
pub(crate) struct Address {
    pub alias: String,
    pub target: Target,
    pub pkg: Option<PackageId>,
    pub is_new: bool,
    /// A later occurrence that reports the missing peers of the first one's subtree.
    pub reports_children_peers: bool,
    pub normalized_specifier: Option<String>,
    /// The locked snapshot this package was kept at, whose dependencies stay locked too.
    pub locked: Option<LockedPath>,
}

/// `a` then later `b` on the chain: the edge `a → b` was already taken.
pub(crate) fn chain_contains_sequence(chain: &[PackageId], a: PackageId, b: PackageId) -> bool {
    let Some(first_a) = chain.iter().position(|p| *p == a) else { return false };
    if first_a + 1 == chain.len() {
        return false;
    }
    let Some(last_b) = chain.iter().rposition(|p| *p == b) else { return false };
    first_a < last_b && last_b + 1 != chain.len()
}
