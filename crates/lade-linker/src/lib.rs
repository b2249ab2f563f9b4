//! Isolated node_modules layout: virtual store names, symlinks, hoisting, bin shims, .modules.yaml

mod bins;
mod error;
mod global_virtual_store;
mod graph;
mod hoist;
mod hoist_pattern;
mod installable;
mod js_compat;
mod layout;
mod modules_yaml;
mod symlink;
#[cfg(test)]
mod test_support;
mod virtual_store_name;

pub use bins::{
    BinName, BinSource, BinsDirPlan, BinsPlanOptions, BinsSources, Command, ScriptRuntime,
    bin_node_paths, commands_of_package, node_path, plan_bins, plan_slot_bins,
    prefer_direct_commands, resolve_conflicts, sh_shim,
};
#[cfg(unix)]
pub use bins::{BinOutcome, StagedPath, link_bins, link_bins_staged, list_modules_dir};
pub use error::LinkerError;
pub use global_virtual_store::{SlotChild, SlotSnapshot, global_slot_paths};
pub use graph::{DepGraph, DirectTarget, Importer, ImporterId, Node, NodeId, WorkspacePackage};
pub use hoist::{HoistPatterns, HoistTarget, HoistedLink, Hoisting, hoist};
pub use hoist_pattern::HoistPattern;
pub use installable::{
    Libc, PackageFacts, Platform, PlatformRequirements, SkipWalk, SupportedArchitectures,
    detect_libc, is_installable, skipped_optional_packages,
};
pub use layout::Layout;
pub use modules_yaml::{
    HoistKind, HoistedDependencies, IncludedDependencies, LAYOUT_VERSION, MODULES_FILENAME,
    ModulesYaml, pnpm10_store_dir, utc_string,
};
pub use symlink::{
    LinkOutcome, link_dir, link_hoisted, normalize as normalize_path, symlink_target,
};
pub use virtual_store_name::{DEFAULT_MAX_LENGTH, virtual_store_name};
