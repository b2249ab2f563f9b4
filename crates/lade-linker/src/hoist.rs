//! Which packages are linked, besides the importers' own dependencies, into
//! `node_modules/.pnpm/node_modules` (private hoisting, `hoist-pattern`) and into the root
//! `node_modules` (public hoisting, `public-hoist-pattern`), following pnpm 10's
//! pkg-manager/hoist/src/index.ts (`getHoistedDependencies`, `hoistGraph`, `graphWalker`).

use std::cmp::Ordering;
use std::collections::HashSet;

use indexmap::IndexMap;
use lade_types::PkgName;

use crate::graph::{DepGraph, DirectTarget, Importer, NodeId, WorkspacePackage};
use crate::hoist_pattern::HoistPattern;
use crate::js_compat::{sort_like_object_keys, utf16_cmp};
use crate::modules_yaml::{HoistKind, HoistedDependencies};

/// The two patterns. pnpm 10 defaults: `hoist-pattern=["*"]`, `public-hoist-pattern=[]`
/// (`shamefully-hoist=true` makes the public one `["*"]`).
#[derive(Clone, Debug)]
pub struct HoistPatterns {
    pub private: HoistPattern,
    pub public: HoistPattern,
}

impl Default for HoistPatterns {
    fn default() -> Self {
        HoistPatterns { private: HoistPattern::hoist_everything(), public: HoistPattern::default() }
    }
}

/// What a hoisted alias points at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HoistTarget {
    Node(NodeId),
    /// Index into the `workspace_packages` given to [`hoist`].
    Workspace(usize),
}

/// One symlink to create: `<private or public hoist dir>/<alias>` → the target's directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HoistedLink {
    pub alias: PkgName,
    pub target: HoistTarget,
    pub kind: HoistKind,
}

#[derive(Clone, Debug, Default)]
pub struct Hoisting {
    pub links: Vec<HoistedLink>,
    /// The `hoistedDependencies` record of `.modules.yaml`, in pnpm's insertion order.
    pub hoisted_dependencies: HoistedDependencies,
    /// Privately hoisted aliases of packages with `hasBin`, whose commands go to
    /// `node_modules/.pnpm/node_modules/.bin`.
    pub private_aliases_with_bins: Vec<PkgName>,
}

/// Computes the hoisting of `graph`. `importers` must be in pnpm's order (the root project first,
/// then the workspace projects sorted by directory); `workspace_packages` are the named
/// non-root projects when `hoist-workspace-packages` is on (pnpm 10's default), else empty.
///
/// Candidates are visited level by level — the importers' direct dependencies as one pseudo
/// parent, then the packages by depth and, within a depth, by slot directory path — and each
/// child alias goes to the first parent that offers it. An alias of the root project is never
/// hoisted over, and a workspace package does not claim its name.
pub fn hoist(
    graph: &DepGraph,
    importers: &[Importer],
    workspace_packages: &[WorkspacePackage],
    patterns: &HoistPatterns,
) -> Hoisting {
    if graph.is_empty() {
        return Hoisting::default();
    }
    let direct: Vec<(&PkgName, NodeId)> = importers
        .iter()
        .flat_map(|importer| importer.direct_deps.iter())
        .filter_map(|(alias, target)| match target {
            DirectTarget::Node(id) => Some((alias, *id)),
            DirectTarget::Link(_) => None,
        })
        .collect();
    let root_children = pseudo_root_children(&direct, workspace_packages);
    let ordered = nodes_by_depth(graph, direct.iter().map(|(_, id)| *id));

    let mut state = HoistState::new(importers);
    for (alias, target) in &root_children {
        state.offer(graph, alias, *target, patterns);
    }
    for id in ordered {
        for (alias, child) in &graph.node(id).children {
            state.offer(graph, alias, HoistTarget::Node(*child), patterns);
        }
    }
    state.finish()
}

/// The children of pnpm's depth −1 node: workspace packages by name, then every importer's direct
/// dependencies, the first importer winning an alias.
fn pseudo_root_children(
    direct: &[(&PkgName, NodeId)],
    workspace: &[WorkspacePackage],
) -> Vec<(PkgName, HoistTarget)> {
    let mut children: IndexMap<&PkgName, HoistTarget> = IndexMap::new();
    for (index, package) in workspace.iter().enumerate() {
        children.insert(&package.name, HoistTarget::Workspace(index));
    }
    let mut first_by_alias: IndexMap<&PkgName, NodeId> = IndexMap::new();
    for (alias, id) in direct {
        first_by_alias.entry(alias).or_insert(*id);
    }
    for (alias, id) in first_by_alias {
        children.insert(alias, HoistTarget::Node(id));
    }
    let mut children: Vec<(PkgName, HoistTarget)> =
        children.into_iter().map(|(alias, target)| (alias.clone(), target)).collect();
    sort_like_object_keys(&mut children, |(alias, _)| alias.as_str());
    children
}

