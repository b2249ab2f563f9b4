//! `patchedDependencies`: until lade applies patches, a project that has them is refused on
//! every install path rather than installed with unpatched files.

use lade_test_registry::{PackageSpec, RegistryFixture};

use crate::context::TestContext;

const PATCH: &str = "diff --git a/index.js b/index.js\n--- a/index.js\n+++ b/index.js\n@@ -1 +1 @@\n-module.exports = 1\n+module.exports = 2\n";

fn patched_project(context: &TestContext) {
    context.write(
        "package.json",
        r#"{"name":"app","version":"1.0.0","dependencies":{"shout":"2.1.0"}}"#,
    );
    context.write("patches/shout@2.1.0.patch", PATCH);
    context.write(
        "pnpm-workspace.yaml",
        "patchedDependencies:\n  shout@2.1.0: patches/shout@2.1.0.patch\n",
    );
    let hash = "0000000000000000000000000000000000000000000000000000000000000000";
    let integrity = context.integrity("shout", "2.1.0");
    context.write(
        "pnpm-lock.yaml",
        &format!(
            "lockfileVersion: '9.0'\n\nsettings:\n  autoInstallPeers: true\n  excludeLinksFromLockfile: false\n\n\
             patchedDependencies:\n  shout@2.1.0:\n    hash: {hash}\n    path: patches/shout@2.1.0.patch\n\n\
             importers:\n\n  .:\n    dependencies:\n      shout:\n        specifier: 2.1.0\n        version: 2.1.0(patch_hash={hash})\n\n\
             packages:\n\n  shout@2.1.0:\n    resolution: {{integrity: {integrity}}}\n\n\
             snapshots:\n\n  shout@2.1.0(patch_hash={hash}): {{}}\n"
        ),
    );
}

fn registry() -> RegistryFixture {
    RegistryFixture::new()
        .package(PackageSpec::new("shout", "2.1.0").file("index.js", "module.exports = 1\n"))
}

#[test]
fn a_frozen_install_of_a_patched_lockfile_is_refused_and_links_nothing() {
    let context = TestContext::new(registry());
    patched_project(&context);
    context
        .lade(&["install", "--frozen-lockfile"])
        .assert_failure_with("ERR_LADE_PATCHES_UNSUPPORTED");
    assert!(!context.exists("node_modules/shout"));
}

#[test]
fn every_install_mode_refuses_patches() {
    let context = TestContext::new(registry());
    patched_project(&context);
    for args in [
        &["install"][..],
        &["install", "--prefer-frozen-lockfile"],
        &["install", "--no-frozen-lockfile"],
    ] {
        context.lade(args).assert_failure_with("ERR_LADE_PATCHES_UNSUPPORTED");
    }
    std::fs::remove_file(context.project().join("pnpm-lock.yaml")).unwrap();
    context.lade(&["install"]).assert_failure_with("ERR_LADE_PATCHES_UNSUPPORTED");
    assert!(!context.exists("node_modules/shout"));
}
