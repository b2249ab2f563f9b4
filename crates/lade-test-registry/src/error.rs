use std::path::PathBuf;

use miette::Diagnostic;
use thiserror::Error;

/// Failures loading fixtures from disk.
#[derive(Debug, Error, Diagnostic)]
pub enum TestRegistryError {
    #[error(transparent)]
    #[diagnostic(
        code(ERR_LADE_TEST_REGISTRY_IO),
        help("check that the fixture directory exists and is readable")
    )]
    Io(#[from] std::io::Error),

    #[error("invalid fixture spec {path}: {reason}")]
    #[diagnostic(
        code(ERR_LADE_TEST_REGISTRY_INVALID_SPEC),
        help(
            "a spec file holds a package.json object (or an array of them) with string name and version, plus optional \"fixtureFiles\": {{path: contents}}"
        )
    )]
    InvalidSpec { path: PathBuf, reason: String },

    #[error("invalid tarball {path}: {reason}")]
    #[diagnostic(
        code(ERR_LADE_TEST_REGISTRY_INVALID_TARBALL),
        help("each .tgz must be a gzip tar holding <dir>/package.json with a name and version")
    )]
    InvalidTarball { path: PathBuf, reason: String },
}
