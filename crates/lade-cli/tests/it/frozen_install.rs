//! `lade install --frozen-lockfile` from a lockfile, against the test registry.

use std::os::unix::fs::PermissionsExt;

use lade_test_registry::{PackageSpec, RegistryFixture, RequiredAuth};

use crate::context::{TestContext, lockfile};

fn two_packages() -> RegistryFixture {
    RegistryFixture::new()
        .package(
            PackageSpec::new("greet", "1.0.0")
                .dependency("shout", "^2.0.0")
                .bin("greet", "cli.js")
                .file("cli.js", "#!/usr/bin/env node\nconsole.log('hi')\n")
                .file("index.js", "module.exports = require('shout')"),
        )
        .package(PackageSpec::new("shout", "2.1.0").file("index.js", "module.exports = 1"))
}

fn project(context: &TestContext) {
    context.write(
        "package.json",
        r#"{"name":"app","version":"1.0.0","dependencies":{"greet":"^1.0.0"}}"#,
    );
    let packages = [
        ("greet", "1.0.0", context.integrity("greet", "1.0.0"), &[("shout", "2.1.0")][..]),
        ("shout", "2.1.0", context.integrity("shout", "2.1.0"), &[][..]),
    ];
    context.write("pnpm-lock.yaml", &lockfile(&[("greet", "^1.0.0", "1.0.0")], &packages));
}

#[test]
fn lays_out_node_modules_like_pnpm() {
    let context = TestContext::new(two_packages());
    project(&context);
    let run = context.lade(&["install", "--frozen-lockfile"]);
    run.assert_success();
    assert!(run.stdout.contains("Lockfile is up to date, resolution step is skipped"));
    assert!(run.stdout.contains("+ greet 1.0.0"), "{}", run.stdout);

    assert_eq!(context.link_target("node_modules/greet"), ".pnpm/greet@1.0.0/node_modules/greet");
    assert_eq!(
        context.link_target("node_modules/.pnpm/greet@1.0.0/node_modules/shout"),
        "../../shout@2.1.0/node_modules/shout"
    );
    // Private hoisting (hoist-pattern=*): every dependency is reachable from .pnpm/node_modules.
    assert_eq!(
        context.link_target("node_modules/.pnpm/node_modules/shout"),
        "../shout@2.1.0/node_modules/shout"
    );
    assert!(!context.exists("node_modules/shout"), "nothing is hoisted publicly by default");
    let shim = context.read("node_modules/.bin/greet");
    assert!(shim.starts_with("#!/bin/sh\n"), "{shim}");
    assert!(shim.contains("\"$basedir/../.pnpm/greet@1.0.0/node_modules/greet/cli.js\""), "{shim}");
    let mode = std::fs::metadata(context.project().join("node_modules/.bin/greet")).unwrap();
    assert_eq!(mode.permissions().mode() & 0o777, 0o755);
    assert_eq!(
        context.read("node_modules/.pnpm/greet@1.0.0/node_modules/shout/index.js"),
        "module.exports = 1"
    );
    assert_eq!(context.read("node_modules/.pnpm/lock.yaml"), context.read("pnpm-lock.yaml"));
    assert!(context.read("node_modules/.modules.yaml").contains("\"nodeLinker\": \"isolated\""));
}

#[test]
fn a_second_install_is_a_no_op_that_touches_neither_network_nor_store() {
    let context = TestContext::new(two_packages());
    project(&context);
    context.lade(&["install", "--frozen-lockfile"]).assert_success();
    context.registry.clear_requests();
    // A store that cannot be opened proves the no-op path never opens it.
    std::fs::remove_dir_all(context.store()).unwrap();
    std::fs::write(context.store(), "not a store").unwrap();
    let run = context.lade(&["install", "--frozen-lockfile"]);
    run.assert_success();
    assert!(run.stdout.contains("Already up to date"), "{}", run.stdout);
    assert!(context.registry.requests().is_empty());
}

#[test]
fn a_warm_store_installs_offline_without_requests() {
    let context = TestContext::new(two_packages());
    project(&context);
    context.lade(&["install", "--frozen-lockfile"]).assert_success();
    std::fs::remove_dir_all(context.project().join("node_modules")).unwrap();
    context.registry.clear_requests();
    context.lade(&["install", "--frozen-lockfile", "--offline"]).assert_success();
    assert!(context.registry.requests().is_empty());
    assert_eq!(context.link_target("node_modules/greet"), ".pnpm/greet@1.0.0/node_modules/greet");
}

