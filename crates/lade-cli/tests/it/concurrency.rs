//! Several `lade install` processes at once: on one store from different projects (cold and
//! warm), and on one project. All succeed; installs of one project take turns on its lock; every
//! tree is a clean install's and the store stays sound.

use std::path::{Path, PathBuf};
use std::process::{Child, Output, Stdio};

use crate::context::TestContext;
use crate::fixtures::{Generated, generated, write_project};
use crate::inspect::{assert_same_tree, check_store, tree_listing};

fn spawn(context: &TestContext, dir: &Path, args: &[&str]) -> Child {
    context.command_in(dir, args).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap()
}

fn start(context: &TestContext, dirs: &[PathBuf]) -> Vec<Output> {
    let children: Vec<_> =
        dirs.iter().map(|dir| spawn(context, dir, &["install", "--frozen-lockfile"])).collect();
    children.into_iter().map(|child| child.wait_with_output().unwrap()).collect()
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn projects(context: &TestContext, packages: &[Generated], count: usize) -> Vec<PathBuf> {
    (0..count)
        .map(|n| {
            let dir = context.root().join(format!("project-{n}"));
            write_project(context, &dir, packages);
            dir
        })
        .collect()
}

/// A clean, lone install of the same project: what every concurrent one must match.
fn reference(context: &TestContext, packages: &[Generated]) -> Vec<String> {
    let dir = context.root().join("reference");
    write_project(context, &dir, packages);
    context.lade_in(&dir, &["install", "--frozen-lockfile"]).assert_success();
    tree_listing(&dir)
}

fn assert_all_installed(outputs: &[Output], dirs: &[PathBuf], expected: &[String]) {
    for (output, dir) in outputs.iter().zip(dirs) {
        assert!(output.status.success(), "{} ({}): {}", dir.display(), output.status, text(output));
        assert_same_tree(&tree_listing(dir), expected, &dir.display().to_string());
    }
}

fn wipe_modules(dirs: &[PathBuf]) {
    for dir in dirs {
        let _ = std::fs::remove_dir_all(dir.join("node_modules"));
    }
}

#[test]
fn many_projects_install_into_one_store_at_once() {
    let (fixture, packages) = generated(32);
    let context = TestContext::new(fixture);
    for count in [2, 8] {
        let _ = std::fs::remove_dir_all(context.store());
        let dirs = projects(&context, &packages, count);
        // Cold: every process downloads and writes the same files and rows at once.
        let outputs = start(&context, &dirs);
        let expected = reference(&context, &packages);
        assert_all_installed(&outputs, &dirs, &expected);
        let check = check_store(&context.store());
        check.assert_sound();
        assert_eq!(check.rows, packages.len());
        // Warm: every process imports from the same store files at once.
        wipe_modules(&dirs);
        let outputs = start(&context, &dirs);
        assert_all_installed(&outputs, &dirs, &expected);
        check_store(&context.store()).assert_sound();
    }
}

#[test]
fn installs_into_one_project_take_turns() {
    let (fixture, packages) = generated(32);
    let context = TestContext::new(fixture);
    let expected = reference(&context, &packages);
    let dir = context.project();
    write_project(&context, &dir, &packages);
    let mut waited = 0;
    for round in 0..6 {
        if round % 2 == 0 {
            let _ = std::fs::remove_dir_all(context.store());
        }
        wipe_modules(std::slice::from_ref(&dir));
        let count = if round < 4 { 2 } else { 4 };
        let dirs = vec![dir.clone(); count];
        let outputs = start(&context, &dirs);
        assert_all_installed(&outputs, &dirs, &expected);
        waited += outputs.iter().filter(|output| text(output).contains("waiting for it")).count();
        check_store(&context.store()).assert_sound();
        let again = context.lade(&["install", "--frozen-lockfile"]);
        assert!(again.stdout.contains("Already up to date"), "{}", again.output());
    }
    assert!(waited > 0, "no install ever found the project locked");
}

#[test]
fn a_prune_between_concurrent_installs_keeps_the_store_sound() {
    let (fixture, packages) = generated(16);
    let context = TestContext::new(fixture);
    let dirs = projects(&context, &packages, 3);
    let expected = reference(&context, &packages);
    let mut children: Vec<_> =
        dirs.iter().map(|dir| spawn(&context, dir, &["install", "--frozen-lockfile"])).collect();
    let prune = spawn(&context, &dirs[0], &["store", "prune"]).wait_with_output().unwrap();
    assert!(prune.status.success(), "{}", text(&prune));
    let outputs: Vec<_> =
        children.drain(..).map(|child| child.wait_with_output().unwrap()).collect();
    assert_all_installed(&outputs, &dirs, &expected);
    let check = check_store(&context.store());
    check.assert_sound();
    assert_eq!(check.rows, packages.len());
}
