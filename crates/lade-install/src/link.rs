//! Filling `node_modules`: each package imported from the store into its virtual-store slot with
//! links to its dependencies beside it, then the importers' direct links, hoisting and `.bin`.

mod bins;

use std::path::Path;

use lade_linker::{DirectTarget, HoistTarget, Hoisting, Layout, NodeId, link_dir, link_hoisted};
use lade_store::{ImportOptions, ImportOutcome, PackageFilesIndex, StoreDir};

use crate::InstallError;
use crate::graph::InstallGraph;
use crate::gvs::SlotStaging;
use crate::progress::Counters;

pub(crate) use bins::{link_all_bins, link_slot_bins};

/// Everything the per-package work needs, shared by the worker threads.
pub(crate) struct Linker<'a> {
    pub layout: &'a Layout,
    pub graph: &'a InstallGraph,
    pub store: &'a StoreDir,
    pub import: ImportOptions,
    pub counters: &'a Counters<'a>,
    /// With the global virtual store on: where missing slots are built.
    pub slots: Option<&'a SlotStaging<'a>>,
}

/// What became of one package.
pub(crate) enum Linked {
    Done,
    /// A store file is missing or modified: the package must be fetched again.
    NeedsRefetch,
}

impl Linker<'_> {
    /// Imports the package into its slot and links the slot's dependencies.
    pub fn link_package(
        &self,
        id: NodeId,
        row: &PackageFilesIndex,
    ) -> Result<Linked, InstallError> {
        if let Some(slots) = self.slots {
            return slots.fill(self, id, row);
        }
        let node = self.graph.deps.node(id);
        let package_dir = self.layout.package_dir(node);
        match self.store.import_package(row, &package_dir, self.import)? {
            ImportOutcome::Imported { .. } => {}
            ImportOutcome::NeedsRefetch { file, reason } => {
                tracing::debug!(package = %node.dep_path, file, ?reason, "store file stale");
                return Ok(Linked::NeedsRefetch);
            }
        }
        self.link_slot_dependencies(id, &package_dir)?;
        self.counters.added();
        Ok(Linked::Done)
    }

    /// `node_modules/.pnpm/<slot>/node_modules/<alias>` → the dependency's package directory.
    pub fn link_slot_dependencies(
        &self,
        id: NodeId,
        package_dir: &Path,
    ) -> Result<(), InstallError> {
        let node = self.graph.deps.node(id);
        let slot = self.layout.slot_modules_dir(node);
        for (alias, child) in &node.children {
            let link = slot.join(alias.as_str());
            // A package that depends on its own name would replace itself with a link.
            if link == package_dir {
                continue;
            }
            let target = self.layout.package_dir(self.graph.deps.node(*child));
            link_dir(&target, &link)?;
        }
        Ok(())
    }

    /// Each importer's `node_modules/<alias>` → its direct dependencies.
    pub fn link_importers(&self) -> Result<(), InstallError> {
        for importer in &self.graph.importers {
            let importer_dir = self.layout.importer_dir(&importer.id);
            let modules = self.layout.importer_modules_dir(&importer.id);
            for (alias, target) in &importer.direct_deps {
                let target = match target {
                    DirectTarget::Node(id) => self.layout.package_dir(self.graph.deps.node(*id)),
                    DirectTarget::Link(relative) => importer_dir.join(relative),
                };
                link_dir(&target, &modules.join(alias.as_str()))?;
            }
        }
        Ok(())
    }

    /// Private (`.pnpm/node_modules`) and public (root `node_modules`) hoisted links.
    pub fn link_hoisted(
        &self,
        hoisting: &Hoisting,
        workspace_dirs: &[std::path::PathBuf],
    ) -> Result<(), InstallError> {
        let private = self.layout.private_hoist_dir();
        for link in &hoisting.links {
            let target = match link.target {
                HoistTarget::Node(id) => self.layout.package_dir(self.graph.deps.node(id)),
                HoistTarget::Workspace(index) => match workspace_dirs.get(index) {
                    Some(dir) => dir.clone(),
                    None => continue,
                },
            };
            let dir = match link.kind {
                lade_linker::HoistKind::Private => &private,
                lade_linker::HoistKind::Public => self.layout.modules_dir(),
            };
            link_hoisted(&target, &dir.join(link.alias.as_str()), self.layout.slots_dir())?;
        }
        Ok(())
    }
}