#[test]
fn store_files_modified_in_place_are_fetched_again() {
    let context = TestContext::new(two_packages());
    project(&context);
    context.lade(&["install", "--frozen-lockfile"]).assert_success();
    std::fs::remove_dir_all(context.project().join("node_modules")).unwrap();
    // Corrupt every store file, as an editor writing through a hard link would.
    // pnpm re-hashes a store file whose mtime is past its checkedAt (plus 100 ms of slack).
    let later = std::time::SystemTime::now() + std::time::Duration::from_secs(5);
    for file in context.store_files() {
        std::fs::write(&file, "tampered").unwrap();
        std::fs::File::options().write(true).open(&file).unwrap().set_modified(later).unwrap();
    }
    context.registry.clear_requests();
    context.lade(&["install", "--frozen-lockfile"]).assert_success();
    assert_eq!(
        context.read("node_modules/.pnpm/greet@1.0.0/node_modules/shout/index.js"),
        "module.exports = 1"
    );
    assert!(!context.registry.requests().is_empty(), "the tampered packages were downloaded again");
}

#[test]
fn prod_leaves_out_dev_dependencies() {
    let context = TestContext::new(two_packages());
    context.write(
        "package.json",
        r#"{"name":"app","version":"1.0.0","devDependencies":{"greet":"^1.0.0"}}"#,
    );
    let packages = [
        ("greet", "1.0.0", context.integrity("greet", "1.0.0"), &[("shout", "2.1.0")][..]),
        ("shout", "2.1.0", context.integrity("shout", "2.1.0"), &[][..]),
    ];
    let text = lockfile(&[("greet", "^1.0.0", "1.0.0")], &packages)
        .replace("    dependencies:\n      greet", "    devDependencies:\n      greet");
    context.write("pnpm-lock.yaml", &text);
    context.lade(&["install", "--frozen-lockfile", "--prod"]).assert_success();
    assert!(!context.exists("node_modules/greet"));
    assert!(!context.exists("node_modules/.pnpm/greet@1.0.0"));
}

#[test]
fn sends_the_configured_token_and_never_prints_it() {
    let token = "npm_secret_token_that_must_not_leak";
    let context = TestContext::new(two_packages().require_auth(RequiredAuth::bearer(token)));
    project(&context);
    let host = context.registry.url().trim_start_matches("http:");
    context.write(
        ".npmrc",
        &format!("registry={}\n{host}:_authToken={token}\n", context.registry.url()),
    );
    let run = context.lade(&["install", "--frozen-lockfile"]);
    run.assert_success();
    assert!(context.registry.requests().iter().all(|request| request.had_auth()));
    assert!(!run.output().contains(token));
    assert!(!context.read("node_modules/.modules.yaml").contains(token));
}

#[test]
fn modules_dir_and_virtual_store_dir_settings_move_the_tree_like_pnpm_10() {
    let context = TestContext::new(two_packages());
    project(&context);
    let npmrc =
        format!("registry={}\nmodules-dir=nm\nvirtual-store-dir=.vstore\n", context.registry.url());
    context.write(".npmrc", &npmrc);
    context.lade(&["install", "--frozen-lockfile"]).assert_success();
    // pnpm 10.34.9 with the same .npmrc: links in nm/, slots and private hoisting in .vstore/,
    // the installed lockfile in nm/.pnpm/lock.yaml.
    assert_eq!(context.link_target("nm/greet"), "../.vstore/greet@1.0.0/node_modules/greet");
    assert_eq!(
        context.link_target(".vstore/node_modules/shout"),
        "../shout@2.1.0/node_modules/shout"
    );
    assert_eq!(context.read("nm/.pnpm/lock.yaml"), context.read("pnpm-lock.yaml"));
    assert!(context.read("nm/.modules.yaml").contains("\"virtualStoreDir\": \"../.vstore\""));
    assert!(!context.exists("node_modules/greet"));
    let run = context.lade(&["install", "--frozen-lockfile"]);
    assert!(run.assert_success().stdout.contains("Already up to date"), "{}", run.stdout);
}
