use std::io::Write;

use flate2::Compression;
use flate2::write::GzEncoder;
use tar::{EntryType, Header};

use super::*;
use crate::FileDigest;

fn store() -> (tempfile::TempDir, StoreDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = StoreDir::new(dir.path());
    (dir, store)
}

fn gzip(tar: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::fast());
    encoder.write_all(tar).unwrap();
    encoder.finish().unwrap()
}

/// One tar entry with a raw name written into the header, bypassing the tar crate's checks.
fn raw_entry(tar: &mut Vec<u8>, name: &[u8], kind: EntryType, mode: u32, data: &[u8]) {
    let mut header = Header::new_ustar();
    header.as_old_mut().name[..name.len()].copy_from_slice(name);
    header.set_entry_type(kind);
    header.set_mode(mode);
    header.set_size(data.len() as u64);
    header.set_cksum();
    tar.extend_from_slice(header.as_bytes());
    tar.extend_from_slice(data);
    tar.resize(tar.len().div_ceil(512) * 512, 0);
}

fn finish(mut tar: Vec<u8>) -> Vec<u8> {
    tar.extend_from_slice(&[0u8; 1024]);
    tar
}

const MANIFEST: &[u8] = br#"{"name":"demo","version":"1.0.0","bin":{"demo":"bin/cli.js"},"main":"index.js","scripts":{"test":"x"}}"#;

fn demo_tar() -> Vec<u8> {
    let mut tar = Vec::new();
    raw_entry(&mut tar, b"package/", EntryType::Directory, 0o755, b"");
    raw_entry(&mut tar, b"package/package.json", EntryType::Regular, 0o644, MANIFEST);
    raw_entry(&mut tar, b"package/index.js", EntryType::Regular, 0o644, b"module.exports = 1\n");
    raw_entry(&mut tar, b"package/bin/cli.js", EntryType::Regular, 0o755, b"#!/usr/bin/env node\n");
    raw_entry(&mut tar, b"package/link", EntryType::Symlink, 0o777, b"");
    raw_entry(&mut tar, b"package/hard", EntryType::Link, 0o644, b"");
    raw_entry(&mut tar, b"package/fifo", EntryType::Fifo, 0o644, b"");
    raw_entry(&mut tar, b"package/dev", EntryType::Char, 0o644, b"");
    finish(tar)
}

#[test]
fn adds_regular_files_and_builds_the_row() {
    let (_dir, store) = store();
    let tar = demo_tar();
    let with_tar_integrity = ExtractOptions { tar_integrity: true, ..ExtractOptions::default() };
    let added = store.add_tarball_with(&gzip(&tar), &with_tar_integrity).unwrap();
    let files: Vec<&str> = added.index.files.keys().map(String::as_str).collect();
    assert_eq!(files, ["bin/cli.js", "index.js", "package.json"]);
    let cli = &added.index.files["bin/cli.js"];
    assert_eq!((cli.mode, cli.size), (0o755, 20));
    assert!(store.file_path(&cli.digest, true).is_file());
    let index = &added.index.files["index.js"];
    assert_eq!(index.digest, FileDigest::of(b"module.exports = 1\n"));
    assert!(store.file_path(&index.digest, false).is_file());
    assert_eq!(added.index.requires_build, Some(false));
    let manifest = added.index.manifest.as_ref().unwrap();
    assert_eq!(
        manifest.as_object().unwrap().keys().collect::<Vec<_>>(),
        ["version", "bin", "name"]
    );
    assert_eq!(added.manifest.as_ref().unwrap()["main"], "index.js");
    let expected = format!(
        "sha512-{}",
        base64::engine::general_purpose::STANDARD.encode(Sha512::digest(&tar))
    );
    assert_eq!(added.index.tar_integrity, Some(expected));
    let plain = store.add_tarball(&tar).unwrap().index;
    assert_eq!(plain.tar_integrity, None, "off by default");
    let plain = plain.files;
    let digests = |files: &PackageFiles| {
        files.iter().map(|(p, i)| (p.clone(), i.digest, i.mode)).collect::<Vec<_>>()
    };
    assert_eq!(digests(&plain), digests(&added.index.files), "plain tar");
}

