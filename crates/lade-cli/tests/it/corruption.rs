//! A damaged store: a garbage or truncated `index.db` is set aside and rebuilt (never `files/`),
//! store files that changed or vanished are fetched again, `lade store status` reports modified
//! packages, and `lade store prune` removes only what no project uses, safely beside an install.

use std::time::{Duration, SystemTime};

use lade_test_registry::Fault;

use crate::context::TestContext;
use crate::fixtures::{Generated, generated, write_project};
use crate::inspect::{check_store, tree_listing};

fn names(packages: &[Generated]) -> Vec<(&str, &str)> {
    packages.iter().map(|package| (package.name.as_str(), "1.0.0")).collect()
}

/// An installed project; returns its tree for later comparison.
fn installed(count: usize) -> (TestContext, Vec<String>) {
    let (fixture, packages) = generated(count);
    let context = TestContext::new(fixture);
    write_project(&context, &context.project(), &packages);
    context.lade(&["install", "--frozen-lockfile"]).assert_success();
    let tree = tree_listing(&context.project());
    (context, tree)
}

fn index_db(context: &TestContext) -> std::path::PathBuf {
    context.store().join("v11/index.db")
}

fn reinstall(context: &TestContext) -> crate::context::Run {
    std::fs::remove_dir_all(context.project().join("node_modules")).unwrap();
    let run = context.lade(&["install", "--frozen-lockfile"]);
    run.assert_success();
    run
}

