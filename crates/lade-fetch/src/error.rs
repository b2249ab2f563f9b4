use miette::Diagnostic;
use thiserror::Error;

#[derive(Debug, Error, Diagnostic)]
pub enum FetchError {
    #[error(transparent)]
    #[diagnostic(transparent)]
    Registry(#[from] lade_registry::RegistryError),

    #[error("cannot add {package} to the store")]
    #[diagnostic(
        code(ERR_LADE_STORE_ADD),
        help("see the cause below; rerunning the install is safe")
    )]
    Store {
        package: String,
        #[source]
        #[diagnostic_source]
        source: lade_store::StoreError,
    },

    #[error("{package} has no integrity in the lockfile and is not a tarball URL")]
    #[diagnostic(
        code(ERR_LADE_NO_TARBALL),
        help(
            "lade installs registry packages and tarball URLs; regenerate the lockfile with pnpm"
        )
    )]
    NoTarball { package: String },

    #[error("{package}'s tarball URL {url:?} is not valid")]
    #[diagnostic(
        code(ERR_LADE_INVALID_TARBALL_URL),
        help("fix the `tarball:` field in the lockfile")
    )]
    InvalidTarballUrl { package: String, url: String },
}
