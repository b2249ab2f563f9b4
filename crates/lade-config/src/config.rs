//! One `Config` from every source pnpm 10 reads, in its precedence (highest first):
//!
//! 1. the command line (`CliSettings`);
//! 2. pnpm-workspace.yaml settings (camelCase keys) — except registries and credentials;
//! 3. `npm_config_*` environment variables (any case; lade also takes `pnpm_config_*`);
//! 4. the project `.npmrc` (nearest directory with a package.json, node_modules or workspace
//!    manifest), 5. the workspace-root `.npmrc`, 6. the user `.npmrc` (`userconfig`),
//! 7. npm's global `$PREFIX/etc/npmrc`, 8. pnpm's own `rc` in its config directory;
//! 9. defaults (the registry: what npm reports).

mod build;
mod layout;
mod network;
mod sources;

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use lade_types::PkgName;
use url::Url;

pub use layout::{
    InstallSettings, LayoutSettings, LinkWorkspacePackages, NodeLinker, PackageImportMethod,
    ResolutionMode,
};
pub use network::{NetworkSettings, ProxyUrl};

use crate::auth::{AuthHeader, AuthTable, RegistryTls, lookup_by_prefix};
use crate::layers::RawSettings;
use crate::npm_registry::NpmRegistryFallback;
use crate::pnpm_settings::PnpmSettings;
use crate::registry::{Registries, RegistryUrl};
use crate::workspace_manifest::Catalogs;
use crate::workspace_projects::find_workspace_projects;
use crate::{CliSettings, ConfigError, ConfigWarning};

/// What `Config::load` reads besides the files it finds.
#[derive(Clone, Default)]
pub struct LoadOptions {
    /// The directory lade was started in.
    pub cwd: PathBuf,
    pub cli: CliSettings,
    /// A snapshot of the environment; tests inject their own.
    pub env: HashMap<String, String>,
    /// The user's home directory; `$HOME` (`%USERPROFILE%`) from `env` when `None`.
    pub home: Option<PathBuf>,
    pub npm_registry: NpmRegistryFallback,
}

impl LoadOptions {
    /// Options for the running process: its working directory and environment (variables
    /// that are not valid Unicode are left out).
    pub fn from_process(cli: CliSettings) -> Result<Self, ConfigError> {
        let cwd = std::env::current_dir().map_err(|error| ConfigError::io(".", error))?;
        let env = std::env::vars_os()
            .filter_map(|(name, value)| Some((name.into_string().ok()?, value.into_string().ok()?)))
            .collect();
        Ok(LoadOptions { cwd, cli, env, ..LoadOptions::default() })
    }
}

/// The environment often holds tokens: only variable names are shown.
impl fmt::Debug for LoadOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut names: Vec<&str> = self.env.keys().map(String::as_str).collect();
        names.sort_unstable();
        f.debug_struct("LoadOptions")
            .field("cwd", &self.cwd)
            .field("cli", &self.cli)
            .field("env", &names)
            .field("home", &self.home)
            .field("npm_registry", &self.npm_registry)
            .finish()
    }
}

/// The directories configuration settled on, all absolute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dirs {
    /// The working directory, with symlinks resolved.
    pub cwd: PathBuf,
    /// The project pnpm operates on (pnpm's `dir`).
    pub project: PathBuf,
    /// The directory of pnpm-workspace.yaml, if any.
    pub workspace: Option<PathBuf>,
    /// Where pnpm-lock.yaml lives: the workspace root for a shared lockfile.
    pub lockfile: PathBuf,
    /// The store's base directory; the v11 layout lives in [`Dirs::store_version_dir`].
    pub store: PathBuf,
    pub virtual_store: PathBuf,
    /// Relative to each project unless absolute (`node_modules` by default).
    pub modules: PathBuf,
    /// `PNPM_HOME` or pnpm's data directory.
    pub pnpm_home: PathBuf,
}

