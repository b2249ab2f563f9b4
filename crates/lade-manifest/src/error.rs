use std::path::PathBuf;

use miette::Diagnostic;
use thiserror::Error;

/// Why a package.json could not be read.
#[derive(Debug, Error, Diagnostic)]
pub enum ManifestError {
    #[error("No package.json found in {}", dir.display())]
    #[diagnostic(
        code(ERR_PNPM_NO_PKG_MANIFEST),
        help("run the command in a project directory, or create a package.json there")
    )]
    NotFound { dir: PathBuf },

    #[error("could not read {}", path.display())]
    #[diagnostic(code(ERR_LADE_MANIFEST_READ), help("check that the file is readable"))]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("could not write {}", path.display())]
    #[diagnostic(
        code(ERR_LADE_MANIFEST_WRITE),
        help("check that the project directory is writable and the disk is not full")
    )]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("{}:{line}:{column}: invalid JSON: {message}", path.display())]
    #[diagnostic(code(ERR_PNPM_JSON_PARSE), help("fix the JSON syntax at that position"))]
    Syntax { path: PathBuf, line: usize, column: usize, message: String },

    #[error("{}:{line}:{column}: invalid field \"{field}\": {message}", path.display())]
    #[diagnostic(
        code(ERR_LADE_INVALID_MANIFEST_FIELD),
        help(
            "dependency fields map package names to specifier strings; see the package.json docs"
        )
    )]
    InvalidField { path: PathBuf, field: String, line: usize, column: usize, message: String },
}