fn set_aside_copies(context: &TestContext) -> Vec<String> {
    std::fs::read_dir(context.store().join("v11"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("index.db.corrupt-"))
        .collect()
}

#[test]
fn a_garbage_index_is_set_aside_and_rebuilt_keeping_the_files() {
    let (context, tree) = installed(12);
    let files = context.store_files().len();
    std::fs::write(index_db(&context), vec![0x5a; 64 * 1024]).unwrap();
    let run = reinstall(&context);
    assert!(run.mentions("was corrupt"), "the user is told: {}", run.output());
    assert_eq!(set_aside_copies(&context).len(), 1);
    assert_eq!(tree_listing(&context.project()), tree);
    assert_eq!(context.store_files().len(), files, "files/ was kept and reused");
    let check = check_store(&context.store());
    check.assert_sound();
    assert_eq!(check.rows, 12, "the index was rebuilt");
    context.registry.clear_requests();
    reinstall(&context);
    assert!(context.registry.requests().is_empty(), "the rebuilt index serves the next install");
}

#[test]
fn a_truncated_index_is_recovered() {
    for keep in [0.0, 0.1, 0.5, 0.9] {
        let (context, tree) = installed(40);
        let db = index_db(&context);
        let size = std::fs::metadata(&db).unwrap().len();
        let file = std::fs::File::options().write(true).open(&db).unwrap();
        file.set_len((size as f64 * keep) as u64 / 4096 * 4096).unwrap();
        drop(file);
        let run = reinstall(&context);
        // An empty file is an empty (valid) database; any other cut is detected.
        assert_eq!(run.mentions("was corrupt"), keep > 0.0, "kept {keep}: {}", run.output());
        assert_eq!(tree_listing(&context.project()), tree, "kept {keep}: {}", run.output());
        check_store(&context.store()).assert_sound();
        context.registry.clear_requests();
        reinstall(&context);
        assert!(context.registry.requests().is_empty(), "kept {keep}: the index is whole again");
    }
}

#[test]
fn rows_whose_files_vanished_are_fetched_again() {
    let (context, tree) = installed(6);
    for file in context.store_files().iter().step_by(3) {
        std::fs::remove_file(file).unwrap();
    }
    context.registry.clear_requests();
    reinstall(&context);
    assert!(!context.registry.requests().is_empty());
    assert_eq!(tree_listing(&context.project()), tree);
    check_store(&context.store()).assert_sound();
}

#[test]
fn store_status_reports_modified_packages() {
    let (context, _) = installed(4);
    let status = context.lade(&["store", "status"]);
    status.assert_success();
    assert!(status.stdout.contains("Packages in the store are untouched"), "{}", status.output());

    // Edited in node_modules, and so (hard links) in the store.
    let edited = "node_modules/.pnpm/pkg-02@1.0.0/node_modules/pkg-02/index.js";
    std::fs::write(context.project().join(edited), "tampered").unwrap();
    // An edit within pnpm's 100 ms slack of the install is invisible to its mtime rule (and so
    // to lade's): date this one as a later edit.
    let later = SystemTime::now() + Duration::from_secs(5);
    let file = std::fs::File::options().write(true).open(context.project().join(edited)).unwrap();
    file.set_modified(later).unwrap();
    let status = context.lade(&["store", "status"]);
    status.assert_failure_with("ERR_PNPM_MODIFIED_DEPENDENCY");
    assert!(status.output().contains("pkg-02@1.0.0"), "{}", status.output());
    assert!(!status.output().contains("pkg-01@1.0.0"), "{}", status.output());

    // The integrity check (mtime past checkedAt) catches it and fetches the package again.
    reinstall(&context);
    context.lade(&["store", "status"]).assert_success();
    assert_eq!(context.read(edited), "module.exports = 2;\n");
    check_store(&context.store()).assert_sound();
}

/// Moves every store file's mtime an hour back, past prune's grace period.
fn age_store(context: &TestContext) {
    let past = SystemTime::now() - Duration::from_secs(3600);
    for file in context.store_files() {
        std::fs::File::options().write(true).open(&file).unwrap().set_modified(past).unwrap();
    }
}

#[test]
fn prune_keeps_what_registered_projects_use() {
    let (fixture, packages) = generated(6);
    let context = TestContext::new(fixture);
    let names = names(&packages);
    context.depend_on(&names[..4]);
    context.lade(&["install", "--frozen-lockfile"]).assert_success();
    let other = context.root().join("other");
    std::fs::create_dir_all(&other).unwrap();
    let write_other = |packages: &[(&str, &str)]| {
        context.depend_on(packages);
        for file in ["package.json", "pnpm-lock.yaml", ".npmrc"] {
            std::fs::copy(context.project().join(file), other.join(file)).unwrap();
        }
    };
    write_other(&names[2..]);
    context.lade_in(&other, &["install", "--frozen-lockfile"]).assert_success();
    context.depend_on(&names[..4]);
    let tree = tree_listing(&context.project());
    age_store(&context);

    let prune = context.lade(&["store", "prune"]);
    prune.assert_success();
    assert!(
        prune.stdout.contains("Removed 0 packages"),
        "both projects are alive: {}",
        prune.stdout
    );

    std::fs::remove_dir_all(&other).unwrap();
    let prune = context.lade(&["store", "prune"]);
    prune.assert_success();
    assert!(prune.stdout.contains("Removed 2 packages"), "{}", prune.stdout);
    let check = check_store(&context.store());
    check.assert_sound();
    assert_eq!(check.rows, 4);
    context.registry.clear_requests();
    reinstall(&context);
    assert!(context.registry.requests().is_empty(), "nothing this project uses was pruned");
    assert_eq!(tree_listing(&context.project()), tree);
}

#[test]
fn prune_waits_for_a_running_install_and_never_takes_its_files() {
    let (fixture, packages) = generated(8);
    let context = TestContext::new(fixture);
    write_project(&context, &context.project(), &packages);
    // The last tarball answers slowly, so the install is mid-way when prune starts.
    let slow = context.registry.tarball_path("pkg-07", "1.0.0");
    context.registry.set_fault(Fault::Stall(Duration::from_millis(1500)).on_path(&slow));
    let mut install = context.command_in(&context.project(), &["install", "--frozen-lockfile"]);
    let install = install.spawn().unwrap();
    std::thread::sleep(Duration::from_millis(500));
    let prune = context.lade(&["store", "prune"]);
    let install = install.wait_with_output().unwrap();
    assert!(install.status.success(), "{}", String::from_utf8_lossy(&install.stderr));
    prune.assert_success();
    assert!(prune.mentions("waiting for them to finish"), "prune waited: {}", prune.output());
    assert!(prune.stdout.contains("Removed 0 files"), "{}", prune.stdout);
    let check = check_store(&context.store());
    check.assert_sound();
    assert_eq!(check.rows, 8);
}
