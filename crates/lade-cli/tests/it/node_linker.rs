//! `node-linker`: lade lays out only `isolated`; any other value stops the install before it
//! touches `node_modules`, never silently falling back to the isolated layout.

use lade_test_registry::{PackageSpec, RegistryFixture};

use crate::context::{TestContext, lockfile};

fn project_with_npmrc(npmrc: &str) -> TestContext {
    let context = TestContext::new(
        RegistryFixture::new().package(PackageSpec::new("shout", "2.1.0").file("index.js", "1")),
    );
    context.write("package.json", r#"{"name":"app","dependencies":{"shout":"^2.0.0"}}"#);
    let packages = [("shout", "2.1.0", context.integrity("shout", "2.1.0"), &[][..])];
    context.write("pnpm-lock.yaml", &lockfile(&[("shout", "^2.0.0", "2.1.0")], &packages));
    context.write(".npmrc", npmrc);
    context
}

#[test]
fn pnp_is_refused_with_a_code() {
    let context = project_with_npmrc("node-linker=pnp\n");
    let run = context.lade(&["install", "--frozen-lockfile"]);
    run.assert_failure_with("ERR_LADE_UNSUPPORTED_NODE_LINKER");
    assert!(run.mentions("node-linker=pnp"), "{}", run.output());
    assert!(!context.exists("node_modules"));
}

#[test]
fn hoisted_is_refused_rather_than_laid_out_isolated() {
    let context = project_with_npmrc("node-linker=hoisted\n");
    context
        .lade(&["install", "--frozen-lockfile"])
        .assert_failure_with("ERR_LADE_UNSUPPORTED_NODE_LINKER");
    assert!(!context.exists("node_modules"));
}