#[test]
fn follows_pnpm_on_paths() {
    for (raw, expected) in [
        ("package/a.js", "a.js"),
        ("./package/lib/a.js", "lib/a.js"),
        ("package\\lib\\a.js", "lib/a.js"),
        ("node-v1/x//y/./z.js", "x/y/z.js"),
    ] {
        assert_eq!(package_relative_path(raw).unwrap(), expected, "{raw}");
    }
    for traversal in ["/etc/passwd", "package/../../x", "..\\x\\y", "\\abs\\x"] {
        assert!(
            matches!(package_relative_path(traversal), Err(StoreError::PathTraversal { .. })),
            "{traversal}"
        );
    }
    assert!(matches!(
        package_relative_path("index.js"),
        Err(StoreError::EntryOutsidePackageDir { .. })
    ));
}

#[test]
fn rejects_traversal_without_writing_outside_files() {
    let (dir, store) = store();
    for name in [&b"package/../../evil.js"[..], b"/tmp/evil.js"] {
        let mut tar = Vec::new();
        raw_entry(&mut tar, name, EntryType::Regular, 0o644, b"evil");
        let error = store.add_tarball(&gzip(&finish(tar))).unwrap_err();
        assert!(matches!(error, StoreError::PathTraversal { .. }), "{error:?}");
    }
    let mut pending = vec![dir.path().to_path_buf()];
    while let Some(path) = pending.pop() {
        for entry in std::fs::read_dir(path).unwrap().flatten() {
            assert!(entry.file_type().unwrap().is_dir(), "unexpected file {:?}", entry.path());
            pending.push(entry.path());
        }
    }
}

#[test]
fn later_duplicates_win() {
    let (_dir, store) = store();
    let mut tar = Vec::new();
    raw_entry(&mut tar, b"package/a.js", EntryType::Regular, 0o644, b"first");
    raw_entry(&mut tar, b"package/a.js", EntryType::Regular, 0o755, b"second");
    let added = store.add_tarball(&gzip(&finish(tar))).unwrap();
    assert_eq!(added.index.files.len(), 1);
    assert_eq!(added.index.files["a.js"].digest, FileDigest::of(b"second"));
    assert_eq!(added.index.files["a.js"].mode, 0o755);
}

#[test]
fn bounds_decompression_bombs() {
    let (_dir, store) = store();
    let zeros = vec![0u8; 4 << 20];
    let mut tar = Vec::new();
    raw_entry(&mut tar, b"package/zeros", EntryType::Regular, 0o644, &zeros);
    let tgz = gzip(&finish(tar));
    assert!(tgz.len() < 64 << 10, "a bomb: {} compressed bytes", tgz.len());
    let tight = ExtractOptions { max_unpacked_bytes: 1 << 20, ..ExtractOptions::default() };
    let error = store.add_tarball_with(&tgz, &tight).unwrap_err();
    assert!(matches!(error, StoreError::TarballTooLarge { .. }), "{error:?}");

    let mut many = Vec::new();
    for i in 0..20 {
        raw_entry(&mut many, format!("package/{i}").as_bytes(), EntryType::Regular, 0o644, b"x");
    }
    let few = ExtractOptions { max_entries: 10, ..ExtractOptions::default() };
    let error = store.add_tarball_with(&gzip(&finish(many)), &few).unwrap_err();
    assert!(matches!(error, StoreError::TarballTooLarge { .. }), "{error:?}");
}

