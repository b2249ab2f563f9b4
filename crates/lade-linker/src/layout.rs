//! Where things go in an isolated `node_modules` (pnpm's `node-linker=isolated`).

use std::path::{Path, PathBuf};

use crate::graph::{ImporterId, Node};
use crate::hoist_pattern::HoistPattern;

/// The directories of one install, rooted at the lockfile's directory. Give it a path with its
/// symlinks resolved: the bin shims record absolute paths derived from it.
#[derive(Clone, Debug)]
pub struct Layout {
    lockfile_dir: PathBuf,
    /// `modules-dir` as configured, relative to each project (`node_modules` by default).
    modules_dir_name: PathBuf,
    modules_dir: PathBuf,
    virtual_store_dir: PathBuf,
    /// The global virtual store's `links` directory, when it holds the packages' slots.
    global_virtual_store_dir: Option<PathBuf>,
}

impl Layout {
    pub fn new(lockfile_dir: impl Into<PathBuf>) -> Self {
        let lockfile_dir = lockfile_dir.into();
        let modules_dir_name = PathBuf::from("node_modules");
        let modules_dir = lockfile_dir.join(&modules_dir_name);
        let virtual_store_dir = modules_dir.join(".pnpm");
        Layout {
            lockfile_dir,
            modules_dir_name,
            modules_dir,
            virtual_store_dir,
            global_virtual_store_dir: None,
        }
    }

    /// pnpm's `modules-dir`: each project's dependencies go in `<project>/<name>` (and the
    /// virtual store, unless set apart, in `<root>/<name>/.pnpm`).
    pub fn with_modules_dir(mut self, name: impl Into<PathBuf>) -> Self {
        let default_virtual_store = self.modules_dir.join(".pnpm");
        self.modules_dir_name = name.into();
        self.modules_dir = self.lockfile_dir.join(&self.modules_dir_name);
        if self.virtual_store_dir == default_virtual_store {
            self.virtual_store_dir = self.modules_dir.join(".pnpm");
        }
        self
    }

