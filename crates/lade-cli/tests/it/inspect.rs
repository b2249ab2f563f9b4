//! What the reliability tests compare: a `node_modules` tree listed the way
//! `../shared/tools/tree-listing.sh --hash` lists it, and a store checked file by file and row by
//! row.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use lade_store::{StoreDir, StoreIndex, decode_package_files_index};
use sha2::{Digest, Sha512};

/// One line per entry under every top-level `node_modules` of `project` (symlinks not followed):
/// `d path`, `f path size x|- sha512` or `l path target`, sorted. Install bookkeeping is left out
/// as tree-listing.sh leaves it out: `.modules.yaml`, `.pnpm/lock.yaml`, `.pnpm/*.lock`. The
/// project's own path inside a file (`.bin` shims set an absolute NODE_PATH) reads as
/// `$PROJECT`, so trees of projects in different directories compare equal.
pub fn tree_listing(project: &Path) -> Vec<String> {
    let project_path = project.canonicalize().unwrap().to_string_lossy().into_owned();
    let mut lines = Vec::new();
    let mut pending = Vec::new();
    collect_modules_dirs(project, &mut pending);
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            let relative = path.strip_prefix(project).unwrap().to_string_lossy().into_owned();
            if is_bookkeeping(&relative) {
                continue;
            }
            let meta = std::fs::symlink_metadata(&path).unwrap();
            if meta.file_type().is_symlink() {
                let target = std::fs::read_link(&path).unwrap();
                lines.push(format!("l\t{relative}\t{}", target.display()));
            } else if meta.is_dir() {
                lines.push(format!("d\t{relative}"));
                pending.push(path);
            } else {
                let executable = if meta.permissions().mode() & 0o111 != 0 { "x" } else { "-" };
                let content = std::fs::read(&path).unwrap();
                let content = replace_bytes(&content, project_path.as_bytes(), b"$PROJECT");
                let digest = hex::encode(Sha512::digest(&content));
                lines.push(format!("f\t{relative}\t{}\t{executable}\t{digest}", content.len()));
            }
        }
    }
    lines.sort();
    lines
}

fn replace_bytes(haystack: &[u8], needle: &[u8], with: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(haystack.len());
    let mut rest = haystack;
    while let Some(at) = rest.windows(needle.len()).position(|window| window == needle) {
        out.extend_from_slice(&rest[..at]);
        out.extend_from_slice(with);
        rest = &rest[at + needle.len()..];
    }
    out.extend_from_slice(rest);
    out
}

fn collect_modules_dirs(dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        if !entry.file_type().is_ok_and(|kind| kind.is_dir()) {
            continue;
        }
        if entry.file_name() == "node_modules" {
            found.push(entry.path());
        } else {
            collect_modules_dirs(&entry.path(), found);
        }
    }
}

fn is_bookkeeping(relative: &str) -> bool {
    let parts: Vec<&str> = relative.rsplit('/').take(3).collect();
    match parts[..] {
        [".modules.yaml", "node_modules", ..] => true,
        [name, ".pnpm", "node_modules"] => name == "lock.yaml" || name.ends_with(".lock"),
        _ => false,
    }
}

/// The state of a store after a test: every content file re-hashed, every row decoded and its
/// files looked up.
#[derive(Debug, Default)]
pub struct StoreCheck {
    /// Content-addressed files that were re-hashed.
    pub files: usize,
    /// Files whose content does not match their name.
    pub corrupt: Vec<PathBuf>,
    /// Anything under `files/` that is not named by a digest (temporary files of writes that
    /// did not finish).
    pub stray: Vec<PathBuf>,
    /// Index rows.
    pub rows: usize,
    /// Rows that cannot be decoded, or that list a file the store does not have.
    pub broken_rows: Vec<String>,
}

impl StoreCheck {
    #[track_caller]
    pub fn assert_sound(&self) {
        assert!(self.corrupt.is_empty(), "store files that do not match their digest: {self:#?}");
        assert!(self.broken_rows.is_empty(), "index rows that cannot be used: {self:#?}");
    }
}

/// Re-hashes every file of the store at `configured` (the `--store-dir` path) and checks every
/// index row against the files.
pub fn check_store(configured: &Path) -> StoreCheck {
    let store = StoreDir::new(configured);
    let mut check = StoreCheck::default();
    for shard in read_dir_paths(store.files_dir()) {
        for file in read_dir_paths(&shard) {
            let shard_hex = shard.file_name().unwrap().to_string_lossy().into_owned();
            let name = file.file_name().unwrap().to_string_lossy().into_owned();
            let hex = format!("{shard_hex}{}", name.trim_end_matches("-exec"));
            if hex.len() != 128 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                check.stray.push(file);
                continue;
            }
            check.files += 1;
            let actual = hex::encode(Sha512::digest(std::fs::read(&file).unwrap()));
            if actual != hex {
                check.corrupt.push(file);
            }
        }
    }
    let Some(index) = StoreIndex::open_readonly(&store).unwrap() else { return check };
    for (key, bytes) in index.all_raw().unwrap() {
        check.rows += 1;
        match decode_package_files_index(&bytes) {
            Ok(row) if store.verify_package(&row).is_empty() => {}
            Ok(row) => check.broken_rows.push(format!("{key}: {:?}", store.verify_package(&row))),
            Err(error) => check.broken_rows.push(format!("{key}: {error}")),
        }
    }
    check
}

fn read_dir_paths(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut paths: Vec<PathBuf> = entries.flatten().map(|entry| entry.path()).collect();
    paths.sort();
    paths
}

/// Every path under `root` (symlinks not followed) whose file name contains `needle`.
pub fn paths_named(root: &Path, needle: &str) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for path in read_dir_paths(&dir) {
            if path.file_name().is_some_and(|name| name.to_string_lossy().contains(needle)) {
                found.push(path.clone());
            }
            if std::fs::symlink_metadata(&path).is_ok_and(|meta| meta.is_dir()) {
                pending.push(path);
            }
        }
    }
    found
}

/// Fails with the lines that differ, not two whole listings.
#[track_caller]
pub fn assert_same_tree(actual: &[String], expected: &[String], what: &str) {
    if actual != expected {
        let extra: Vec<_> = actual.iter().filter(|line| !expected.contains(line)).collect();
        let missing: Vec<_> = expected.iter().filter(|line| !actual.contains(line)).collect();
        panic!("{what}: the tree differs\nextra: {extra:#?}\nmissing: {missing:#?}");
    }
}
