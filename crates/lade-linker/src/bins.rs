//! Package commands in `node_modules/.bin`: which commands a package declares, which package wins
//! a name, where each `.bin` gets its commands from, and the POSIX shims pnpm 10 writes for them
//! (pkg-manager/package-bins, pkg-manager/link-bins, @zkochan/cmd-shim 7).

mod command;
mod conflict;
mod plan;
mod shim;
#[cfg(unix)]
mod write;

pub use command::{BinName, Command, commands_of_package};
pub use conflict::{prefer_direct_commands, resolve_conflicts};
pub use plan::{BinSource, BinsDirPlan, BinsPlanOptions, BinsSources, plan_bins, plan_slot_bins};
pub use shim::{ScriptRuntime, bin_node_paths, node_path, sh_shim};
#[cfg(unix)]
pub use write::{BinOutcome, StagedPath, link_bins, link_bins_staged, list_modules_dir};
