use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::sync::atomic::AtomicU8;

use super::method::tiered;
use super::*;
use crate::{FileDigest, FileInfo};

fn store() -> (tempfile::TempDir, StoreDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = StoreDir::new(dir.path().join("store"));
    (dir, store)
}

/// Paths chosen so that byte order interleaves siblings (`a-b`, `a.d`, `a/…`).
const FILES: &[(&str, &[u8], bool)] = &[
    ("package.json", b"{\"name\":\"x\"}", false),
    ("a-b/x.js", b"1", false),
    ("a.d/e.js", b"2", false),
    ("a/b/c.js", b"3", false),
    ("a/b/c/d/deep.js", b"4", false),
    ("a/b2/d.js", b"5", false),
    ("a/z.js", b"6", false),
    ("bin/cli", b"#!/bin/sh\n", true),
    ("z.js", b"7", false),
];

fn package(store: &StoreDir) -> PackageFilesIndex {
    let mut index = PackageFilesIndex::default();
    for (path, content, executable) in FILES {
        let info = store.write_file(content, *executable).unwrap();
        index.files.insert((*path).to_owned(), info);
    }
    index
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().into_string().unwrap())
        .collect();
    names.sort();
    names
}

fn assert_imported(store: &StoreDir, index: &PackageFilesIndex, target: &Path, shared_inode: bool) {
    for (path, content, executable) in FILES {
        let file = target.join(path);
        assert_eq!(std::fs::read(&file).unwrap(), *content, "{path}");
        let mode = std::fs::metadata(&file).unwrap().permissions().mode();
        assert_eq!(mode & 0o100 != 0, *executable, "{path} mode {mode:o}");
        let info = &index.files[*path];
        let source = store.file_path(&info.digest, info.is_executable());
        let same =
            std::fs::metadata(&file).unwrap().ino() == std::fs::metadata(source).unwrap().ino();
        assert_eq!(same, shared_inode, "{path}");
    }
}

fn reflink_works(dir: &Path) -> bool {
    let source = dir.join("probe-source");
    std::fs::write(&source, b"probe").unwrap();
    reflink_copy::reflink(&source, dir.join("probe-clone")).is_ok()
}

#[test]
fn imports_with_each_method() {
    let (dir, store) = store();
    let index = package(&store);
    let node_modules = dir.path().join("project/node_modules/.pnpm/x@1/node_modules");
    let reflinks = reflink_works(dir.path());
    let methods = [
        (ImportMethod::Hardlink, Some(LinkMethod::Hardlink)),
        (ImportMethod::Copy, Some(LinkMethod::Copy)),
        (
            ImportMethod::CloneOrCopy,
            Some(if reflinks { LinkMethod::Clone } else { LinkMethod::Copy }),
        ),
        (ImportMethod::Auto, Some(if reflinks { LinkMethod::Clone } else { LinkMethod::Hardlink })),
    ];
    for (i, (method, expected)) in methods.into_iter().enumerate() {
        let target = node_modules.join(format!("pkg{i}"));
        let options = ImportOptions { method, verify_store_integrity: true };
        let outcome = store.import_package(&index, &target, options).unwrap();
        assert_eq!(
            outcome,
            ImportOutcome::Imported { method: expected, rehashed_files: 0 },
            "{method:?}"
        );
        assert_imported(&store, &index, &target, expected == Some(LinkMethod::Hardlink));
    }
    let clone = store.import_package(
        &index,
        &node_modules.join("cloned"),
        ImportOptions { method: ImportMethod::Clone, verify_store_integrity: false },
    );
    assert_eq!(clone.is_ok(), reflinks, "{clone:?}");
    let mut expected: Vec<String> = (0..4).map(|i| format!("pkg{i}")).collect();
    if reflinks {
        expected.insert(0, "cloned".into());
    }
    assert_eq!(names_in(&node_modules), expected, "no staging directories left behind");
}

#[test]
fn replaces_an_existing_package_directory() {
    let (dir, store) = store();
    let index = package(&store);
    let target = dir.path().join("node_modules/x");
    std::fs::create_dir_all(target.join("stale/dir")).unwrap();
    std::fs::write(target.join("stale/dir/old.js"), b"old").unwrap();
    let outcome = store.import_package(&index, &target, ImportOptions::default()).unwrap();
    assert!(matches!(outcome, ImportOutcome::Imported { .. }));
    assert!(!target.join("stale").exists());
    assert_imported(&store, &index, &target, true);
    assert_eq!(names_in(target.parent().unwrap()), ["x"]);
}

