//! Which packages feed which `.bin` directory in pnpm 10's isolated layout
//! (pkg-manager/headless `linkAllBins`, `linkBinsOfImporter`; pkg-manager/hoist `linkAllBins`):
//!
//! * `<importer>/node_modules/.bin`: the importer's direct dependencies, `link:` ones included;
//!   for the root project with a non-empty `public-hoist-pattern`, every package in the root
//!   `node_modules`, its own dependencies' commands preferred;
//! * `node_modules/.pnpm/node_modules/.bin`: the privately hoisted packages with `hasBin`;
//! * `node_modules/.pnpm/<slot>/node_modules/<name>/node_modules/.bin`: the package's dependencies
//!   with `hasBin`, then its bundled dependencies.

use std::path::PathBuf;

use crate::graph::{DepGraph, DirectTarget, Importer, NodeId};
use crate::hoist::{HoistTarget, Hoisting};
use crate::layout::Layout;
use crate::modules_yaml::HoistKind;
use crate::symlink::normalize;

/// A package whose manifest declares commands for a `.bin`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BinSource {
    /// The package directory as the `.bin` sees it; shims point below it.
    pub location: PathBuf,
    /// The package's physical directory.
    pub real_location: PathBuf,
    /// The graph node, when the package is one (not a `link:` project).
    pub node: Option<NodeId>,
    /// A dependency of the importer itself, for [`BinsSources::PreferringDirect`].
    pub is_direct: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BinsSources {
    /// These packages, in this order.
    Packages(Vec<BinSource>),
    /// These packages, with [`crate::bins::prefer_direct_commands`] applied first.
    PreferringDirect(Vec<BinSource>),
    /// Every package found in this `node_modules` (see [`crate::bins::list_modules_dir`]), whose
    /// physical directories the caller resolves.
    ModulesDir(PathBuf),
}

/// One batch of commands for one `.bin`. A directory may get two batches (a package's
/// dependencies, then its bundled dependencies); the later one wins a shared name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BinsDirPlan {
    pub bins_dir: PathBuf,
    pub sources: BinsSources,
}

/// Options that change where commands come from.
#[derive(Clone, Copy, Debug, Default)]
pub struct BinsPlanOptions {
    /// `public-hoist-pattern` is a non-empty list.
    pub public_hoisting: bool,
    /// `dedupe-direct-deps`: a workspace project skips dependencies the root project links to the
    /// same directory.
    pub dedupe_direct_deps: bool,
}

/// Every `.bin` batch of an install, importers first, then the private hoisting directory, then
/// the packages.
pub fn plan_bins(
    graph: &DepGraph,
    importers: &[Importer],
    hoisting: &Hoisting,
    layout: &Layout,
    options: BinsPlanOptions,
) -> Vec<BinsDirPlan> {
    let mut plans = Vec::new();
    let root = importers.iter().find(|importer| importer.id.is_root());
    for importer in importers {
        let bins_dir = layout.importer_modules_dir(&importer.id).join(".bin");
        let sources = if importer.id.is_root() && options.public_hoisting {
            BinsSources::PreferringDirect(root_modules_sources(graph, importer, hoisting, layout))
        } else {
            let dedupe_against =
                root.filter(|_| options.dedupe_direct_deps && !importer.id.is_root());
            BinsSources::Packages(direct_sources(graph, importer, dedupe_against, layout))
        };
        plans.push(BinsDirPlan { bins_dir, sources });
    }
    let hoisted = private_hoisted_sources(graph, hoisting, layout);
    if !hoisted.is_empty() {
        let bins_dir = layout.private_hoist_dir().join(".bin");
        plans.push(BinsDirPlan { bins_dir, sources: BinsSources::Packages(hoisted) });
    }
    // A slot of the global virtual store is shared: its `.bin` is written once, with the slot.
    if layout.global_virtual_store_dir().is_none() {
        for (id, _) in graph.nodes() {
            plans.extend(plan_slot_bins(graph, id, layout));
        }
    }
    plans
}

