//! HTTP access to npm registries: a client with retries and coded errors, auth headers,
//! tarball downloads, packuments and their on-disk cache.

mod auth;
mod client;
mod display_url;
mod error;
mod metadata_cache;
mod packument;
mod settings;
mod urls;

pub use auth::{AuthHeader, AuthScheme};
pub use client::RegistryClient;
pub use display_url::DisplayUrl;
pub use error::RegistryError;
pub use metadata_cache::MetadataCache;
pub use packument::{
    Bin, BundledDependencies, Directories, Dist, Packument, PackumentKind, PackumentVersion,
    PeerDependencyMeta, VersionSummary,
};
pub use settings::{NetworkSettings, ProxySettings, RetryPolicy, default_user_agent};
pub use urls::{packument_url, tarball_url};
