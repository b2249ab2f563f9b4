//! Hostile and malformed tarballs through `lade install`: each is rejected with pnpm's code or
//! sanitized as pnpm sanitizes it, nothing lands outside the package's store entry and its
//! `node_modules` slot, and a rejected package leaves nothing half-written.

use std::io::Write;
use std::os::unix::fs::PermissionsExt;

use flate2::Compression;
use flate2::write::GzEncoder;
use lade_test_registry::{PackageSpec, RegistryFixture, TarballBuilder};
use tar::{EntryType, Header};

use crate::context::TestContext;
use crate::inspect::{check_store, paths_named};

/// Every name a hostile entry could land under outside its package contains this word.
const ESCAPED: &str = "escaped";

const PACKAGE_JSON: &str = r#"{"name":"evil","version":"1.0.0"}"#;

/// Installs `evil@1.0.0` served as `tarball` and checks that nothing escaped.
fn install_evil(tarball: Vec<u8>) -> (TestContext, crate::context::Run) {
    let spec = PackageSpec::new("evil", "1.0.0").tarball_bytes(tarball);
    let context = TestContext::new(RegistryFixture::new().package(spec));
    context.depend_on(&[("evil", "1.0.0")]);
    context.write(".npmrc", &format!("registry={}\nfetch-retries=0\n", context.registry.url()));
    let run = context.lade(&["install", "--frozen-lockfile"]);
    let escaped = paths_named(context.root(), ESCAPED);
    assert!(escaped.is_empty(), "written outside the package: {escaped:?}\n{}", run.output());
    assert!(paths_named(&std::path::Path::new("/tmp").join(absolute_dir()), "").is_empty());
    check_store(&context.store()).assert_sound();
    (context, run)
}

/// Where absolute-path entries point: a directory no test creates.
fn absolute_dir() -> String {
    format!("lade-hostile-{}", std::process::id())
}

const PACKAGE_DIR: &str = "node_modules/.pnpm/evil@1.0.0/node_modules/evil";

#[track_caller]
fn assert_rejected(tarball: Vec<u8>, code: &str) {
    let (context, run) = install_evil(tarball);
    run.assert_failure_with(code);
    assert!(run.output().contains("evil@1.0.0"), "names the package: {}", run.output());
    assert!(!context.exists(PACKAGE_DIR), "a rejected package is not imported");
    assert!(!context.exists("node_modules/.modules.yaml"));
    let rows = check_store(&context.store()).rows;
    assert_eq!(rows, 0, "a rejected package gets no index row");
}

/// Installs the tarball and returns the package's files (path → content), which must be all
/// that was imported.
#[track_caller]
fn assert_sanitized(tarball: Vec<u8>) -> (TestContext, Vec<(String, Vec<u8>)>) {
    let (context, run) = install_evil(tarball);
    run.assert_success();
    let root = context.project().join(PACKAGE_DIR);
    let mut files = Vec::new();
    let mut pending = vec![root.clone()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let kind = entry.file_type().unwrap();
            assert!(!kind.is_symlink(), "no symlink is imported: {:?}", entry.path());
            if kind.is_dir() {
                pending.push(entry.path());
                continue;
            }
            assert!(kind.is_file(), "only regular files are imported: {:?}", entry.path());
            let mode = entry.metadata().unwrap().permissions().mode();
            assert_eq!(mode & 0o7000, 0, "no setuid/setgid/sticky bits: {:?}", entry.path());
            let relative = entry.path().strip_prefix(&root).unwrap().to_string_lossy().into_owned();
            files.push((relative, std::fs::read(entry.path()).unwrap()));
        }
    }
    files.sort();
    (context, files)
}

fn names(files: &[(String, Vec<u8>)]) -> Vec<&str> {
    files.iter().map(|(name, _)| name.as_str()).collect()
}

/// A tar archive written header by header, for entry types and sizes `TarballBuilder` does not
/// produce (devices, fifos, lying sizes).
#[derive(Default)]
struct RawTar(Vec<u8>);

impl RawTar {
    fn entry(mut self, path: &[u8], kind: EntryType, mode: u32, data: &[u8]) -> Self {
        self.entry_declaring(path, kind, mode, data, data.len() as u64);
        self
    }

