//! The dependency graph the linker lays out: one node per virtual store slot (a lockfile snapshot
//! that is installed on this platform), addressed by compact ids, plus each importer's direct
//! dependencies.

use std::path::PathBuf;

use lade_types::{DepPath, PkgName};

use crate::js_compat::is_array_index;
use crate::virtual_store_name::virtual_store_name;

/// Index of a node in its [`DepGraph`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId(u32);

impl NodeId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// One installed package: the slot `node_modules/.pnpm/<virtual_store_name>/node_modules/<name>`.
#[derive(Clone, Debug)]
pub struct Node {
    pub name: PkgName,
    pub dep_path: DepPath,
    pub virtual_store_name: String,
    /// The lockfile's `hasBin: true`.
    pub has_bin: bool,
    /// In the order pnpm enumerates them; see [`DepGraph::add_child`].
    pub children: Vec<(PkgName, NodeId)>,
    /// Some dependency of the snapshot is not a node (a `link:` or a skipped optional one), which
    /// makes pnpm fill this package's `.bin` from a listing of its slot.
    pub has_children_outside_graph: bool,
    /// The lockfile lists `bundledDependencies`; their commands join the package's `.bin`.
    pub has_bundled_dependencies: bool,
    /// With the global virtual store on: the slot's path below the store's `links` directory
    /// (see [`crate::global_slot_paths`]).
    pub global_slot: Option<String>,
}

#[derive(Clone, Debug)]
pub struct DepGraph {
    nodes: Vec<Node>,
    max_length: usize,
}

impl DepGraph {
    /// `max_length` is `virtual-store-dir-max-length`, which names the slots.
    pub fn new(max_length: usize) -> Self {
        DepGraph { nodes: Vec::new(), max_length }
    }

    pub fn add_node(&mut self, name: PkgName, dep_path: DepPath, has_bin: bool) -> NodeId {
        let id = NodeId(u32::try_from(self.nodes.len()).unwrap_or(u32::MAX));
        let virtual_store_name = virtual_store_name(dep_path.as_str(), self.max_length);
        self.nodes.push(Node {
            name,
            dep_path,
            virtual_store_name,
            has_bin,
            children: Vec::new(),
            has_children_outside_graph: false,
            has_bundled_dependencies: false,
            global_slot: None,
        });
        id
    }

    /// Adds a child in the order of the snapshot's `dependencies` then `optionalDependencies`.
    /// Like the JavaScript object pnpm builds from them, a repeated alias keeps its first position
    /// and array-index aliases (`"123"`) move to the front.
    pub fn add_child(&mut self, parent: NodeId, alias: PkgName, child: NodeId) {
        insert_like_object(&mut self.nodes[parent.index()].children, alias, child);
    }

    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id.index()]
    }

    pub fn node_mut(&mut self, id: NodeId) -> &mut Node {
        &mut self.nodes[id.index()]
    }

    pub fn nodes(&self) -> impl ExactSizeIterator<Item = (NodeId, &Node)> {
        self.nodes.iter().enumerate().map(|(i, node)| (NodeId(i as u32), node))
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    pub fn max_length(&self) -> usize {
        self.max_length
    }
}

/// A lockfile importer id: `.` for the root project, else its directory relative to the lockfile.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ImporterId(String);

impl ImporterId {
    pub fn root() -> Self {
        ImporterId(".".to_owned())
    }

    pub fn new(id: impl Into<String>) -> Self {
        ImporterId(id.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_root(&self) -> bool {
        self.0 == "."
    }
}

/// Where a direct dependency points.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DirectTarget {
    Node(NodeId),
    /// A `link:` dependency; the path is the lockfile's, relative to the importer's directory.
    Link(PathBuf),
}

/// A project of the lockfile with its direct dependencies.
#[derive(Clone, Debug)]
pub struct Importer {
    pub id: ImporterId,
    /// In pnpm's order: `devDependencies`, then `dependencies`, then `optionalDependencies`;
    /// see [`Importer::add_direct`].
    pub direct_deps: Vec<(PkgName, DirectTarget)>,
}

impl Importer {
    pub fn new(id: ImporterId) -> Self {
        Importer { id, direct_deps: Vec::new() }
    }

    /// Adds a direct dependency with the same ordering rules as [`DepGraph::add_child`]. Skipped
    /// optional dependencies must not be added.
    pub fn add_direct(&mut self, alias: PkgName, target: DirectTarget) {
        insert_like_object(&mut self.direct_deps, alias, target);
    }
}

/// A workspace project that `hoist-workspace-packages` links into the hoisting directory by name.
#[derive(Clone, Debug)]
pub struct WorkspacePackage {
    pub importer: ImporterId,
    pub name: PkgName,
    pub dir: PathBuf,
}

pub(crate) fn insert_like_object<T>(entries: &mut Vec<(PkgName, T)>, alias: PkgName, value: T) {
    if let Some(entry) = entries.iter_mut().find(|(existing, _)| *existing == alias) {
        entry.1 = value;
        return;
    }
    if !is_array_index(alias.as_str()) {
        entries.push((alias, value));
        return;
    }
    let position = entries
        .iter()
        .position(|(existing, _)| {
            !is_array_index(existing.as_str())
                || (existing.as_str().len(), existing.as_str())
                    > (alias.as_str().len(), alias.as_str())
        })
        .unwrap_or(entries.len());
    entries.insert(position, (alias, value));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(text: &str) -> PkgName {
        PkgName::parse(text).unwrap()
    }

    #[test]
    fn children_keep_javascript_object_order() {
        let mut graph = DepGraph::new(120);
        let parent = graph.add_node(name("p"), DepPath::parse("p@1.0.0").unwrap(), false);
        let a = graph.add_node(name("a"), DepPath::parse("a@1.0.0").unwrap(), false);
        let b = graph.add_node(name("b"), DepPath::parse("b@1.0.0").unwrap(), false);
        graph.add_child(parent, name("z"), a);
        graph.add_child(parent, name("10"), a);
        graph.add_child(parent, name("y"), a);
        graph.add_child(parent, name("9"), a);
        graph.add_child(parent, name("z"), b);
        let children: Vec<(&str, NodeId)> =
            graph.node(parent).children.iter().map(|(alias, id)| (alias.as_str(), *id)).collect();
        assert_eq!(children, [("9", a), ("10", a), ("z", b), ("y", a)]);
        assert_eq!(graph.node(a).virtual_store_name, "a@1.0.0");
    }
}
