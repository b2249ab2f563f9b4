//! `lade install` without an up-to-date lockfile, `--lockfile-only`, and `lade add`, `remove`
//! and `update`, against the test registry.

use lade_test_registry::{PackageSpec, RegistryFixture};

use crate::context::TestContext;

/// Versions published over time, a command, a peer, a deprecated and a platform-bound package.
pub fn catalog() -> RegistryFixture {
    RegistryFixture::new()
        .package(PackageSpec::new("shout", "1.0.0").file("index.js", "module.exports = 1"))
        .package(PackageSpec::new("shout", "1.1.0").file("index.js", "module.exports = 2"))
        .package(PackageSpec::new("shout", "2.0.0").file("index.js", "module.exports = 3"))
        .package(
            PackageSpec::new("greet", "1.0.0")
                .dependency("shout", "^1.0.0")
                .bin("greet", "cli.js")
                .file("cli.js", "#!/usr/bin/env node\nconsole.log('hi')\n"),
        )
        .package(PackageSpec::new("host", "1.0.0"))
        .package(PackageSpec::new("host", "2.0.0"))
        .package(PackageSpec::new("plugin", "1.0.0").peer("host", "^1.0.0"))
        .package(PackageSpec::new("old", "1.0.0").deprecated("no longer maintained"))
        .package(PackageSpec::new("native", "1.0.0").os(["no-such-os"]))
        .package(PackageSpec::new("wrapper", "1.0.0").optional_dependency("native", "^1.0.0"))
}

fn project(context: &TestContext, dependencies: &str) {
    context.write(
        "package.json",
        &format!("{{\n  \"name\": \"app\",\n  \"version\": \"1.0.0\",\n  \"dependencies\": {dependencies}\n}}\n"),
    );
}

fn mtime(context: &TestContext, relative: &str) -> std::time::SystemTime {
    std::fs::metadata(context.project().join(relative)).unwrap().modified().unwrap()
}

