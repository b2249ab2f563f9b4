use std::path::PathBuf;

use miette::Diagnostic;
use thiserror::Error;

/// Everything that can go wrong in the store. Tarball variants reuse pnpm's codes where pnpm fails
/// the same way; the caller wraps them with the package they concern, which the store never knows.
#[derive(Debug, Error, Diagnostic)]
pub enum StoreError {
    #[error("store I/O failed: {action} {path}")]
    #[diagnostic(
        code(ERR_LADE_STORE_IO),
        help(
            "check that the store and the project directory are writable and the disk is not full"
        )
    )]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("the tarball is not a valid gzip stream")]
    #[diagnostic(
        code(ERR_PNPM_TARBALL_GZIP),
        help("the download is corrupt or truncated; clear the cached tarball and fetch it again")
    )]
    TarballGzip {
        #[source]
        source: std::io::Error,
    },

    #[error("the tarball is not a valid tar archive")]
    #[diagnostic(
        code(ERR_PNPM_TARBALL_TAR),
        help("the package was published with a damaged archive; report it to its maintainers")
    )]
    TarballTar {
        #[source]
        source: std::io::Error,
    },

    #[error("tarball entry {entry:?} ends before its declared size of {declared} bytes")]
    #[diagnostic(
        code(ERR_PNPM_TARBALL_INCOMPLETE_TAR),
        help("the archive is truncated; fetch the package again")
    )]
    TarballIncomplete { entry: String, declared: u64 },

    #[error("tarball entry path {entry:?} escapes the package directory")]
    #[diagnostic(
        code(ERR_PNPM_PATH_TRAVERSAL),
        help(
            "the archive contains `..` or absolute paths; it is hostile or damaged and was rejected"
        )
    )]
    PathTraversal { entry: String },

    #[error("tarball entry {entry:?} has no path below the package's top-level directory")]
    #[diagnostic(
        code(ERR_PNPM_TARBALL_EXTRACT),
        help("npm tarballs keep every file under one top-level directory such as `package/`")
    )]
    EntryOutsidePackageDir { entry: String },

    #[error("the tarball exceeds the extraction limit: {limit}")]
    #[diagnostic(
        code(ERR_LADE_TARBALL_TOO_LARGE),
        help(
            "the archive unpacks to more data or more entries than any real package; it was rejected as a decompression bomb"
        )
    )]
    TarballTooLarge { limit: String },

    #[error("the tarball's package.json is {size} bytes, above the {limit}-byte limit")]
    #[diagnostic(
        code(ERR_LADE_TARBALL_MANIFEST_TOO_LARGE),
        help("a real package.json is a few kilobytes; the archive was rejected as hostile")
    )]
    ManifestTooLarge { size: u64, limit: u64 },

    #[error("cannot open the store index {path}")]
    #[diagnostic(
        code(ERR_LADE_STORE_INDEX_OPEN),
        help("check that the store directory is writable and its disk is not full")
    )]
    IndexOpen {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },

    #[error("the store index {path} is not a valid database")]
    #[diagnostic(
        code(ERR_LADE_STORE_INDEX_CORRUPT),
        help(
            "move the file aside; the next install rebuilds the index from the packages it fetches"
        )
    )]
    IndexCorrupt {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },

    #[error("reading or writing the store index {path} failed")]
    #[diagnostic(
        code(ERR_LADE_STORE_INDEX_QUERY),
        help(
            "if the disk is full, free space and retry; otherwise another process may have held the index locked too long: retry the command"
        )
    )]
    IndexQuery {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },

    #[error("store index row cannot be decoded at byte {offset}: {reason}")]
    #[diagnostic(
        code(ERR_LADE_STORE_INDEX_DECODE),
        help("treat the row as missing: fetch the package again and overwrite it")
    )]
    IndexDecode { offset: usize, reason: &'static str },

    #[error("store index row for {key:?} cannot be encoded: {reason}")]
    #[diagnostic(
        code(ERR_LADE_STORE_INDEX_ENCODE),
        help("this is a bug in lade; please report it")
    )]
    IndexEncode { key: String, reason: &'static str },

    #[error("store index lists the unsafe file path {file:?}")]
    #[diagnostic(
        code(ERR_LADE_STORE_UNSAFE_PATH),
        help("the index row was tampered with or damaged; fetch the package again")
    )]
    UnsafeIndexPath { file: String },

    #[error("cannot import {file:?} into {target}")]
    #[diagnostic(
        code(ERR_LADE_STORE_IMPORT),
        help(
            "check that node_modules is writable; with package-import-method=clone the file system must support reflinks"
        )
    )]
    Import {
        file: String,
        target: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl StoreError {
    pub(crate) fn io(
        action: &'static str,
        path: impl Into<PathBuf>,
        source: std::io::Error,
    ) -> Self {
        StoreError::Io { action, path: path.into(), source }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use miette::Diagnostic;

    fn code(error: &StoreError) -> String {
        error.code().map(|code| code.to_string()).unwrap_or_default()
    }

    #[test]
    fn codes_are_stable() {
        let io = || std::io::Error::other("x");
        let sql = || rusqlite::Error::InvalidQuery;
        let cases = [
            (StoreError::io("open", "/x", io()), "ERR_LADE_STORE_IO"),
            (StoreError::TarballGzip { source: io() }, "ERR_PNPM_TARBALL_GZIP"),
            (StoreError::TarballTar { source: io() }, "ERR_PNPM_TARBALL_TAR"),
            (
                StoreError::TarballIncomplete { entry: "a".into(), declared: 1 },
                "ERR_PNPM_TARBALL_INCOMPLETE_TAR",
            ),
            (StoreError::PathTraversal { entry: "../a".into() }, "ERR_PNPM_PATH_TRAVERSAL"),
            (StoreError::EntryOutsidePackageDir { entry: "a".into() }, "ERR_PNPM_TARBALL_EXTRACT"),
            (StoreError::TarballTooLarge { limit: "x".into() }, "ERR_LADE_TARBALL_TOO_LARGE"),
            (
                StoreError::ManifestTooLarge { size: 2, limit: 1 },
                "ERR_LADE_TARBALL_MANIFEST_TOO_LARGE",
            ),
            (
                StoreError::IndexOpen { path: "/i".into(), source: sql() },
                "ERR_LADE_STORE_INDEX_OPEN",
            ),
            (
                StoreError::IndexCorrupt { path: "/i".into(), source: sql() },
                "ERR_LADE_STORE_INDEX_CORRUPT",
            ),
            (
                StoreError::IndexQuery { path: "/i".into(), source: sql() },
                "ERR_LADE_STORE_INDEX_QUERY",
            ),
            (StoreError::IndexDecode { offset: 0, reason: "x" }, "ERR_LADE_STORE_INDEX_DECODE"),
            (
                StoreError::IndexEncode { key: "k".into(), reason: "x" },
                "ERR_LADE_STORE_INDEX_ENCODE",
            ),
            (StoreError::UnsafeIndexPath { file: "../a".into() }, "ERR_LADE_STORE_UNSAFE_PATH"),
            (
                StoreError::Import { file: "a".into(), target: "/t".into(), source: io() },
                "ERR_LADE_STORE_IMPORT",
            ),
        ];
        for (error, expected) in cases {
            assert_eq!(code(&error), expected, "{error}");
        }
    }
}
