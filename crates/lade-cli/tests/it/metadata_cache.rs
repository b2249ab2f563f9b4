//! When lade trusts a cached metadata document without asking the registry (`--prefer-offline`,
//! or a document written within the `minimumReleaseAge` window, as pnpm 12 does), and the
//! document cannot give a dependency a version (none matches, or only one too young), the
//! registry is asked again and the resolution starts over.

use std::path::PathBuf;

use lade_test_registry::{PackageSpec, RegistryFixture};

use crate::context::TestContext;

/// Later than any cutoff: a version "published" then is always too young.
const YOUNG: &str = "2999-01-01T00:00:00.000Z";

fn catalog() -> RegistryFixture {
    RegistryFixture::new()
        .package(PackageSpec::new("lib", "1.0.0"))
        .package(PackageSpec::new("lib", "2.0.0"))
        .package(PackageSpec::new("steady", "1.0.0"))
        .package(PackageSpec::new("fresh", "1.0.0"))
        .package(PackageSpec::new("fresh", "1.1.0").published(YOUNG))
}

fn depend_on(context: &TestContext, dependencies: &str) {
    context.write("package.json", &format!("{{\"name\":\"app\",\"dependencies\":{dependencies}}}"));
    let _ = std::fs::remove_file(context.project().join("pnpm-lock.yaml"));
}

/// The cached abbreviated document of `name`.
fn cached_document(context: &TestContext, name: &str) -> PathBuf {
    let host = context.registry.url().trim_start_matches("http://").trim_end_matches('/');
    let host = host.replace(':', "+");
    context.root().join("cache/lade/v11/metadata").join(host).join(format!("{name}.jsonl"))
}

/// Rewrites a cached document as an older one, from before `version` was published (so its
/// ETag no longer matches the registry's).
fn forget_version(context: &TestContext, name: &str, version: &str) {
    let path = cached_document(context, name);
    let text = std::fs::read_to_string(&path).unwrap();
    let (_, body) = text.split_once('\n').unwrap();
    let headers = r#"{"etag":"\"an older document\""}"#;
    let mut document: serde_json::Value = serde_json::from_str(body).unwrap();
    document["versions"].as_object_mut().unwrap().remove(version);
    document["dist-tags"]["latest"] = "1.0.0".into();
    std::fs::write(&path, format!("{headers}\n{document}")).unwrap();
}

#[test]
fn a_cached_document_without_a_matching_version_is_fetched_again() {
    let context = TestContext::new(catalog());
    depend_on(&context, r#"{"lib":"^1.0.0"}"#);
    context.lade(&["install", "--lockfile-only"]).assert_success();
    forget_version(&context, "lib", "2.0.0");

    depend_on(&context, r#"{"lib":"^2.0.0"}"#);
    context.registry.clear_requests();
    context.lade(&["install", "--lockfile-only", "--prefer-offline"]).assert_success();
    assert!(
        context
            .read("pnpm-lock.yaml")
            .contains("      lib:\n        specifier: ^2.0.0\n        version: 2.0.0\n")
    );
    assert_eq!(context.registry.request_count("/lib"), 1);
}

#[test]
fn documents_cached_within_the_release_age_are_trusted_unless_the_pick_needs_a_young_version() {
    let context = TestContext::new(catalog());
    depend_on(&context, r#"{"steady":"^1.0.0","fresh":"^1.1.0"}"#);
    context.lade(&["install", "--lockfile-only"]).assert_success();
    let first = context.read("pnpm-lock.yaml");
    assert!(first.contains("      fresh:\n        specifier: ^1.1.0\n        version: 1.1.0\n"));

    depend_on(&context, r#"{"steady":"^1.0.0","fresh":"^1.1.0"}"#);
    context.registry.clear_requests();
    context.lade(&["install", "--lockfile-only"]).assert_success();
    assert_eq!(context.read("pnpm-lock.yaml"), first);
    // `steady` was cached less than a day ago: anything published since is too young to pick.
    assert_eq!(context.registry.request_count("/steady"), 0);
    // `fresh` had only a young match, which a newer document could change: asked again.
    assert!(context.registry.request_count("/fresh") >= 1);

    context.write("pnpm-workspace.yaml", "minimumReleaseAge: 0\n");
    depend_on(&context, r#"{"steady":"^1.0.0"}"#);
    context.registry.clear_requests();
    context.lade(&["install", "--lockfile-only"]).assert_success();
    assert_eq!(context.registry.request_count("/steady"), 1, "without an age, revalidated");
}
