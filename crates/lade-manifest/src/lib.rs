//! package.json: the manifest model and its reader

mod dependency_map;
mod editor;
mod error;
mod fields;
mod formatting;
mod manifest;

pub use dependency_map::{DependencyMap, Specifier};
pub use editor::ManifestEditor;
pub use error::ManifestError;
pub use fields::{
    Bin, BinCommand, BundledDependencies, DependencyMeta, Directories, Engines, PeerDependencyMeta,
    PlatformList, PublishConfig, Workspaces,
};
pub use formatting::{Indent, detect_indent, ends_with_newline};
pub use manifest::{DependencyField, PackageManifest};
