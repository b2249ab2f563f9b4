use std::path::PathBuf;

use miette::Diagnostic;
use thiserror::Error;

use crate::Origin;

/// Everything that can stop configuration from loading. Values of secret settings never appear
/// in these messages: variants name the setting and where it came from instead.
#[derive(Debug, Error, Diagnostic)]
pub enum ConfigError {
    #[error("cannot read {path}")]
    #[diagnostic(code(ERR_LADE_CONFIG_IO), help("check that the file exists and is readable"))]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("the workspace manifest file should be named \"pnpm-workspace.yaml\"; found {path}")]
    #[diagnostic(
        code(ERR_PNPM_BAD_WORKSPACE_MANIFEST_NAME),
        help("rename the file to pnpm-workspace.yaml")
    )]
    BadWorkspaceManifestName { path: PathBuf },

    #[error("invalid workspace manifest {path}: {message}")]
    #[diagnostic(
        code(ERR_PNPM_INVALID_WORKSPACE_CONFIGURATION),
        help(
            "pnpm-workspace.yaml must be a YAML mapping; see https://pnpm.io/pnpm-workspace_yaml"
        )
    )]
    InvalidWorkspaceManifest { path: PathBuf, message: String },

    #[error("the 'default' catalog is defined twice in {path}")]
    #[diagnostic(
        code(ERR_PNPM_INVALID_CATALOGS_CONFIGURATION),
        help("use the 'catalog' field or 'catalogs.default', but not both")
    )]
    DefaultCatalogDefinedTwice { path: PathBuf },

    #[error("invalid {path}: {message}")]
    #[diagnostic(
        code(ERR_LADE_INVALID_PACKAGE_JSON),
        help("fix the JSON syntax or the type of the named field")
    )]
    InvalidPackageJson { path: PathBuf, message: String },

    #[error(
        "cannot resolve version {spec} in overrides of {path}: no direct dependency {dependency:?}"
    )]
    #[diagnostic(
        code(ERR_PNPM_CANNOT_RESOLVE_OVERRIDE_VERSION),
        help("a $name override needs `name` among the root project's dependencies")
    )]
    CannotResolveOverrideVersion { path: PathBuf, spec: String, dependency: String },

    #[error("invalid value {value:?} for setting {key:?} ({origin}): expected {expected}")]
    #[diagnostic(
        code(ERR_LADE_CONFIG_INVALID_VALUE),
        help("fix or remove the setting where it is defined")
    )]
    InvalidValue { key: String, value: String, expected: &'static str, origin: Origin },

    #[error(
        "setting {key:?} ({origin}) refers to an environment variable that is not set: {expression}"
    )]
    #[diagnostic(
        code(ERR_LADE_CONFIG_ENV_REPLACE),
        help("set the variable, or give a default with ${{NAME:-default}}")
    )]
    UnsetEnvVar { key: String, expression: String, origin: Origin },

    #[error("invalid registry URL {url:?} for {key:?} ({origin})")]
    #[diagnostic(
        code(ERR_LADE_INVALID_REGISTRY_URL),
        help(
            "registry URLs are absolute http(s) URLs, e.g. registry=https://registry.example.test/"
        )
    )]
    InvalidRegistryUrl { key: String, url: String, origin: Origin },

    #[error("no registry is configured and `npm config get registry` could not tell one: {reason}")]
    #[diagnostic(
        code(ERR_LADE_NO_REGISTRY),
        help(
            "add a line like registry=https://registry.example.test/ to ~/.npmrc or the project's .npmrc"
        )
    )]
    NoRegistry { reason: String },

    #[error("--{flag} cannot be used with --no-hoist")]
    #[diagnostic(code(ERR_PNPM_CONFIG_CONFLICT_HOIST), help("drop one of the two flags"))]
    HoistConflict { flag: &'static str },
}

impl ConfigError {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        ConfigError::Io { path: path.into(), source }
    }
}