    fn entry_declaring(&mut self, path: &[u8], kind: EntryType, mode: u32, data: &[u8], size: u64) {
        let mut header = Header::new_ustar();
        header.as_old_mut().name[..path.len()].copy_from_slice(path);
        header.set_entry_type(kind);
        header.set_mode(mode);
        header.set_size(size);
        header.set_mtime(0);
        header.set_cksum();
        self.0.extend_from_slice(header.as_bytes());
        self.0.extend_from_slice(data);
        self.0.resize(self.0.len().next_multiple_of(512), 0);
    }

    fn manifest(self) -> Self {
        self.entry(b"package/package.json", EntryType::Regular, 0o644, PACKAGE_JSON.as_bytes())
    }

    /// The archive with its end marker, gzipped.
    fn finish(mut self) -> Vec<u8> {
        self.0.extend_from_slice(&[0; 1024]);
        gzip(&self.0)
    }

    /// The archive cut short: no end marker, the gzip stream complete.
    fn unterminated(self) -> Vec<u8> {
        gzip(&self.0)
    }
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::fast());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

fn with_manifest() -> TarballBuilder {
    TarballBuilder::new().file("package/package.json", PACKAGE_JSON)
}

#[test]
fn entries_that_climb_out_are_rejected() {
    let absolute = format!("/tmp/{}/{ESCAPED}-absolute.txt", absolute_dir());
    let long_climb = format!("package/{}{}{ESCAPED}-pax.txt", "a/".repeat(60), "../".repeat(80));
    let cases = [
        with_manifest().file(format!("package/../../{ESCAPED}-dotdot.txt"), "x"),
        with_manifest().file(format!("package/lib/../../../{ESCAPED}-nested.txt"), "x"),
        with_manifest().file(&absolute, "x"),
        with_manifest().file(format!("package\\..\\..\\{ESCAPED}-backslash.txt"), "x"),
        with_manifest().file(format!("../{ESCAPED}-top.txt"), "x"),
        with_manifest().file(&long_climb, "x"),
        TarballBuilder::new().file(format!("package/../{ESCAPED}-first.txt"), "x"),
    ];
    for tarball in cases {
        assert_rejected(tarball.build(), "ERR_PNPM_PATH_TRAVERSAL");
    }
}

#[test]
fn links_devices_and_fifos_are_skipped() {
    let tarball = RawTar::default()
        .manifest()
        .entry(b"package/sym", EntryType::Symlink, 0o777, b"")
        .entry(b"package/hard", EntryType::Link, 0o644, b"")
        .entry(b"package/char", EntryType::Char, 0o666, b"")
        .entry(b"package/block", EntryType::Block, 0o666, b"")
        .entry(b"package/fifo", EntryType::Fifo, 0o666, b"")
        .entry(b"package/index.js", EntryType::Regular, 0o644, b"ok")
        .finish();
    let (_, files) = assert_sanitized(tarball);
    assert_eq!(names(&files), ["index.js", "package.json"]);

    // A symlink out of the package, then a file written "through" it: the link is dropped and
    // the file lands in a real directory of that name inside the package.
    let through = with_manifest()
        .symlink("package/link", format!("../../../../{ESCAPED}-target"))
        .file("package/link/inner.js", "inside")
        .hardlink("package/passwd", "/etc/passwd")
        .symlink("package/abs", "/etc");
    let (_, files) = assert_sanitized(through.build());
    assert_eq!(names(&files), ["link/inner.js", "package.json"]);
}