#[test]
fn bombs_that_declare_their_size_are_refused_at_the_header() {
    let (dir, store) = store();
    let mut header = Header::new_ustar();
    header.as_old_mut().name[..14].copy_from_slice(b"package/bomb.x");
    header.set_entry_type(EntryType::Regular);
    header.set_mode(0o644);
    header.set_size(1 << 40);
    header.set_cksum();
    let mut tar = header.as_bytes().to_vec();
    tar.extend_from_slice(&[0; 512]);
    let tight = ExtractOptions { max_unpacked_bytes: 1 << 30, ..ExtractOptions::default() };
    let error = store.add_tarball_with(&gzip(&tar), &tight).unwrap_err();
    assert!(matches!(error, StoreError::TarballTooLarge { .. }), "{error:?}");
    assert!(!dir.path().join("v11/tmp").exists(), "nothing was streamed to disk");
}

#[test]
fn truncated_archives_fail() {
    let (_dir, store) = store();
    let tgz = gzip(&demo_tar());
    for end in (0..tgz.len() - 1).step_by(7).chain([tgz.len() - 1]) {
        let error = store.add_tarball(&tgz[..end]).unwrap_err();
        assert!(
            matches!(
                error,
                StoreError::TarballGzip { .. }
                    | StoreError::TarballTar { .. }
                    | StoreError::TarballIncomplete { .. }
            ),
            "cut at {end}: {error:?}"
        );
    }
}

#[test]
fn entries_shorter_than_declared_fail() {
    let (_dir, store) = store();
    let mut tar = Vec::new();
    let mut header = Header::new_ustar();
    header.set_path("package/a.js").unwrap();
    header.set_mode(0o644);
    header.set_size(10_000);
    header.set_cksum();
    tar.extend_from_slice(header.as_bytes());
    tar.extend_from_slice(b"only this");
    for tar in [tar.clone(), gzip(&tar)] {
        let error = store.add_tarball(&tar).unwrap_err();
        assert!(matches!(error, StoreError::TarballIncomplete { .. }), "{error:?}");
    }
}

#[test]
fn corrupt_headers_fail_with_a_tar_error() {
    let (_dir, store) = store();
    let mut tar = demo_tar();
    tar[100] ^= 0x55;
    let error = store.add_tarball(&gzip(&tar)).unwrap_err();
    assert!(matches!(error, StoreError::TarballTar { .. }), "{error:?}");
}

#[test]
fn streams_entries_too_large_to_buffer() {
    let (_dir, store) = store();
    let big: Vec<u8> =
        (0..BUFFERED_ENTRY_MAX as usize + 4096).map(|i| (i * 31 % 253) as u8).collect();
    let mut tar = Vec::new();
    raw_entry(&mut tar, b"package/big.bin", EntryType::Regular, 0o644, &big);
    raw_entry(&mut tar, b"package/binding.gyp", EntryType::Regular, 0o644, b"{}");
    let added = store.add_tarball(&gzip(&finish(tar))).unwrap();
    let info = &added.index.files["big.bin"];
    assert_eq!(info.digest, FileDigest::of(&big));
    assert_eq!(std::fs::read(store.file_path(&info.digest, false)).unwrap(), big);
    assert_eq!(added.index.requires_build, Some(true));
    assert_eq!(added.index.manifest, None);

    let mut huge_manifest = Vec::new();
    raw_entry(&mut huge_manifest, b"package/package.json", EntryType::Regular, 0o644, &big);
    let error = store.add_tarball(&gzip(&finish(huge_manifest))).unwrap_err();
    assert!(matches!(error, StoreError::ManifestTooLarge { .. }), "{error:?}");
}

#[test]
fn long_paths_survive() {
    let (_dir, store) = store();
    let long = format!("package/{}/{}.js", "d".repeat(120), "f".repeat(120));
    let mut builder = tar::Builder::new(Vec::new());
    let mut header = Header::new_gnu();
    header.set_size(3);
    header.set_mode(0o644);
    builder.append_data(&mut header, &long, &b"abc"[..]).unwrap();
    let added = store.add_tarball(&gzip(&builder.into_inner().unwrap())).unwrap();
    assert!(added.index.files.contains_key(&long["package/".len()..]));
}