#[test]
fn replaces_a_symlink_or_file_at_the_target_without_following_it() {
    let (dir, store) = store();
    let index = package(&store);
    let outside = dir.path().join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    let target = dir.path().join("node_modules/x");
    std::fs::create_dir_all(target.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink(&outside, &target).unwrap();
    store.import_package(&index, &target, ImportOptions::default()).unwrap();
    assert_imported(&store, &index, &target, true);
    assert!(names_in(&outside).is_empty(), "nothing written through the symlink");

    let file_target = dir.path().join("node_modules/y");
    std::fs::write(&file_target, b"a file").unwrap();
    store.import_package(&index, &file_target, ImportOptions::default()).unwrap();
    assert_imported(&store, &index, &file_target, true);
    assert_eq!(names_in(target.parent().unwrap()), ["x", "y"]);
}

#[test]
fn missing_or_modified_store_files_need_a_refetch() {
    let (dir, store) = store();
    let index = package(&store);
    let info = index.files["a/z.js"];
    let source = store.file_path(&info.digest, false);
    let target = dir.path().join("node_modules/x");

    std::fs::write(&source, b"X").unwrap();
    let future = std::time::SystemTime::now() + std::time::Duration::from_secs(10);
    std::fs::File::options().write(true).open(&source).unwrap().set_modified(future).unwrap();
    let outcome = store.import_package(&index, &target, ImportOptions::default()).unwrap();
    let modified =
        ImportOutcome::NeedsRefetch { file: "a/z.js".into(), reason: StaleReason::Modified };
    assert_eq!(outcome, modified);

    std::fs::remove_file(&source).unwrap();
    for verify_store_integrity in [true, false] {
        let options = ImportOptions { method: ImportMethod::Hardlink, verify_store_integrity };
        let outcome = store.import_package(&index, &target, options).unwrap();
        let missing =
            ImportOutcome::NeedsRefetch { file: "a/z.js".into(), reason: StaleReason::Missing };
        assert_eq!(outcome, missing);
    }
    assert!(names_in(target.parent().unwrap()).is_empty(), "nothing placed, nothing left over");
}

#[test]
fn rehashes_touched_files_and_still_imports() {
    let (dir, store) = store();
    let index = package(&store);
    let info = index.files["z.js"];
    let source = store.file_path(&info.digest, false);
    let future = std::time::SystemTime::now() + std::time::Duration::from_secs(10);
    std::fs::File::options().write(true).open(&source).unwrap().set_modified(future).unwrap();
    let outcome = store.import_package(&index, &dir.path().join("x"), ImportOptions::default());
    assert_eq!(
        outcome.unwrap(),
        ImportOutcome::Imported { method: Some(LinkMethod::Hardlink), rehashed_files: 1 }
    );
}

#[test]
fn refuses_index_paths_that_leave_the_package() {
    let (dir, store) = store();
    let info = store.write_file(b"x", false).unwrap();
    for bad in ["../escape.js", "a/../../b.js", "/abs.js", "a//b.js", "a\\..\\b.js", "./a.js", "a/"]
    {
        let mut index = PackageFilesIndex::default();
        index.files.insert(bad.to_owned(), info);
        let error =
            store.import_package(&index, &dir.path().join("nm/x"), ImportOptions::default());
        assert!(matches!(error, Err(StoreError::UnsafeIndexPath { .. })), "{bad}: {error:?}");
    }
    assert!(names_in(&dir.path().join("nm")).is_empty());
    assert!(!dir.path().join("escape.js").exists() && !dir.path().join("nm/escape.js").exists());
}

#[test]
fn an_empty_package_is_an_empty_directory() {
    let (dir, store) = store();
    let target = dir.path().join("x");
    let outcome =
        store.import_package(&PackageFilesIndex::default(), &target, ImportOptions::default());
    assert_eq!(outcome.unwrap(), ImportOutcome::Imported { method: None, rehashed_files: 0 });
    assert!(names_in(&target).is_empty());
}

#[test]
fn auto_remembers_a_tier_that_does_not_work_here() {
    let (dir, store) = store();
    let info: FileInfo = store.write_file(b"tiers", false).unwrap();
    let source = store.shards().file(&info.digest, false).unwrap();
    let absent_digest = FileDigest::of(b"never written");
    store.shards().ensure(absent_digest.shard()).unwrap();
    let absent = store.shards().file(&absent_digest, false).unwrap();
    let stage = TargetDir::open(dir.path()).unwrap();
    let reflinks = reflink_works(dir.path());
    let state = AtomicU8::new(0);
    let used = tiered(&state, &LinkMethod::ALL, &stage, &source, "first", false).unwrap();
    assert_eq!(used, if reflinks { LinkMethod::Clone } else { LinkMethod::Hardlink });
    assert_eq!(state.load(Ordering::Relaxed), if reflinks { 0 } else { 1 });
    let used = tiered(&state, &LinkMethod::ALL, &stage, &source, "second", false).unwrap();
    assert_eq!(used, if reflinks { LinkMethod::Clone } else { LinkMethod::Hardlink });

    let clone_or_copy = AtomicU8::new(0);
    let tiers = [LinkMethod::Clone, LinkMethod::Copy];
    let used = tiered(&clone_or_copy, &tiers, &stage, &source, "third", true).unwrap();
    assert_eq!(used, if reflinks { LinkMethod::Clone } else { LinkMethod::Copy });

    let error = tiered(&state, &LinkMethod::ALL, &stage, &absent, "fourth", false);
    assert_eq!(error.unwrap_err().kind(), std::io::ErrorKind::NotFound);
    assert_eq!(
        state.load(Ordering::Relaxed),
        if reflinks { 0 } else { 1 },
        "a missing source is no reason to downgrade"
    );
    let exists = tiered(&state, &LinkMethod::ALL, &stage, &source, "first", false);
    assert_eq!(exists.unwrap_err().kind(), std::io::ErrorKind::AlreadyExists);
}

#[test]
fn parallel_imports_of_one_package() {
    use rayon::prelude::*;
    let (dir, store) = store();
    let index = package(&store);
    let root = dir.path().join("node_modules");
    (0..32).into_par_iter().for_each(|i| {
        let outcome =
            store.import_package(&index, &root.join(format!("p{i}")), ImportOptions::default());
        assert!(matches!(outcome, Ok(ImportOutcome::Imported { .. })), "{outcome:?}");
    });
    assert_eq!(names_in(&root).len(), 32);
}

#[test]
fn long_package_names_stage_within_the_name_limit() {
    let (dir, store) = store();
    let index = package(&store);
    let name = "é".repeat(120);
    let outcome = store.import_package(&index, &dir.path().join(&name), ImportOptions::default());
    assert!(matches!(outcome, Ok(ImportOutcome::Imported { .. })), "{outcome:?}");
    assert!(dir.path().join(name).join("package.json").is_file());
}