#[test]
fn installs_without_a_lockfile_and_then_rewrites_nothing() {
    let context = TestContext::new(catalog());
    project(&context, r#"{"greet": "^1.0.0"}"#);
    context.lade(&["install"]).assert_success();
    let lockfile = context.read("pnpm-lock.yaml");
    assert!(lockfile.contains("      greet:\n        specifier: ^1.0.0\n        version: 1.0.0\n"));
    assert!(lockfile.contains("  greet@1.0.0:\n    dependencies:\n      shout: 1.1.0\n"));
    assert_eq!(context.link_target("node_modules/greet"), ".pnpm/greet@1.0.0/node_modules/greet");
    assert!(context.exists("node_modules/.bin/greet"));

    let written = mtime(&context, "pnpm-lock.yaml");
    let again = context.lade(&["install"]);
    again.assert_success();
    assert!(again.stdout.contains("Lockfile is up to date"), "{}", again.stdout);
    assert_eq!(context.read("pnpm-lock.yaml"), lockfile);
    assert_eq!(mtime(&context, "pnpm-lock.yaml"), written, "an up-to-date lockfile is not written");

    context.lade(&["install", "--no-prefer-frozen-lockfile"]).assert_success();
    assert_eq!(mtime(&context, "pnpm-lock.yaml"), written, "resolving again changes no byte");
}

#[test]
fn lockfile_only_leaves_node_modules_alone() {
    let context = TestContext::new(catalog());
    project(&context, r#"{"plugin": "1.0.0", "old": "1.0.0", "wrapper": "1.0.0"}"#);
    let run = context.lade(&["install", "--lockfile-only"]);
    run.assert_success();
    assert!(!context.exists("node_modules"));
    let lockfile = context.read("pnpm-lock.yaml");
    assert!(
        lockfile.contains("  plugin@1.0.0(host@1.0.0):\n    dependencies:\n      host: 1.0.0\n"),
        "the peer is installed: {lockfile}"
    );
    assert!(lockfile.contains("    os: [no-such-os]\n"));
    assert!(lockfile.contains("  native@1.0.0:\n    optional: true\n"));
    assert!(run.stderr.contains("deprecated old@1.0.0: no longer maintained"), "{}", run.stderr);
}

#[test]
fn unmet_peers_are_reported_like_pnpm() {
    let context = TestContext::new(catalog());
    project(&context, r#"{"plugin": "1.0.0", "host": "2.0.0"}"#);
    let run = context.lade(&["install", "--lockfile-only"]);
    run.assert_success();
    assert!(
        run.stderr.contains(
            "Issues with peer dependencies found\n.\n└─┬ plugin 1.0.0\n  └── ✕ unmet peer host@^1.0.0: found 2.0.0"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn a_frozen_install_refuses_a_missing_or_stale_lockfile() {
    let context = TestContext::new(catalog());
    project(&context, r#"{"greet": "^1.0.0"}"#);
    context.lade(&["install", "--frozen-lockfile"]).assert_failure_with("ERR_PNPM_NO_LOCKFILE");
    context.lade(&["install", "--lockfile-only"]).assert_success();
    project(&context, r#"{"greet": "^1.0.0", "old": "1.0.0"}"#);
    context
        .lade(&["install", "--frozen-lockfile"])
        .assert_failure_with("ERR_PNPM_OUTDATED_LOCKFILE");
    context.lade(&["install", "--no-frozen-lockfile", "--lockfile-only"]).assert_success();
    assert!(context.read("pnpm-lock.yaml").contains("      old:\n        specifier: 1.0.0\n"));
}

#[test]
fn add_remove_and_update_edit_package_json_and_node_modules() {
    let context = TestContext::new(catalog());
    project(&context, r#"{"shout": "1.0.0"}"#);
    context.lade(&["install"]).assert_success();

    context.lade(&["add", "greet", "-D"]).assert_success();
    assert_eq!(
        context.read("package.json"),
        "{\n  \"name\": \"app\",\n  \"version\": \"1.0.0\",\n  \"dependencies\": {\n    \"shout\": \"1.0.0\"\n  },\n  \"devDependencies\": {\n    \"greet\": \"^1.0.0\"\n  }\n}\n"
    );
    assert!(context.exists("node_modules/.bin/greet"));
    assert!(
        context
            .read("pnpm-lock.yaml")
            .contains("  greet@1.0.0:\n    dependencies:\n      shout: 1.0.0\n"),
        "the project's shout@1.0.0 is preferred for greet"
    );

    context.lade(&["remove", "greet"]).assert_success();
    assert!(!context.read("package.json").contains("greet"));
    assert!(!context.exists("node_modules/greet"), "the link is pruned");
    assert!(!context.exists("node_modules/.bin/greet"), "and its command");

    context.lade(&["update", "--latest"]).assert_success();
    assert!(context.read("package.json").contains("\"shout\": \"2.0.0\""), "the exact pin is kept");
    assert_eq!(context.link_target("node_modules/shout"), ".pnpm/shout@2.0.0/node_modules/shout");
}

#[test]
fn editing_commands_fail_with_pinned_codes() {
    let context = TestContext::new(catalog());
    project(&context, r#"{"shout": "1.0.0"}"#);
    context.lade(&["remove", "greet"]).assert_failure_with("ERR_PNPM_CANNOT_REMOVE_MISSING_DEPS");
    context.lade(&["add", "Not A Name"]).assert_failure_with("ERR_LADE_INVALID_PACKAGE_ARGUMENT");
    context.lade(&["add", "missing-package"]).assert_failure_with("ERR_PNPM_FETCH_404");
    context.write("pnpm-workspace.yaml", "packages:\n  - packages/*\n");
    context.lade(&["add", "greet"]).assert_failure_with("ERR_PNPM_ADDING_TO_ROOT");
    context.lade(&["add", "-w", "greet", "--lockfile-only"]).assert_success();
}
