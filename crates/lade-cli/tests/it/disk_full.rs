//! A full disk under the store or under node_modules: the install stops with a coded error, the
//! store keeps no torn file under a content name and no row for a package whose files are not
//! all there, and once there is room again the next install completes the tree.
//!
//! The small disks are tmpfs mounts, which need root (or CAP_SYS_ADMIN); elsewhere the test is
//! skipped with a notice.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::context::TestContext;
use crate::fixtures::{Generated, generated, write_project};
use crate::inspect::{assert_same_tree, check_store, tree_listing};

/// A tmpfs mounted over a directory for the life of the value.
struct Tmpfs {
    dir: PathBuf,
}

impl Tmpfs {
    fn mount(dir: &Path, kilobytes: u64) -> Option<Tmpfs> {
        std::fs::create_dir_all(dir).unwrap();
        let size = format!("size={kilobytes}k");
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &size, "tmpfs"])
            .arg(dir)
            .output()
            .is_ok_and(|output| output.status.success());
        mounted.then(|| Tmpfs { dir: dir.to_path_buf() })
    }

    fn grow(&self, kilobytes: u64) {
        let options = format!("remount,size={kilobytes}k");
        let status = Command::new("mount").args(["-o", &options]).arg(&self.dir).status().unwrap();
        assert!(status.success());
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.dir).status();
    }
}

fn can_mount(context: &TestContext) -> bool {
    let probe = Tmpfs::mount(&context.root().join("probe"), 64);
    if probe.is_none() {
        eprintln!("mounting a tmpfs is not permitted here: skipping the disk-full tests");
    }
    probe.is_some()
}

/// The tree of an install with room to spare (before any small disk hides the store).
fn reference(context: &TestContext, packages: &[Generated]) -> Vec<String> {
    let dir = context.root().join("reference");
    write_project(context, &dir, packages);
    context.lade_in(&dir, &["install", "--frozen-lockfile"]).assert_success();
    tree_listing(&dir)
}

/// What the files under `dir` occupy on a tmpfs: whole 4 KB pages.
fn kilobytes_used(dir: &Path) -> u64 {
    let mut total = 0;
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let meta = entry.metadata().unwrap();
            if meta.is_dir() {
                pending.push(entry.path());
            } else {
                total += meta.len().div_ceil(4096) * 4;
            }
        }
    }
    total
}

/// Runs the install that runs out of space, checks how it failed and what it left, then makes
/// room and checks the rerun. Returns whether the first install failed (a size big enough for
/// everything lets it succeed).
fn fill_then_grow(context: &TestContext, disk: &Tmpfs, expected: &[String]) -> bool {
    let run = context.lade(&["install", "--frozen-lockfile"]);
    let failed = !run.success();
    if failed {
        assert!(run.output().contains("ERR_"), "a coded error:\n{}", run.output());
        assert!(!run.output().contains("panicked"), "{}", run.output());
        assert!(
            ["No space left on device", "disk is full", "disk I/O error"]
                .iter()
                .any(|cause| run.mentions(cause)),
            "the cause is shown: {}",
            run.output()
        );
        assert!(!context.exists("node_modules/.modules.yaml"));
    }
    // Room first: reading a WAL database needs space for its shared-memory file.
    disk.grow(64 * 1024);
    let check = check_store(&context.store());
    assert!(check.corrupt.is_empty() && check.broken_rows.is_empty(), "{check:#?}");
    context.lade(&["install", "--frozen-lockfile"]).assert_success();
    assert_same_tree(&tree_listing(&context.project()), expected, "after making room");
    check_store(&context.store()).assert_sound();
    failed
}

#[test]
fn a_full_store_disk_fails_cleanly_and_recovers() {
    let (fixture, packages) = generated(32);
    let context = TestContext::new(fixture);
    if !can_mount(&context) {
        return;
    }
    let expected = reference(&context, &packages);
    let needed = kilobytes_used(&context.store());
    let attempt = |kilobytes: u64| {
        let _ = std::fs::remove_dir_all(context.project().join("node_modules"));
        let Some(disk) = Tmpfs::mount(&context.store(), kilobytes) else { panic!("remount") };
        write_project(&context, &context.project(), &packages);
        fill_then_grow(&context, &disk, &expected)
    };
    // From nearly nothing up, so the disk fills while the index is created and while files
    // are written; then just below the smallest disk that suffices, where the last writes
    // (rows and files of the last packages) are the ones that fail.
    let mut failures = 0;
    let (mut short, mut enough) = (4, None);
    for percent in [1, 5, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 120, 150, 200] {
        let kilobytes = (needed * percent / 100).max(4);
        if attempt(kilobytes) {
            failures += 1;
            short = kilobytes;
        } else {
            enough = Some(kilobytes);
            break;
        }
    }
    let mut enough = enough.expect("the store fits on twice its size");
    while enough - short > 4 {
        let middle = (short + enough) / 2;
        if attempt(middle) {
            failures += 1;
            short = middle;
        } else {
            enough = middle;
        }
    }
    eprintln!("store disk full: {failures} sizes ran out of space (store: {needed} KB)");
    // How many probes the search takes depends on the filesystem's overhead, but every size up
    // to 80% of the store (the first ten) must have run out of space.
    assert!(failures >= 10, "only {failures} sizes ran out of space (store: {needed} KB)");
}

#[test]
fn a_full_project_disk_fails_cleanly_and_recovers() {
    let (fixture, packages) = generated(32);
    let context = TestContext::new(fixture);
    if !can_mount(&context) {
        return;
    }
    let expected = reference(&context, &packages);
    let mut failures = 0;
    for kilobytes in [32, 96, 160, 224] {
        let _ = std::fs::remove_dir_all(context.store());
        let Some(disk) = Tmpfs::mount(&context.project(), kilobytes) else { panic!("remount") };
        write_project(&context, &context.project(), &packages);
        failures += usize::from(fill_then_grow(&context, &disk, &expected));
        drop(disk);
    }
    assert!(failures >= 3, "only {failures} sizes ran out of space");
}
