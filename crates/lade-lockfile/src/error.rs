use std::path::PathBuf;

use miette::Diagnostic;
use thiserror::Error;

/// Why a lockfile could not be read.
#[derive(Debug, Error, Diagnostic)]
pub enum LockfileError {
    #[error("no lockfile at {}", path.display())]
    #[diagnostic(
        code(ERR_LADE_LOCKFILE_NOT_FOUND),
        help("run an install without --frozen-lockfile to create pnpm-lock.yaml")
    )]
    NotFound { path: PathBuf },

    #[error("could not read {}", path.display())]
    #[diagnostic(code(ERR_LADE_LOCKFILE_READ), help("check that the file is readable"))]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("The lockfile at \"{}\" is broken: {message} ({line}:{column}){}", path.display(),
        field.as_deref().map(|field| format!(" in {field}")).unwrap_or_default())]
    #[diagnostic(
        code(ERR_PNPM_BROKEN_LOCKFILE),
        help(
            "fix the lockfile at that position, or delete it and install without --frozen-lockfile"
        )
    )]
    Broken { path: PathBuf, line: usize, column: usize, field: Option<String>, message: String },

    #[error("Lockfile {} has lockfileVersion {version}, which is not compatible with lade", path.display())]
    #[diagnostic(
        code(ERR_PNPM_LOCKFILE_BREAKING_CHANGE),
        help(
            "lade reads lockfileVersion 9 (written by pnpm 9 and later): migrate it by running \
             `pnpm install` with pnpm 9 or newer, or delete it and run `lade install`"
        )
    )]
    UnsupportedVersion { path: PathBuf, version: String },
}
