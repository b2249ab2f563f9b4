//! Bad input gets a coded error, a non-zero exit and nothing half-written.

use lade_test_registry::{Fault, PackageSpec, RegistryFixture};

use crate::context::{TestContext, lockfile};

fn one_package() -> RegistryFixture {
    RegistryFixture::new().package(PackageSpec::new("solo", "1.0.0").file("index.js", "1"))
}

fn project(context: &TestContext) {
    context.write(
        "package.json",
        r#"{"name":"app","version":"1.0.0","dependencies":{"solo":"1.0.0"}}"#,
    );
    let packages = [("solo", "1.0.0", context.integrity("solo", "1.0.0"), &[][..])];
    context.write("pnpm-lock.yaml", &lockfile(&[("solo", "1.0.0", "1.0.0")], &packages));
}

/// No retries, so failure tests finish quickly.
fn without_retries(context: &TestContext) {
    context.write(".npmrc", &format!("registry={}\nfetch-retries=0\n", context.registry.url()));
}

#[test]
fn tarball_bytes_that_do_not_match_the_integrity_never_enter_the_store() {
    let context = TestContext::new(one_package());
    project(&context);
    without_retries(&context);
    context.registry.set_fault(Fault::CorruptBody.everywhere());
    context
        .lade(&["install", "--frozen-lockfile"])
        .assert_failure_with("ERR_PNPM_TARBALL_INTEGRITY");
    assert!(context.store_files().is_empty(), "{:?}", context.store_files());
    assert!(!context.exists("node_modules/.modules.yaml"));
}

#[test]
fn a_malformed_lockfile_names_the_line() {
    let context = TestContext::new(one_package());
    project(&context);
    context.write(
        "pnpm-lock.yaml",
        "lockfileVersion: '9.0'\n\nimporters:\n  .:\n    dependencies: [oops\n",
    );
    let run = context.lade(&["install", "--frozen-lockfile"]);
    run.assert_failure_with("ERR_PNPM_BROKEN_LOCKFILE");
    assert!(run.output().contains("pnpm-lock.yaml"), "{}", run.output());
    assert!(run.output().contains("(5:19)"), "the line and column: {}", run.output());
}

#[test]
fn a_stale_lockfile_fails_a_frozen_install_naming_the_dependency() {
    let context = TestContext::new(one_package());
    project(&context);
    context.write(
        "package.json",
        r#"{"name":"app","version":"1.0.0","dependencies":{"solo":"^2.0.0"}}"#,
    );
    let run = context.lade(&["install", "--frozen-lockfile"]);
    run.assert_failure_with("ERR_PNPM_OUTDATED_LOCKFILE");
    assert!(run.output().contains("solo"), "{}", run.output());
}

#[test]
fn an_unreachable_registry_is_a_coded_error() {
    let context = TestContext::new(one_package());
    project(&context);
    // A port nothing listens on: bind one, then close it.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    context.write(".npmrc", &format!("registry=http://127.0.0.1:{port}/\nfetch-retries=0\n"));
    let run = context.lade(&["install", "--frozen-lockfile"]);
    run.assert_failure_with("ERR_LADE_FETCH_NETWORK");
    assert!(run.output().contains("solo@1.0.0"), "{}", run.output());
}

#[test]
fn a_missing_tarball_names_the_package() {
    let context = TestContext::new(one_package());
    project(&context);
    without_retries(&context);
    context.registry.set_fault(Fault::Status(404).everywhere());
    let run = context.lade(&["install", "--frozen-lockfile"]);
    run.assert_failure_with("ERR_PNPM_FETCH_404");
    assert!(run.output().contains("solo"), "{}", run.output());
}

#[test]
fn unknown_flags_are_rejected_with_a_suggestion() {
    let context = TestContext::new(one_package());
    let run = context.lade(&["install", "--frozen-lockfil"]);
    run.assert_failure_with("ERR_LADE_UNKNOWN_OPTION");
    assert!(run.output().contains("--frozen-lockfile"), "{}", run.output());
}