/// The `.bin` batches of one package's own `node_modules`: its dependencies with `hasBin`, then
/// its bundled dependencies.
pub fn plan_slot_bins(graph: &DepGraph, id: NodeId, layout: &Layout) -> Vec<BinsDirPlan> {
    let node = graph.node(id);
    let package_dir = layout.package_dir(node);
    let bins_dir = package_dir.join("node_modules/.bin");
    let sources: Vec<BinSource> = node
        .children
        .iter()
        .filter(|(_, child)| node.has_children_outside_graph || graph.node(*child).has_bin)
        .map(|(alias, child)| {
            let real_location = layout.package_dir(graph.node(*child));
            // pnpm lists the slot when a dependency is missing from the graph, so it sees the
            // dependencies through their symlinks.
            let location = if node.has_children_outside_graph {
                layout.slot_modules_dir(node).join(alias.as_str())
            } else {
                real_location.clone()
            };
            BinSource { location, real_location, node: Some(*child), is_direct: false }
        })
        .collect();
    let mut plans = Vec::new();
    if !sources.is_empty() {
        plans.push(BinsDirPlan {
            bins_dir: bins_dir.clone(),
            sources: BinsSources::Packages(sources),
        });
    }
    if node.has_bundled_dependencies {
        plans.push(BinsDirPlan {
            bins_dir,
            sources: BinsSources::ModulesDir(package_dir.join("node_modules")),
        });
    }
    plans
}

fn direct_sources(
    graph: &DepGraph,
    importer: &Importer,
    dedupe_against: Option<&Importer>,
    layout: &Layout,
) -> Vec<BinSource> {
    let importer_dir = layout.importer_dir(&importer.id);
    let root_dir = layout.lockfile_dir().to_path_buf();
    let location_of = |base: &PathBuf, target: &DirectTarget| match target {
        DirectTarget::Node(id) => layout.package_dir(graph.node(*id)),
        DirectTarget::Link(relative) => normalize(&base.join(relative)),
    };
    importer
        .direct_deps
        .iter()
        .filter(|(alias, target)| {
            let Some(root) = dedupe_against else { return true };
            let ours = location_of(&importer_dir, target);
            !root.direct_deps.iter().any(|(a, t)| a == alias && location_of(&root_dir, t) == ours)
        })
        .map(|(_, target)| {
            let location = location_of(&importer_dir, target);
            let node = match target {
                DirectTarget::Node(id) => Some(*id),
                DirectTarget::Link(_) => None,
            };
            BinSource { real_location: location.clone(), location, node, is_direct: true }
        })
        .collect()
}

/// The root `node_modules` as pnpm's directory listing would find it: the root's own
/// dependencies and what public hoisting linked there.
fn root_modules_sources(
    graph: &DepGraph,
    root: &Importer,
    hoisting: &Hoisting,
    layout: &Layout,
) -> Vec<BinSource> {
    let mut sources: Vec<BinSource> = direct_sources(graph, root, None, layout)
        .into_iter()
        .zip(&root.direct_deps)
        .map(|(source, (alias, _))| BinSource {
            location: layout.modules_dir().join(alias.as_str()),
            ..source
        })
        .collect();
    for link in hoisting.links.iter().filter(|link| link.kind == HoistKind::Public) {
        let HoistTarget::Node(id) = link.target else { continue };
        let real_location = layout.package_dir(graph.node(id));
        let location = layout.modules_dir().join(link.alias.as_str());
        sources.push(BinSource { location, real_location, node: Some(id), is_direct: false });
    }
    sources
}

fn private_hoisted_sources(
    graph: &DepGraph,
    hoisting: &Hoisting,
    layout: &Layout,
) -> Vec<BinSource> {
    let hoist_dir = layout.private_hoist_dir();
    hoisting
        .private_aliases_with_bins
        .iter()
        .filter_map(|alias| {
            let link = hoisting
                .links
                .iter()
                .find(|link| &link.alias == alias && link.kind == HoistKind::Private)?;
            let HoistTarget::Node(id) = link.target else { return None };
            let real_location = layout.package_dir(graph.node(id));
            Some(BinSource {
                location: hoist_dir.join(alias.as_str()),
                real_location,
                node: Some(id),
                is_direct: false,
            })
        })
        .collect()
}

#[cfg(all(test, unix))]
mod tests;
