use std::path::PathBuf;

use miette::Diagnostic;
use thiserror::Error;

/// Why an install stopped. Stage errors keep their own codes and help.
#[derive(Debug, Error, Diagnostic)]
pub enum InstallError {
    #[error(transparent)]
    #[diagnostic(transparent)]
    Config(#[from] lade_config::ConfigError),

    #[error(transparent)]
    #[diagnostic(transparent)]
    Manifest(#[from] lade_manifest::ManifestError),

    #[error(transparent)]
    #[diagnostic(transparent)]
    Lockfile(#[from] lade_lockfile::LockfileError),

    #[error(transparent)]
    #[diagnostic(transparent)]
    Outdated(#[from] lade_lockfile::OutdatedLockfile),

    #[error(transparent)]
    #[diagnostic(transparent)]
    Fetch(#[from] lade_fetch::FetchError),

    #[error(transparent)]
    #[diagnostic(transparent)]
    Store(#[from] lade_store::StoreError),

    #[error(transparent)]
    #[diagnostic(transparent)]
    Linker(#[from] lade_linker::LinkerError),

    #[error(transparent)]
    #[diagnostic(transparent)]
    Registry(#[from] lade_registry::RegistryError),

    #[error(transparent)]
    #[diagnostic(transparent)]
    Resolve(#[from] lade_resolver::ResolveError),

    #[error("Cannot install with \"frozen-lockfile\" because pnpm-lock.yaml is absent in {dir}")]
    #[diagnostic(
        code(ERR_PNPM_NO_LOCKFILE),
        help("run `lade install` without --frozen-lockfile to resolve and write the lockfile")
    )]
    NoLockfile { dir: PathBuf },

    #[error("{dep_path} is referenced by {parent} but has no entry in pnpm-lock.yaml")]
    #[diagnostic(
        code(ERR_PNPM_LOCKFILE_MISSING_DEPENDENCY),
        help("the lockfile is broken: regenerate it with `pnpm install --no-frozen-lockfile`")
    )]
    MissingDependency { dep_path: String, parent: String },

    #[error("{package} is resolved from {kind}, which lade cannot install yet")]
    #[diagnostic(
        code(ERR_LADE_UNSUPPORTED_RESOLUTION),
        help("install this project with pnpm until lade supports {kind} dependencies")
    )]
    UnsupportedResolution { package: String, kind: &'static str },

    #[error("`lade {command}` requires the package name")]
    #[diagnostic(
        code(ERR_PNPM_MISSING_PACKAGE_NAME),
        help("name at least one package, e.g. `lade {command} left-pad`")
    )]
    MissingPackageName { command: &'static str },

    #[error("\"{argument}\" is not a package name with an optional @specifier")]
    #[diagnostic(
        code(ERR_LADE_INVALID_PACKAGE_ARGUMENT),
        help(
            "use name, name@range, name@tag or alias@npm:name@range (git, URL and directory specifiers are not supported yet)"
        )
    )]
    InvalidPackageArgument { argument: String },

    #[error("Cannot remove {packages}: no such dependency found in {}", manifest.display())]
    #[diagnostic(
        code(ERR_PNPM_CANNOT_REMOVE_MISSING_DEPS),
        help("check the names against the project's package.json")
    )]
    CannotRemoveMissingDeps { packages: String, manifest: PathBuf },

    #[error(
        "Running this command will add the dependency to the workspace root, which might not be what you want"
    )]
    #[diagnostic(
        code(ERR_PNPM_ADDING_TO_ROOT),
        help("if you really meant it, run the command again with -w (--workspace-root)")
    )]
    AddingToRoot,

    #[error("{} is not one of the workspace's projects", dir.display())]
    #[diagnostic(
        code(ERR_LADE_PROJECT_NOT_IN_WORKSPACE),
        help(
            "run the command in a project listed by pnpm-workspace.yaml, or in the workspace root"
        )
    )]
    ProjectNotInWorkspace { dir: PathBuf },

    #[error(
        "the project patches {count} package(s) (patchedDependencies) and lade cannot apply patches yet"
    )]
    #[diagnostic(
        code(ERR_LADE_PATCHES_UNSUPPORTED),
        help("install this project with pnpm until lade applies patchedDependencies")
    )]
    PatchesUnsupported { count: usize },

    #[error(
        "node-linker={linker} is set, and lade lays out node_modules only as node-linker=isolated"
    )]
    #[diagnostic(
        code(ERR_LADE_UNSUPPORTED_NODE_LINKER),
        help(
            "remove node-linker from .npmrc or pnpm-workspace.yaml, or install this project with pnpm"
        )
    )]
    UnsupportedNodeLinker { linker: lade_config::NodeLinker },

    #[error(
        "The node-version setting is \"{version}\", which is not an exact semver version ({package} names a Node.js range)"
    )]
    #[diagnostic(
        code(ERR_PNPM_INVALID_NODE_VERSION),
        help(
            "set node-version to an exact version such as 20.11.1, or remove it to use the node on PATH"
        )
    )]
    InvalidNodeVersion { version: String, package: String },

    #[error(
        "Unsupported environment (bad pnpm and/or Node.js version): your Node version is incompatible with \"{package}\" (expected version: {wanted}, got: {current})"
    )]
    #[diagnostic(
        code(ERR_PNPM_UNSUPPORTED_ENGINE),
        help(
            "install a Node.js version the package's engines.node accepts, or turn off engine-strict"
        )
    )]
    UnsupportedEngine { package: String, wanted: String, current: String },

    #[error("Unsupported platform for {package}: wanted {wanted} (current: {current})")]
    #[diagnostic(
        code(ERR_PNPM_UNSUPPORTED_PLATFORM),
        help(
            "install on a machine the package supports, or turn off engine-strict to install it anyway"
        )
    )]
    UnsupportedPlatform { package: String, wanted: String, current: String },

    #[error("{package} was not in the store after it was fetched")]
    #[diagnostic(
        code(ERR_LADE_STORE_INCONSISTENT),
        help("another process may be pruning the store; run the install again")
    )]
    StoreInconsistent { package: String },

    #[error("cannot {action} {path}")]
    #[diagnostic(
        code(ERR_LADE_INSTALL_IO),
        help("check that the project directory is writable and the disk is not full")
    )]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("the install was interrupted by an internal failure: {0}")]
    #[diagnostic(code(ERR_LADE_INTERNAL), help("this is a bug in lade; please report it"))]
    Internal(String),
}

impl InstallError {
    pub(crate) fn io(
        action: &'static str,
        path: impl Into<PathBuf>,
        source: std::io::Error,
    ) -> Self {
        InstallError::Io { action, path: path.into(), source }
    }
}
