//! Content-addressable store in pnpm's v11 format, shared with pnpm 11 and 12 in both directions:
//! file contents under `files/`, one row per package in `index.db`, atomic writes, and importing
//! a package from the store into a directory.

mod bundled_manifest;
mod cas_write;
mod digest;
mod error;
mod import;
mod installed;
mod integrity;
mod link_strategy;
mod msgpackr;
mod package_files;
mod project_registry;
mod prune;
mod slot_prune;
mod store_dir;
mod store_index;
mod store_lock;
mod tarball;

pub use digest::FileDigest;
pub use error::StoreError;
pub use import::{ImportMethod, ImportOptions, ImportOutcome, LinkMethod};
pub use installed::modified_installed_files;
pub use integrity::StaleReason;
pub use link_strategy::spread_subdirectories;
pub use msgpackr::{decode_package_files_index, encode_package_files_index};
pub use package_files::{FileInfo, PackageFiles, PackageFilesIndex, SideEffectsDiff};
pub use prune::{PruneOptions, PruneSummary};
pub use store_dir::{STORE_VERSION, StoreDir};
pub use store_index::{StoreIndex, index_key};
pub use store_lock::{StoreLock, StoreLockMode};
pub use tarball::{AddedPackage, ExtractOptions};
