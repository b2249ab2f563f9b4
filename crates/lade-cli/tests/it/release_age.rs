//! pnpm 11's safer defaults for new resolutions: `minimumReleaseAge` of a day (falling back to
//! the lowest young match unless set explicitly) and `blockExoticSubdeps`; lockfiles that are
//! up to date are installed as they are.

use lade_test_registry::{PackageSpec, RegistryFixture};

use crate::context::TestContext;

/// Later than any cutoff: a version "published" then is always too young.
const YOUNG: &str = "2999-01-01T00:00:00.000Z";

/// `fresh` 1.0.0 is old, 1.1.0 and 1.2.0 were just published; `steady` is old; `vendored`
/// depends on a git repository.
fn catalog() -> RegistryFixture {
    RegistryFixture::new()
        .package(PackageSpec::new("fresh", "1.0.0"))
        .package(PackageSpec::new("fresh", "1.1.0").published(YOUNG))
        .package(PackageSpec::new("fresh", "1.2.0").published(YOUNG))
        .package(PackageSpec::new("steady", "1.0.0"))
        .package(PackageSpec::new("vendored", "1.0.0").dependency("forked", "github:user/forked"))
}

fn project(context: &TestContext, dependencies: &str) {
    context
        .write("package.json", &format!("{{\"name\": \"app\", \"dependencies\": {dependencies}}}"));
}

/// Full documents asked for (the abbreviated ones are asked for first).
fn full_document_requests(context: &TestContext) -> Vec<String> {
    let requests = context.registry.requests();
    let full = requests.iter().filter(|r| {
        r.header("accept").is_some_and(|accept| accept.starts_with("application/json"))
    });
    full.map(|r| r.path.clone()).collect()
}

#[test]
fn new_resolutions_wait_a_day_reading_full_metadata_only_for_recent_packages() {
    let context = TestContext::new(catalog());
    project(&context, r#"{"fresh": "^1.0.0", "steady": "^1.0.0"}"#);
    context.lade(&["install", "--lockfile-only"]).assert_success();
    let lockfile = context.read("pnpm-lock.yaml");
    assert!(lockfile.contains("      fresh:\n        specifier: ^1.0.0\n        version: 1.0.0\n"));
    assert_eq!(full_document_requests(&context), ["/fresh"]);

    std::fs::remove_file(context.project().join("pnpm-lock.yaml")).unwrap();
    context.write("pnpm-workspace.yaml", "minimumReleaseAge: 0\n");
    context.lade(&["install", "--lockfile-only"]).assert_success();
    assert!(context.read("pnpm-lock.yaml").contains("        version: 1.2.0\n"));
}

#[test]
fn the_default_age_falls_back_to_the_lowest_young_version_an_explicit_one_refuses() {
    let context = TestContext::new(catalog());
    project(&context, r#"{"fresh": "^1.1.0"}"#);
    let run = context.lade(&["install", "--lockfile-only"]);
    run.assert_success();
    assert!(run.mentions("fresh@1.1.0"), "the young pick is reported:\n{}", run.output());
    assert!(context.read("pnpm-lock.yaml").contains("        version: 1.1.0\n"));

    std::fs::remove_file(context.project().join("pnpm-lock.yaml")).unwrap();
    context.write("pnpm-workspace.yaml", "minimumReleaseAge: 1440\n");
    context
        .lade(&["install", "--lockfile-only"])
        .assert_failure_with("ERR_PNPM_NO_MATURE_MATCHING_VERSION");
    context.write(
        "pnpm-workspace.yaml",
        "minimumReleaseAge: 1440\nminimumReleaseAgeExclude:\n  - fresh@1.2.0\n",
    );
    context.lade(&["install", "--lockfile-only"]).assert_success();
    assert!(context.read("pnpm-lock.yaml").contains("        version: 1.2.0\n"));
}

#[test]
fn a_lockfile_pinning_a_young_version_still_installs() {
    let context = TestContext::new(catalog());
    project(&context, r#"{"fresh": "^1.0.0"}"#);
    context.write("pnpm-workspace.yaml", "minimumReleaseAge: 0\n");
    context.lade(&["install", "--lockfile-only"]).assert_success();
    let lockfile = context.read("pnpm-lock.yaml");
    assert!(lockfile.contains("        version: 1.2.0\n"));
    std::fs::remove_file(context.project().join("pnpm-workspace.yaml")).unwrap();

    context.lade(&["install", "--frozen-lockfile"]).assert_success();
    assert_eq!(context.link_target("node_modules/fresh"), ".pnpm/fresh@1.2.0/node_modules/fresh");
    context.lade(&["install"]).assert_success();
    project(&context, r#"{"fresh": "^1.0.0", "steady": "^1.0.0"}"#);
    context.lade(&["install"]).assert_success();
    assert!(
        context.read("pnpm-lock.yaml").contains("        version: 1.2.0\n"),
        "kept when re-resolving"
    );
}

#[test]
fn git_dependencies_of_dependencies_are_refused() {
    let context = TestContext::new(catalog());
    project(&context, r#"{"vendored": "1.0.0"}"#);
    let run = context.lade(&["install", "--lockfile-only"]);
    run.assert_failure_with("ERR_PNPM_EXOTIC_SUBDEP");
    assert!(run.mentions("github:user/forked"), "{}", run.output());
    context.write("pnpm-workspace.yaml", "blockExoticSubdeps: false\n");
    context
        .lade(&["install", "--lockfile-only"])
        .assert_failure_with("ERR_LADE_UNSUPPORTED_SPECIFIER");
}