#[test]
fn duplicates_case_twins_and_unicode_names_stay_inside() {
    let tarball = with_manifest()
        .file("package/index.js", "first")
        .file("package/index.js", "second")
        .file("package/README.md", "upper")
        .file("package/readme.md", "lower")
        .file("package/caf\u{e9}.js", "nfc")
        .file("package/cafe\u{301}.js", "nfd")
        .file("package/\u{202e}sj.txt", "right-to-left override")
        .file("package/\u{ff0e}\u{ff0e}/fullwidth.js", "fullwidth dots are not ..")
        .file("package/\u{2215}etc\u{2215}division-slash.js", "not a separator")
        .file(b"package/\xc0\xae\xc0\xae/overlong.js", "overlong dots are not ..")
        .file("package/./dot//double.js", "dot segments dropped")
        .file_with_mode("package/setuid.sh", "#!/bin/sh", 0o4755);
    let (context, files) = assert_sanitized(tarball.build());
    let found = |name: &str| files.iter().find(|(path, _)| path == name).map(|(_, c)| c.clone());
    assert_eq!(found("index.js").unwrap(), b"second", "the later duplicate wins");
    assert_eq!(found("README.md").unwrap(), b"upper");
    assert_eq!(found("readme.md").unwrap(), b"lower");
    assert!(found("caf\u{e9}.js").is_some() && found("cafe\u{301}.js").is_some());
    assert!(found("\u{ff0e}\u{ff0e}/fullwidth.js").is_some());
    assert!(found("\u{2215}etc\u{2215}division-slash.js").is_some());
    assert!(found("\u{fffd}\u{fffd}\u{fffd}\u{fffd}/overlong.js").is_some(), "{:?}", names(&files));
    assert!(found("dot/double.js").is_some());
    let setuid = context.project().join(PACKAGE_DIR).join("setuid.sh");
    assert_eq!(std::fs::metadata(setuid).unwrap().permissions().mode() & 0o7777, 0o755);
}

#[test]
fn damaged_archives_are_rejected() {
    let valid = with_manifest().file("package/index.js", "x".repeat(4096)).build();
    let half = valid[..valid.len() / 2].to_vec();
    let mut bad_crc = valid.clone();
    let crc_at = bad_crc.len() - 8;
    bad_crc[crc_at] ^= 0xff;
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (half, "ERR_PNPM_TARBALL_GZIP"),
        (bad_crc, "ERR_PNPM_TARBALL_GZIP"),
        (b"not a tarball at all".to_vec(), "ERR_PNPM_TARBALL_TAR"),
        (gzip(b""), "ERR_PNPM_TARBALL_TAR"),
        (gzip(&[0xab; 2048]), "ERR_PNPM_TARBALL_TAR"),
        (TarballBuilder::new().file("top-level.js", "x").build(), "ERR_PNPM_TARBALL_EXTRACT"),
    ];
    for (tarball, code) in cases {
        assert_rejected(tarball, code);
    }
}

#[test]
fn entries_shorter_than_declared_are_rejected() {
    let mut short = RawTar::default().manifest();
    short.entry_declaring(b"package/index.js", EntryType::Regular, 0o644, b"ten bytes!", 4096);
    assert_rejected(short.unterminated(), "ERR_PNPM_TARBALL_INCOMPLETE_TAR");

    // Large entries stream through a temporary file rather than memory: same rule.
    let mut big = RawTar::default().manifest();
    big.entry_declaring(b"package/big.bin", EntryType::Regular, 0o644, &[7; 4096], 64 << 20);
    assert_rejected(big.unterminated(), "ERR_PNPM_TARBALL_INCOMPLETE_TAR");
}

#[test]
fn bombs_are_refused_before_they_are_inflated() {
    // A header claiming more than the 4 GiB limit is refused at the header, so the test needs
    // no 4 GiB stream: only the claim.
    let mut claim = RawTar::default().manifest();
    claim.entry_declaring(b"package/bomb.bin", EntryType::Regular, 0o644, &[0; 4096], 5 << 30);
    assert_rejected(claim.unterminated(), "ERR_LADE_TARBALL_TOO_LARGE");

    // More entries than any package has (the limit is 500,000): directories, which cost the
    // extractor nothing else, so the count alone must stop it.
    let mut many = RawTar::default().manifest();
    for index in 0..500_001u32 {
        let name = format!("package/d{index:x}/");
        many.entry_declaring(name.as_bytes(), EntryType::Directory, 0o755, b"", 0);
    }
    assert_rejected(many.finish(), "ERR_LADE_TARBALL_TOO_LARGE");

    let huge_manifest =
        TarballBuilder::new().zeros("package/package.json", 9 << 20).file("package/a.js", "x");
    assert_rejected(huge_manifest.build(), "ERR_LADE_TARBALL_MANIFEST_TOO_LARGE");
}