/// Every node reachable from `start`, sorted by depth, then by its directory path. Depths are
/// those of pnpm's `graphWalker`: each level's next steps are all claimed before the walk
/// descends, depth-first, into the first of them — so this is not a plain breadth-first search.
fn nodes_by_depth(graph: &DepGraph, start: impl Iterator<Item = NodeId>) -> Vec<NodeId> {
    let mut visited = vec![false; graph.len()];
    let mut claim = |ids: &mut dyn Iterator<Item = NodeId>| -> Vec<NodeId> {
        ids.filter(|id| !std::mem::replace(&mut visited[id.index()], true)).collect()
    };
    let first = claim(&mut start.into_iter());
    let mut with_depth: Vec<(u32, NodeId)> = Vec::with_capacity(graph.len());
    let mut pending: Vec<(u32, Vec<NodeId>)> = vec![(0, first)];
    while let Some((depth, step)) = pending.pop() {
        with_depth.extend(step.iter().map(|id| (depth, *id)));
        let next: Vec<Vec<NodeId>> = step
            .iter()
            .map(|id| claim(&mut graph.node(*id).children.iter().map(|(_, child)| *child)))
            .collect();
        pending.extend(next.into_iter().rev().map(|ids| (depth + 1, ids)));
    }
    let keys: Vec<String> = graph
        .nodes()
        .map(|(_, node)| format!("{}/node_modules/{}", node.virtual_store_name, node.name))
        .collect();
    with_depth.sort_by(|(da, a), (db, b)| match da.cmp(db) {
        Ordering::Equal => utf16_cmp(&keys[a.index()], &keys[b.index()]),
        other => other,
    });
    with_depth.into_iter().map(|(_, id)| id).collect()
}

struct HoistState {
    claimed: HashSet<String>,
    result: Hoisting,
    bins_seen: HashSet<PkgName>,
}

impl HoistState {
    fn new(importers: &[Importer]) -> Self {
        // Seeded with the root's aliases as written, while offers compare lowercased aliases.
        let claimed = importers
            .iter()
            .filter(|importer| importer.id.is_root())
            .flat_map(|importer| {
                importer.direct_deps.iter().map(|(alias, _)| alias.as_str().to_owned())
            })
            .collect();
        HoistState { claimed, result: Hoisting::default(), bins_seen: HashSet::new() }
    }

    fn offer(
        &mut self,
        graph: &DepGraph,
        alias: &PkgName,
        target: HoistTarget,
        patterns: &HoistPatterns,
    ) {
        let kind = if patterns.public.matches(alias.as_str()) {
            HoistKind::Public
        } else if patterns.private.matches(alias.as_str()) {
            HoistKind::Private
        } else {
            return;
        };
        let normalized = alias.as_str().to_lowercase();
        if self.claimed.contains(&normalized) {
            return;
        }
        self.result.links.push(HoistedLink { alias: alias.clone(), target, kind });
        let HoistTarget::Node(id) = target else { return };
        let node = graph.node(id);
        if node.has_bin && kind == HoistKind::Private && self.bins_seen.insert(alias.clone()) {
            self.result.private_aliases_with_bins.push(alias.clone());
        }
        self.claimed.insert(normalized);
        self.result.hoisted_dependencies.insert(&node.dep_path, alias, kind);
    }

    /// A workspace package and a package under the same alias in the same directory: pnpm links
    /// both and the workspace package ends up there, since links outside the virtual store win.
    fn finish(mut self) -> Hoisting {
        let workspace_held: HashSet<(PkgName, HoistKind)> = self
            .result
            .links
            .iter()
            .filter(|link| matches!(link.target, HoistTarget::Workspace(_)))
            .map(|link| (link.alias.clone(), link.kind))
            .collect();
        self.result.links.retain(|link| {
            matches!(link.target, HoistTarget::Workspace(_))
                || !workspace_held.contains(&(link.alias.clone(), link.kind))
        });
        self.result
    }
}

#[cfg(test)]
mod tests;