impl Dirs {
    /// `<store>/v11`, unless the configured store already ends with it.
    pub fn store_version_dir(&self) -> PathBuf {
        if self.store.file_name().is_some_and(|name| name == "v11") {
            self.store.clone()
        } else {
            self.store.join("v11")
        }
    }
}

/// The configuration of one lade run.
#[derive(Debug, Clone)]
pub struct Config {
    pub dirs: Dirs,
    pub registries: Registries,
    pub network: NetworkSettings,
    pub layout: LayoutSettings,
    pub install: InstallSettings,
    /// overrides, packageExtensions, patchedDependencies, build permissions, …
    pub pnpm: PnpmSettings,
    pub catalogs: Catalogs,
    /// The `packages:` globs of pnpm-workspace.yaml.
    pub workspace_patterns: Option<Vec<String>>,
    /// Every setting by its npmrc name, including those lade does not interpret.
    pub raw: RawSettings,
    pub warnings: Vec<ConfigWarning>,
    auth: AuthTable,
}

impl Config {
    pub fn load(options: &LoadOptions) -> Result<Config, ConfigError> {
        let sources = sources::Sources::read(options)?;
        let reader = sources.reader();
        let network = network::NetworkConfig::read(&sources, &reader)?;
        let install = layout::install_settings(&reader, sources.env)?;
        let layout = layout::layout_settings(&reader, sources.env)?;
        let dirs = layout::dirs(&sources, &reader, &install, &layout)?;
        let pnpm = build::pnpm_settings(&sources, &reader, &dirs)?;
        let sources::Sources { workspace_manifest, warnings, layers, .. } = sources;
        let (catalogs, workspace_patterns) = match workspace_manifest {
            Some(manifest) => (manifest.catalogs, manifest.packages),
            None => (Catalogs::new(), None),
        };
        Ok(Config {
            dirs,
            registries: network.registries,
            network: network.settings,
            layout,
            install,
            pnpm,
            catalogs,
            workspace_patterns,
            raw: RawSettings(layers.merged()),
            warnings,
            auth: network.auth,
        })
    }

    /// The `Authorization` header for a request to `url`, by npm's nerf-dart rules.
    pub fn auth_header_for(&self, url: &Url) -> Option<AuthHeader> {
        self.auth.header_for(url)
    }

    /// Client certificate, key and CA configured for the registry serving `url`.
    pub fn tls_for(&self, url: &Url) -> Option<RegistryTls> {
        lookup_by_prefix(&self.network.registry_tls, url)
    }

    pub fn registry_for(&self, name: &PkgName) -> &RegistryUrl {
        self.registries.for_package(name)
    }

    /// The workspace's project directories (the root included), or the project alone.
    pub fn workspace_projects(&self) -> Result<Vec<PathBuf>, ConfigError> {
        match &self.dirs.workspace {
            Some(root) => find_workspace_projects(root, self.workspace_patterns.as_deref()),
            None => Ok(vec![self.dirs.project.clone()]),
        }
    }

    /// The CA certificates to trust: the `cafile` bundle when it exists, else `ca`.
    pub fn ca_certificates(&self) -> Result<Vec<String>, ConfigError> {
        match &self.network.cafile {
            Some(path) => match read_ca_file(path)? {
                Some(certificates) => Ok(certificates),
                None => Ok(self.network.ca.clone()),
            },
            None => Ok(self.network.ca.clone()),
        }
    }
}

/// Splits a PEM bundle into certificates, as pnpm's `readCAFileSync`; `None` if absent.
fn read_ca_file(path: &Path) -> Result<Option<Vec<String>>, ConfigError> {
    const END: &str = "-----END CERTIFICATE-----";
    let text = match fs_err::read_to_string(path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(ConfigError::io(path, error)),
    };
    let certificates = text
        .split(END)
        .filter(|part| !part.trim().is_empty())
        .map(|part| format!("{}{END}", part.trim_start()))
        .collect();
    Ok(Some(certificates))
}

#[cfg(test)]
mod tests;
