//! Install sequencing: read the configuration, the projects and the lockfile; plan which
//! packages are warm (in the store) and which are cold; fetch and link them; record the result.

mod cold;
mod edit;
mod engine;
mod error;
mod graph;
mod gvs;
mod index_writer;
mod install;
mod link;
mod lockfile_settings;
mod options;
mod plan;
mod progress;
mod project;
mod project_lock;
mod prune;
mod report;
mod resolve;
mod settings;
mod state;
mod store_commands;
mod store_session;
mod summary;

pub use edit::{AddOptions, RemoveOptions, SaveTarget, UpdateOptions, add, remove, update};
pub use error::InstallError;
pub use install::install;
pub use lade_store::PruneSummary;
pub use options::{GroupFlags, Include, InstallOptions, LockfileMode};
pub use report::{
    AddedDependency, DirectGroup, Event, InstallSummary, Progress, Reporter, SilentReporter,
};
pub use store_commands::{StoreCommandOptions, StoreStatus, store_prune, store_status};
