//! The store is shared with pnpm 12 both ways. These tests need the real pnpm 12.21.0, which
//! `.ci/run` installs and names in `LADE_PNPM12`; elsewhere they are skipped with a notice.

use std::path::{Path, PathBuf};
use std::process::Command;

use lade_test_registry::{PackageSpec, RegistryFixture};

use crate::context::{TestContext, lockfile};

fn pnpm12() -> Option<PathBuf> {
    match std::env::var_os("LADE_PNPM12") {
        Some(path) => Some(PathBuf::from(path)),
        None if std::env::var("CI").as_deref() == Ok("true") => {
            panic!("CI must set LADE_PNPM12 (see .ci/run)")
        }
        None => {
            eprintln!("LADE_PNPM12 is not set: skipping the store-sharing test");
            None
        }
    }
}

fn fixture() -> RegistryFixture {
    RegistryFixture::new()
        .package(
            PackageSpec::new("@scope/tool", "1.2.3")
                .dependency("helper", "^1.0.0")
                .bin("tool", "bin/tool.js")
                .file("bin/tool.js", "#!/usr/bin/env node\nrequire('helper')\n")
                .executable_file("scripts/run.sh", "#!/bin/sh\necho run\n"),
        )
        .package(PackageSpec::new("helper", "1.0.0").file("index.js", "module.exports = 42\n"))
}

fn write_project(context: &TestContext, dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    let manifest = r#"{"name":"app","version":"1.0.0","dependencies":{"@scope/tool":"^1.2.0"}}"#;
    std::fs::write(dir.join("package.json"), manifest).unwrap();
    let packages = [
        (
            "'@scope/tool'",
            "1.2.3",
            context.integrity("@scope/tool", "1.2.3"),
            &[("helper", "1.0.0")][..],
        ),
        ("helper", "1.0.0", context.integrity("helper", "1.0.0"), &[][..]),
    ];
    let text = lockfile(&[("'@scope/tool'", "^1.2.0", "1.2.3")], &packages)
        .replace("\n  '@scope/tool'@1.2.3:", "\n  '@scope/tool@1.2.3':");
    std::fs::write(dir.join("pnpm-lock.yaml"), text).unwrap();
    std::fs::write(dir.join(".npmrc"), format!("registry={}\n", context.registry.url())).unwrap();
}

fn run_pnpm(pnpm: &Path, dir: &Path, home: &Path, args: &[&str]) -> std::process::Output {
    Command::new(pnpm)
        .args(args)
        .current_dir(dir)
        .env("HOME", home)
        .env("XDG_CACHE_HOME", home.join(".cache"))
        .env("XDG_DATA_HOME", home.join(".local/share"))
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("PNPM_CONFIG_MANAGE_PACKAGE_MANAGER_VERSIONS", "false")
        .env("npm_config_manage_package_manager_versions", "false")
        .output()
        .unwrap()
}

fn assert_installed(dir: &Path) {
    let helper = dir.join("node_modules/.pnpm/helper@1.0.0/node_modules/helper/index.js");
    assert_eq!(std::fs::read_to_string(helper).unwrap(), "module.exports = 42\n");
    assert!(dir.join("node_modules/@scope/tool/bin/tool.js").exists());
}

#[test]
fn pnpm12_installs_offline_from_a_store_lade_filled() {
    let Some(pnpm) = pnpm12() else { return };
    let context = TestContext::new(fixture());
    write_project(&context, &context.project());
    context.lade(&["install", "--frozen-lockfile"]).assert_success();

    let fresh = context.project().with_file_name("fresh");
    write_project(&context, &fresh);
    context.registry.clear_requests();
    let store = context.store();
    let home = context.project().with_file_name("home");
    let output = run_pnpm(
        &pnpm,
        &fresh,
        &home,
        &[
            "install",
            "--frozen-lockfile",
            "--offline",
            "--ignore-scripts",
            "--config.minimum-release-age=0",
            "--store-dir",
            store.to_str().unwrap(),
        ],
    );
    assert!(
        output.status.success(),
        "pnpm 12 refused lade's store:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert_installed(&fresh);
    assert!(context.registry.requests().is_empty(), "pnpm 12 needed the network");
}

#[test]
fn lade_installs_offline_from_a_store_pnpm12_filled() {
    let Some(pnpm) = pnpm12() else { return };
    let context = TestContext::new(fixture());
    let filled_by_pnpm = context.project().with_file_name("by-pnpm");
    write_project(&context, &filled_by_pnpm);
    let store = context.store();
    let home = context.project().with_file_name("home");
    let output = run_pnpm(
        &pnpm,
        &filled_by_pnpm,
        &home,
        &[
            "install",
            "--frozen-lockfile",
            "--ignore-scripts",
            "--store-dir",
            store.to_str().unwrap(),
        ],
    );
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));

    write_project(&context, &context.project());
    context.registry.clear_requests();
    context.lade(&["install", "--frozen-lockfile", "--offline"]).assert_success();
    assert_installed(&context.project());
    assert!(context.registry.requests().is_empty(), "lade needed the network");
}
