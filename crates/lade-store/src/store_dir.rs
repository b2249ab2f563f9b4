use std::path::{Path, PathBuf};

use crate::FileDigest;
use crate::digest::{ShardFileName, shard_dir_name};
use crate::link_strategy::ShardDirs;

/// The layout version pnpm 11 and 12 append to the configured store path.
pub const STORE_VERSION: &str = "v11";

/// A content-addressable store shared with pnpm: `<root>/files/XX/<rest>[-exec]` holds file
/// contents by SHA-512, `<root>/index.db` lists each package's files. `root` is the configured
/// store path plus `v11`, the path pnpm records as `storeDir` in `.modules.yaml`.
#[derive(Debug)]
pub struct StoreDir {
    root: PathBuf,
    files: PathBuf,
    shards: ShardDirs,
}

/// The operating systems whose default store locations differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum HostOs {
    Linux,
    MacOs,
    Windows,
}

impl HostOs {
    fn current() -> Self {
        if cfg!(target_os = "macos") {
            HostOs::MacOs
        } else if cfg!(windows) {
            HostOs::Windows
        } else {
            HostOs::Linux
        }
    }
}

impl StoreDir {
    /// Opens the store at a configured path. As pnpm does, `v11` is appended unless the path
    /// already ends with it, so `--store-dir ~/s` and `--store-dir ~/s/v11` are one store.
    pub fn new(configured_path: impl Into<PathBuf>) -> Self {
        let configured = configured_path.into();
        let root = if configured.file_name().is_some_and(|name| name == STORE_VERSION) {
            configured
        } else {
            configured.join(STORE_VERSION)
        };
        let files = root.join("files");
        StoreDir { shards: ShardDirs::new(files.clone()), root, files }
    }

    /// pnpm's default store path (without `v11`), from the environment and home directory:
    /// `$PNPM_HOME/store`, else `$XDG_DATA_HOME/pnpm/store`, else the platform's data directory
    /// (`~/.local/share/pnpm/store`, `~/Library/pnpm/store`, `%LOCALAPPDATA%\pnpm\store`).
    /// `None` when neither the environment nor a home directory gives a location. pnpm moves
    /// the store to `<volume>/.pnpm-store` when the project is on another volume; that choice
    /// needs the project path and belongs to the caller.
    pub fn default_path(
        env: &impl Fn(&str) -> Option<String>,
        home: Option<&Path>,
    ) -> Option<PathBuf> {
        default_path_for(HostOs::current(), env, home)
    }

    /// The store root, `<configured path>/v11`.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// `<root>/files`, the parent of the 256 shard directories.
    pub fn files_dir(&self) -> &Path {
        &self.files
    }

    /// `<root>/index.db`.
    pub fn index_db_path(&self) -> PathBuf {
        self.root.join("index.db")
    }

    /// Where the store keeps a file's content: `files/<2 hex>/<126 hex>`, with `-exec` for
    /// executables, exactly as pnpm names it.
    pub fn file_path(&self, digest: &FileDigest, executable: bool) -> PathBuf {
        let mut path = self.files.join(shard_dir_name(digest.shard()));
        path.push(ShardFileName::new(digest, executable).as_str());
        path
    }

    pub(crate) fn shards(&self) -> &ShardDirs {
        &self.shards
    }
}

fn default_path_for(
    os: HostOs,
    env: &impl Fn(&str) -> Option<String>,
    home: Option<&Path>,
) -> Option<PathBuf> {
    let set = |name: &str| env(name).filter(|value| !value.is_empty());
    if let Some(pnpm_home) = set("PNPM_HOME") {
        return Some(PathBuf::from(pnpm_home).join("store"));
    }
    if let Some(data_home) = set("XDG_DATA_HOME") {
        return Some(PathBuf::from(data_home).join("pnpm").join("store"));
    }
    let data_dir = match os {
        HostOs::Linux => home?.join(".local").join("share").join("pnpm"),
        HostOs::MacOs => home?.join("Library").join("pnpm"),
        HostOs::Windows => match set("LOCALAPPDATA") {
            Some(local) => PathBuf::from(local).join("pnpm"),
            None => home?.join(".pnpm"),
        },
    };
    Some(data_dir.join("store"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env_of(vars: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| vars.iter().find(|(key, _)| *key == name).map(|(_, value)| value.to_string())
    }

    #[test]
    fn appends_the_layout_version_once() {
        assert_eq!(StoreDir::new("/s").root(), Path::new("/s/v11"));
        assert_eq!(StoreDir::new("/s/v11").root(), Path::new("/s/v11"));
        assert_eq!(StoreDir::new("/s").index_db_path(), Path::new("/s/v11/index.db"));
    }

    #[test]
    fn names_files_like_pnpm() {
        let store = StoreDir::new("/s");
        let digest = FileDigest::of(b"hello");
        let hex = digest.to_hex();
        let plain = store.file_path(&digest, false);
        assert_eq!(plain, Path::new(&format!("/s/v11/files/{}/{}", &hex[..2], &hex[2..])));
        let exec = store.file_path(&digest, true);
        assert_eq!(exec, Path::new(&format!("/s/v11/files/{}/{}-exec", &hex[..2], &hex[2..])));
    }

    #[test]
    fn default_path_follows_pnpm() {
        let home = Some(Path::new("/home/u"));
        let none = env_of(&[]);
        let cases = [
            (HostOs::Linux, env_of(&[("PNPM_HOME", "/p"), ("XDG_DATA_HOME", "/x")]), "/p/store"),
            (HostOs::Linux, env_of(&[("XDG_DATA_HOME", "/x")]), "/x/pnpm/store"),
            (HostOs::Linux, env_of(&[("PNPM_HOME", "")]), "/home/u/.local/share/pnpm/store"),
            (HostOs::MacOs, env_of(&[]), "/home/u/Library/pnpm/store"),
            (HostOs::Windows, env_of(&[("LOCALAPPDATA", "/l")]), "/l/pnpm/store"),
            (HostOs::Windows, env_of(&[]), "/home/u/.pnpm/store"),
        ];
        for (os, env, expected) in cases {
            assert_eq!(default_path_for(os, &env, home), Some(PathBuf::from(expected)), "{os:?}");
        }
        assert_eq!(default_path_for(HostOs::Linux, &none, None), None);
        assert_eq!(
            default_path_for(HostOs::Linux, &env_of(&[("PNPM_HOME", "/p")]), None),
            Some(PathBuf::from("/p/store"))
        );
    }
}
