//! Resolution without a lockfile: the projects' package.json files, the settings and registry
//! metadata in, the pnpm-lock.yaml pnpm 10 would write out.

mod checksum;
mod dep_manifest;
mod emit;
mod error;
mod extensions;
mod graph;
mod hooks;
mod locked;
mod metadata;
mod options;
mod overrides;
mod peers;
mod pick;
mod preferred;
mod publish_time;
mod resolve;
mod save_specifier;
mod selector;
pub mod semver;
mod specifier;

pub use checksum::{package_extensions_checksum, patch_file_hash};
pub use error::ResolveError;
pub use metadata::{InMemoryMetadata, MetadataSource, RegistryMetadata};
pub use options::{
    PackageExtension, Project, ResolutionMode, ResolveInput, ResolveSettings, Update,
};
pub use peers::{PackageRef, PeerIssue, render_peer_issues};
pub use resolve::{Deprecation, Resolved, lockfile_overrides, resolve};
pub use save_specifier::{PinnedVersion, save_specifier, which_version_is_pinned};
