use miette::Diagnostic;
use thiserror::Error;

/// Why a resolution failed. Each variant names the package or project it concerns.
#[derive(Debug, Error, Diagnostic)]
pub enum ResolveError {
    #[error("could not fetch the metadata of {package}")]
    #[diagnostic(
        code(ERR_PNPM_META_FETCH_FAIL),
        help("check the registry setting and the network, then run the install again")
    )]
    Metadata {
        package: String,
        #[source]
        source: lade_registry::RegistryError,
    },

    #[error("{package} is not in the registry")]
    #[diagnostic(code(ERR_PNPM_FETCH_404), help("check the package name for typos"))]
    NotInRegistry { package: String },

    #[error("No matching version found for {package}@{specifier}")]
    #[diagnostic(
        code(ERR_PNPM_NO_MATCHING_VERSION),
        help(
            "the version or range asked for is not published; check the specifier in package.json"
        )
    )]
    NoMatchingVersion { package: String, specifier: String },

    #[error("No version of {package}@{specifier} is old enough for the minimumReleaseAge setting")]
    #[diagnostic(
        code(ERR_PNPM_NO_MATURE_MATCHING_VERSION),
        help(
            "wait until a matching version is old enough, or list the package in minimumReleaseAgeExclude"
        )
    )]
    NoMatureMatchingVersion { package: String, specifier: String },

    /// Caught by [`crate::resolve`], which asks the registry again and starts over.
    #[error("The cached metadata of {package} has no version this project can use")]
    #[diagnostic(
        code(ERR_LADE_STALE_METADATA),
        help("run the command again without --prefer-offline to refresh the metadata cache")
    )]
    StaleMetadata { package: String },

    #[error("The metadata of {package} is missing the \"time\" field")]
    #[diagnostic(
        code(ERR_PNPM_MISSING_TIME),
        help(
            "the registry does not publish release dates, so minimumReleaseAge cannot be checked; set minimumReleaseAgeIgnoreMissingTime to true or list the package in minimumReleaseAgeExclude"
        )
    )]
    MissingTime { package: String },

    #[error("Invalid value in minimumReleaseAgeExclude: {pattern:?}")]
    #[diagnostic(
        code(ERR_PNPM_INVALID_MINIMUM_RELEASE_AGE_EXCLUDE),
        help(
            "entries look like foo, @scope/* or foo@1.0.0 || 1.0.1 (exact versions, no name patterns with versions)"
        )
    )]
    InvalidReleaseAgeExclude { pattern: String },

    #[error(
        "Exotic dependency {package}@{specifier} (a dependency of {parent}) is not allowed in subdependencies when blockExoticSubdeps is enabled"
    )]
    #[diagnostic(
        code(ERR_PNPM_EXOTIC_SUBDEP),
        help(
            "git and tarball URL dependencies are only accepted from your own projects: add an override pointing {package} at a registry version, or set blockExoticSubdeps to false"
        )
    )]
    ExoticSubdependency { parent: String, package: String, specifier: String },

    #[error(
        "\"{package}@{specifier}\" is in the dependencies of {project} but no package named \"{package}\" is present in the workspace"
    )]
    #[diagnostic(
        code(ERR_PNPM_WORKSPACE_PKG_NOT_FOUND),
        help("add the package to the workspace, or depend on it through the registry")
    )]
    WorkspacePackageNotFound { project: String, package: String, specifier: String },

    #[error(
        "No matching version found for {package}@{specifier} inside the workspace of {project}"
    )]
    #[diagnostic(
        code(ERR_PNPM_NO_MATCHING_VERSION_INSIDE_WORKSPACE),
        help("change the workspace: range, or the version of the workspace package")
    )]
    NoMatchingWorkspaceVersion { project: String, package: String, specifier: String },

    #[error(
        "No catalog entry '{package}' was found for catalog '{catalog}' (asked for by {project})"
    )]
    #[diagnostic(
        code(ERR_PNPM_CATALOG_ENTRY_NOT_FOUND_FOR_SPEC),
        help("add the entry to the catalog in pnpm-workspace.yaml")
    )]
    CatalogEntryNotFound { project: String, package: String, catalog: String },

    #[error("{package}@{specifier} (in {parent}) uses a specifier lade cannot resolve yet")]
    #[diagnostic(
        code(ERR_LADE_UNSUPPORTED_SPECIFIER),
        help(
            "git, tarball URL and local directory dependencies outside the workspace are not supported by lade's resolver yet"
        )
    )]
    UnsupportedSpecifier { parent: String, package: String, specifier: String },

    #[error("{package}@{specifier} (in {parent}) is not a valid dependency specifier")]
    #[diagnostic(code(ERR_PNPM_INVALID_SPECIFIER), help("fix the specifier in the manifest"))]
    InvalidSpecifier { parent: String, package: String, specifier: String },

    #[error("the version {version} of {package} from the registry is not usable: {reason}")]
    #[diagnostic(
        code(ERR_LADE_BAD_REGISTRY_VERSION),
        help("the registry's metadata for this package is malformed; report it to the registry")
    )]
    BadRegistryVersion { package: String, version: String, reason: String },

    #[error("Cannot parse the \"{selector}\" selector of {setting}")]
    #[diagnostic(
        code(ERR_PNPM_INVALID_SELECTOR),
        help("selectors look like foo, foo@<2 or bar>foo")
    )]
    InvalidSelector { setting: &'static str, selector: String },
}
