//! Install sequencing: read the configuration, the projects and the lockfile; plan which
//! packages are warm (in the store) and which are cold; fetch and link them; record the result.

mod cold;
mod error;
mod graph;
mod index_writer;
mod install;
mod link;
mod lockfile_settings;
mod options;
mod plan;
mod progress;
mod project;
mod report;
mod resolve;
mod settings;
mod state;
mod summary;

pub use error::InstallError;
pub use install::install;
pub use options::{GroupFlags, Include, InstallOptions, LockfileMode};
pub use report::{
    AddedDependency, DirectGroup, Event, InstallSummary, Progress, Reporter, SilentReporter,
};
