use std::os::unix::fs::{MetadataExt, PermissionsExt};

use super::*;

fn store() -> (tempfile::TempDir, StoreDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = StoreDir::new(dir.path());
    (dir, store)
}

/// Every name under `files/` and `tmp/` that is not a finished store file.
fn leftovers(store: &StoreDir) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for dir in [store.files_dir().to_path_buf(), store.root().join("tmp")] {
        let Ok(shards) = std::fs::read_dir(&dir) else { continue };
        for entry in shards.flatten() {
            let path = entry.path();
            if path.is_dir() {
                found.extend(std::fs::read_dir(&path).unwrap().flatten().map(|e| e.path()));
            } else {
                found.push(path);
            }
        }
    }
    found.retain(|path| path.file_name().unwrap().to_string_lossy().starts_with("tmp-"));
    found
}

#[test]
fn writes_content_at_its_address_with_pnpms_modes() {
    let (_dir, store) = store();
    let info = store.write_file(b"console.log(1)\n", false).unwrap();
    assert_eq!(info.digest, FileDigest::of(b"console.log(1)\n"));
    assert_eq!((info.mode, info.size), (0o644, 15));
    assert!(info.checked_at.unwrap() > 1.6e12);
    let path = store.file_path(&info.digest, false);
    assert_eq!(std::fs::read(&path).unwrap(), b"console.log(1)\n");
    let umask_mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(umask_mode & 0o111, 0);

    let exec = store.write_file(b"#!/bin/sh\n", true).unwrap();
    assert_eq!(exec.mode, 0o755);
    let exec_path = store.file_path(&exec.digest, true);
    assert!(exec_path.to_string_lossy().ends_with("-exec"));
    assert_eq!(std::fs::metadata(&exec_path).unwrap().permissions().mode() & 0o100, 0o100);
    assert!(leftovers(&store).is_empty());
}

#[test]
fn reuses_an_intact_file_and_replaces_a_torn_one() {
    let (_dir, store) = store();
    let first = store.write_file(b"same", false).unwrap();
    let path = store.file_path(&first.digest, false);
    let inode = std::fs::metadata(&path).unwrap().ino();
    store.write_file(b"same", false).unwrap();
    assert_eq!(std::fs::metadata(&path).unwrap().ino(), inode, "intact file kept");

    std::fs::write(&path, b"sam").unwrap();
    store.write_file(b"same", false).unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), b"same");

    std::fs::write(&path, b"SAME").unwrap();
    store.write_file(b"same", false).unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), b"same");

    std::fs::remove_file(&path).unwrap();
    let elsewhere = store.root().join("elsewhere");
    std::fs::write(&elsewhere, b"same").unwrap();
    std::os::unix::fs::symlink(&elsewhere, &path).unwrap();
    store.write_file(b"same", false).unwrap();
    assert!(std::fs::symlink_metadata(&path).unwrap().is_file(), "symlink replaced by a file");
    assert!(leftovers(&store).is_empty());
}

#[test]
fn streams_large_files_and_refuses_short_ones() {
    let (_dir, store) = store();
    let content: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
    let info = store.write_file_from_reader(&mut content.as_slice(), false, 300_000).unwrap();
    assert_eq!(info.digest, FileDigest::of(&content));
    assert_eq!(std::fs::read(store.file_path(&info.digest, false)).unwrap(), content);
    let again = store.write_file_from_reader(&mut content.as_slice(), false, 300_000).unwrap();
    assert_eq!(again.digest, info.digest);

    let short = store.write_file_from_reader(&mut &content[..10], false, 300_000);
    assert!(matches!(short, Err(StreamError::SizeMismatch)));
    let mut failing = std::io::Read::chain(&b"abc"[..], FailingReader);
    let failed = store.write_file_from_reader(&mut failing, false, 3);
    assert!(matches!(failed, Err(StreamError::Read(_))));
    assert!(leftovers(&store).is_empty());
}

struct FailingReader;

impl Read for FailingReader {
    fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
        Err(io::Error::other("network went away"))
    }
}

#[test]
fn concurrent_writers_of_one_content_agree() {
    let (_dir, store) = store();
    let content = vec![7u8; 100_000];
    std::thread::scope(|scope| {
        for _ in 0..8 {
            scope.spawn(|| store.write_file(&content, false).unwrap());
        }
    });
    let path = store.file_path(&FileDigest::of(&content), false);
    assert_eq!(std::fs::read(path).unwrap(), content);
    assert!(leftovers(&store).is_empty());
}
