//! pnpm-lock.yaml v9: schema, reader, freshness check against manifests, writer

mod dependency_ref;
mod error;
mod freshness;
mod lockfile;
mod read;
mod resolution;
mod write;
mod yaml_emit;
mod yaml_fast;

pub use dependency_ref::{DependencyRef, DependencyTarget};
pub use error::LockfileError;
pub use freshness::{ExpectedSettings, OutdatedLockfile, ProjectForCheck, check_freshness};
pub use lockfile::{
    CatalogEntry, ImporterDependencies, ImporterDependency, ImporterId, Lockfile, LockfileSettings,
    LockfileVersion, PackageInfo, PatchedDependency, ProjectSnapshot, SnapshotEntry,
};
pub use resolution::Resolution;
