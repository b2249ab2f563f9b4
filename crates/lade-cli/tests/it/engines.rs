//! `engines.node` decides, as in pnpm 10, which optional packages an install skips; with
//! `engine-strict` a required package for another Node.js is an error.

use lade_test_registry::{PackageSpec, RegistryFixture};

use crate::context::TestContext;

/// `app -> tool`, and `tool` has two optional dependencies: one for any Node.js and one only
/// for a Node.js newer than any there is.
fn fixture() -> RegistryFixture {
    RegistryFixture::new()
        .package(
            PackageSpec::new("tool", "1.0.0")
                .engine("node", ">=0.10")
                .optional_dependency("any-node", "^1.0.0")
                .optional_dependency("future-node", "^1.0.0"),
        )
        .package(PackageSpec::new("any-node", "1.0.0").engine("node", ">=0.10"))
        .package(PackageSpec::new("future-node", "1.0.0").engine("node", ">=999"))
        .package(PackageSpec::new("needs-future", "1.0.0").engine("node", ">=999"))
}

#[test]
fn optional_packages_for_a_newer_node_are_skipped() {
    let context = TestContext::new(fixture());
    context.write("package.json", r#"{"name":"app","dependencies":{"tool":"^1.0.0"}}"#);
    context.lade(&["install"]).assert_success();
    assert!(context.exists("node_modules/.pnpm/any-node@1.0.0"));
    assert!(!context.exists("node_modules/.pnpm/future-node@1.0.0"));
    let modules = context.read("node_modules/.modules.yaml");
    let skipped = modules.split("\"skipped\"").nth(1).unwrap().split(']').next().unwrap();
    assert!(skipped.contains("future-node@1.0.0") && !skipped.contains("any-node"), "{modules}");
    // pnpm keeps the skipped package in the lockfile: another machine may install it.
    assert!(context.read("pnpm-lock.yaml").contains("future-node@1.0.0:"));
}

#[test]
fn engine_strict_refuses_a_required_package_for_a_newer_node() {
    let context = TestContext::new(fixture());
    context.write("package.json", r#"{"name":"app","dependencies":{"needs-future":"1.0.0"}}"#);
    context.lade(&["install"]).assert_success();
    assert!(context.exists("node_modules/needs-future"));

    context.write(".npmrc", &format!("registry={}\nengine-strict=true\n", context.registry.url()));
    std::fs::remove_dir_all(context.project().join("node_modules")).unwrap();
    let run = context.lade(&["install", "--frozen-lockfile"]);
    assert!(!run.success());
    assert!(run.output().contains("ERR_PNPM_UNSUPPORTED_ENGINE"), "{}", run.output());
    assert!(run.output().contains("needs-future@1.0.0"), "{}", run.output());
    assert!(!context.exists("node_modules/needs-future"));
}
