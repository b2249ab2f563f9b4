use std::collections::BTreeMap;

use crate::FileDigest;

/// Files of one package, by path relative to the package root (`/`-separated), sorted so an
/// importer meets every directory's files together and creates each directory once.
pub type PackageFiles = BTreeMap<String, FileInfo>;

/// One row of `index.db`: what a package's tarball put into the store. Field for field the
/// object pnpm 11 and pnpm 12 keep under `<integrity>\t<name>@<version>`; every file digest is
/// SHA-512 (pnpm's `algo: "sha512"`, which the codec writes and checks).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PackageFilesIndex {
    /// The subset of `package.json` pnpm keeps (see [`crate::bundled_manifest`]); `None` when the
    /// tarball had no parseable `package.json`.
    pub manifest: Option<serde_json::Value>,
    /// Whether the package has install scripts or native build hooks (pnpm's `requiresBuild`).
    pub requires_build: Option<bool>,
    /// Every regular file of the package.
    pub files: PackageFiles,
    /// Builds cached by pnpm, by side-effects cache key.
    pub side_effects: Option<BTreeMap<String, SideEffectsDiff>>,
    /// SHA-512 of the decompressed tar, which pnpm 12.21 records (`tarIntegrity`) so a
    /// recompressed copy of the same tarball can find this row.
    pub tar_integrity: Option<String>,
}

/// A file of a package and the store file holding its content.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FileInfo {
    /// The SHA-512 of the content, which names the store file.
    pub digest: FileDigest,
    /// Mode from the tar header; only the executable bits matter to the store.
    pub mode: u32,
    /// Content length in bytes.
    pub size: u64,
    /// When the store file was last known to hold `digest` (Unix ms, a JS number in pnpm). A store
    /// file modified after this is re-hashed before it is trusted.
    pub checked_at: Option<f64>,
}

impl FileInfo {
    /// Whether the file is executable, which selects the store's `-exec` copy of the content.
    pub fn is_executable(&self) -> bool {
        is_executable(self.mode)
    }
}

/// pnpm's rule: any of the owner, group or other execute bits.
pub(crate) fn is_executable(mode: u32) -> bool {
    mode & 0o111 != 0
}

/// What a package's build changed, relative to its tarball's files.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SideEffectsDiff {
    /// Files the build created or changed.
    pub added: Option<PackageFiles>,
    /// Files the build removed.
    pub deleted: Option<Vec<String>>,
}