    /// pnpm's `virtual-store-dir`, an absolute path.
    pub fn with_virtual_store_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.virtual_store_dir = dir.into();
        self
    }

    /// `<modules>/.pnpm`, where pnpm keeps the lockfile of the last install (`lock.yaml`)
    /// whatever the virtual store directory is.
    pub fn records_dir(&self) -> PathBuf {
        self.modules_dir.join(".pnpm")
    }

    /// `.modules.yaml`'s `virtualStoreDir`: the virtual store relative to `modules_dir`.
    pub fn recorded_virtual_store_dir(&self) -> String {
        let dir = self.global_virtual_store_dir.as_deref().unwrap_or(&self.virtual_store_dir);
        crate::symlink_target(&self.modules_dir.join(".modules.yaml"), dir)
            .to_string_lossy()
            .replace('\\', "/")
    }

    /// Slots live in the global virtual store at `links_dir` (`<store>/v11/links`), at each
    /// node's [`Node::global_slot`]; the project keeps `node_modules/.pnpm` for its own records
    /// and private hoisting, as pnpm 12 does.
    pub fn with_global_virtual_store(mut self, links_dir: impl Into<PathBuf>) -> Self {
        self.global_virtual_store_dir = Some(links_dir.into());
        self
    }

    /// The global virtual store's `links` directory, when slots live there.
    pub fn global_virtual_store_dir(&self) -> Option<&Path> {
        self.global_virtual_store_dir.as_deref()
    }

    /// Where the slots are: the global virtual store, else `node_modules/.pnpm`.
    pub fn slots_dir(&self) -> &Path {
        self.global_virtual_store_dir.as_deref().unwrap_or(&self.virtual_store_dir)
    }

    pub fn lockfile_dir(&self) -> &Path {
        &self.lockfile_dir
    }

    /// The root `node_modules`, also where public hoisting links to.
    pub fn modules_dir(&self) -> &Path {
        &self.modules_dir
    }

    pub fn virtual_store_dir(&self) -> &Path {
        &self.virtual_store_dir
    }

    /// `node_modules/.pnpm/node_modules`, where private hoisting links to.
    pub fn private_hoist_dir(&self) -> PathBuf {
        self.virtual_store_dir.join("node_modules")
    }

    /// The slot: `node_modules/.pnpm/<virtual store name>`, or in the global virtual store
    /// `<links>/<scope or @>/<name>/<version>/<hash>`.
    pub fn slot_dir(&self, node: &Node) -> PathBuf {
        match (&self.global_virtual_store_dir, &node.global_slot) {
            (Some(links), Some(slot)) => {
                let mut dir = links.clone();
                dir.extend(slot.split('/'));
                dir
            }
            _ => self.virtual_store_dir.join(&node.virtual_store_name),
        }
    }

    /// `<slot>/node_modules`, holding the package and links to its dependencies.
    pub fn slot_modules_dir(&self, node: &Node) -> PathBuf {
        self.slot_dir(node).join("node_modules")
    }

    /// `node_modules/.pnpm/<slot>/node_modules/<name>`, the package's files.
    pub fn package_dir(&self, node: &Node) -> PathBuf {
        self.slot_modules_dir(node).join(node.name.as_str())
    }

    pub fn importer_dir(&self, importer: &ImporterId) -> PathBuf {
        if importer.is_root() {
            self.lockfile_dir.clone()
        } else {
            self.lockfile_dir.join(importer.as_str())
        }
    }

    pub fn importer_modules_dir(&self, importer: &ImporterId) -> PathBuf {
        self.importer_dir(importer).join(&self.modules_dir_name)
    }

    /// pnpm's `extraNodePaths` for every shim: the private hoisting directory when `hoist-pattern`
    /// lists anything, else nothing (and the shims then set no NODE_PATH at all).
    pub fn extra_node_paths(&self, hoist_pattern: &HoistPattern) -> Vec<PathBuf> {
        if hoist_pattern.patterns().is_empty() {
            Vec::new()
        } else {
            vec![self.private_hoist_dir()]
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extra_node_paths_follow_the_hoist_pattern() {
        let layout = Layout::new("/p");
        assert_eq!(
            layout.extra_node_paths(&HoistPattern::hoist_everything()),
            [PathBuf::from("/p/node_modules/.pnpm/node_modules")]
        );
        assert!(layout.extra_node_paths(&HoistPattern::default()).is_empty());
        assert_eq!(
            layout.importer_modules_dir(&ImporterId::new("packages/a")),
            Path::new("/p/packages/a/node_modules")
        );
        assert_eq!(layout.importer_modules_dir(&ImporterId::root()), Path::new("/p/node_modules"));
    }

    #[test]
    fn modules_and_virtual_store_dirs_as_pnpm_10_places_them() {
        // pnpm 10 with `modules-dir=nm` and `virtual-store-dir=.vstore`: links in nm/, slots in
        // .vstore/, lock.yaml in nm/.pnpm/, and .modules.yaml's virtualStoreDir "../.vstore".
        let layout = Layout::new("/p").with_modules_dir("nm").with_virtual_store_dir("/p/.vstore");
        assert_eq!(layout.modules_dir(), Path::new("/p/nm"));
        assert_eq!(layout.importer_modules_dir(&ImporterId::new("a")), Path::new("/p/a/nm"));
        assert_eq!(layout.private_hoist_dir(), Path::new("/p/.vstore/node_modules"));
        assert_eq!(layout.records_dir(), Path::new("/p/nm/.pnpm"));
        assert_eq!(layout.recorded_virtual_store_dir(), "../.vstore");
        let only_modules = Layout::new("/p").with_modules_dir("nm");
        assert_eq!(only_modules.virtual_store_dir(), Path::new("/p/nm/.pnpm"));
        assert_eq!(only_modules.recorded_virtual_store_dir(), ".pnpm");
    }

    #[test]
    fn global_slots_live_in_the_store_and_project_records_stay_local() {
        let mut graph = crate::DepGraph::new(120);
        let name = lade_types::PkgName::parse("@scope/tool").unwrap();
        let dep_path = lade_types::DepPath::parse("@scope/tool@1.2.3").unwrap();
        let id = graph.add_node(name, dep_path, false);
        let local = Layout::new("/p");
        let global = Layout::new("/p").with_global_virtual_store("/s/v11/links");
        let node = graph.node(id);
        assert_eq!(global.package_dir(node), local.package_dir(node), "no slot path assigned");
        graph.node_mut(id).global_slot = Some("@scope/tool/1.2.3/abc".to_owned());
        let node = graph.node(id);
        assert_eq!(
            global.package_dir(node),
            Path::new("/s/v11/links/@scope/tool/1.2.3/abc/node_modules/@scope/tool")
        );
        assert_eq!(
            local.package_dir(node),
            Path::new("/p/node_modules/.pnpm/@scope+tool@1.2.3/node_modules/@scope/tool")
        );
        assert_eq!(global.private_hoist_dir(), Path::new("/p/node_modules/.pnpm/node_modules"));
        assert_eq!(global.slots_dir(), Path::new("/s/v11/links"));
        assert_eq!(local.slots_dir(), Path::new("/p/node_modules/.pnpm"));
    }
}
