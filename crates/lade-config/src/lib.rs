//! Configuration as pnpm 10 reads it: `.npmrc` files, pnpm-workspace.yaml, the root
//! package.json `pnpm` field and the environment, merged into one [`Config`].

mod auth;
mod cli;
mod config;
mod env_replace;
mod error;
mod layers;
mod locations;
mod npm_registry;
mod npmrc;
mod pnpm_settings;
mod registry;
mod root_manifest;
mod secret;
mod settings;
mod warning;
mod workspace_manifest;
mod workspace_projects;

pub use auth::{AuthHeader, AuthTable, PemSource, RegistryTls};
pub use cli::CliSettings;
pub use config::{
    Config, Dirs, InstallSettings, LayoutSettings, LinkWorkspacePackages, LoadOptions,
    NetworkSettings, NodeLinker, PackageImportMethod, ProxyUrl, ResolutionMode,
};
pub use error::ConfigError;
pub use layers::{Origin, RawSettings, RawValue, SourceKind};
pub use npm_registry::NpmRegistryFallback;
pub use pnpm_settings::{
    BuildSettings, PackageExtension, PeerDependencyMeta, PeerDependencyRules, PnpmSettings,
    SupportedArchitectures,
};
pub use registry::{InvalidRegistryUrl, Registries, RegistryUrl};
pub use secret::Secret;
pub use warning::ConfigWarning;
pub use workspace_manifest::Catalogs;
pub use workspace_projects::find_workspace_projects;
