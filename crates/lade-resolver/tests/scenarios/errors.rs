//! Each failure carries a stable code (pnpm's where pnpm fails the same way).

use lade_resolver::ResolveError;
use miette::Diagnostic;
use serde_json::json;

use crate::support::{Registry, importer, project, run};

fn code(registry: &Registry, input: &lade_resolver::ResolveInput) -> String {
    let error: ResolveError = run(registry, input).unwrap_err();
    error.code().map(|code| code.to_string()).unwrap_or_default()
}

#[test]
fn failures_have_pinned_codes() {
    let registry = Registry::new().publish("foo", "1.0.0", json!({}));
    let deps = |deps: serde_json::Value| project(json!({ "dependencies": deps }));
    assert_eq!(code(&registry, &deps(json!({"foo": "^2.0.0"}))), "ERR_PNPM_NO_MATCHING_VERSION");
    assert_eq!(code(&registry, &deps(json!({"nope": "^1"}))), "ERR_PNPM_FETCH_404");
    assert_eq!(
        code(&registry, &deps(json!({"foo": "not a range!"}))),
        "ERR_PNPM_INVALID_SPECIFIER"
    );
    assert_eq!(
        code(&registry, &deps(json!({"foo": "github:a/b"}))),
        "ERR_LADE_UNSUPPORTED_SPECIFIER"
    );
    assert_eq!(
        code(&registry, &deps(json!({"foo": "catalog:"}))),
        "ERR_PNPM_CATALOG_ENTRY_NOT_FOUND_FOR_SPEC"
    );
    assert_eq!(
        code(&registry, &deps(json!({"foo": "workspace:*"}))),
        "ERR_PNPM_WORKSPACE_PKG_NOT_FOUND"
    );

    let mut workspace = deps(json!({"lib": "workspace:^2.0.0"}));
    workspace.projects.push(importer("packages/lib", json!({"name": "lib", "version": "1.0.0"})));
    assert_eq!(code(&registry, &workspace), "ERR_PNPM_NO_MATCHING_VERSION_INSIDE_WORKSPACE");

    let mut overrides = deps(json!({"foo": "1.0.0"}));
    overrides.overrides.insert(String::new(), "1.0.0".into());
    assert_eq!(code(&registry, &overrides), "ERR_PNPM_INVALID_SELECTOR");

    let mut young = deps(json!({"foo": "1.0.0"}));
    young.settings.minimum_release_age_minutes = 60 * 24 * 365 * 100;
    young.settings.minimum_release_age_strict = true;
    assert_eq!(code(&registry, &young), "ERR_PNPM_NO_MATURE_MATCHING_VERSION");

    young.settings.minimum_release_age_exclude = vec!["foo@^1".into()];
    assert_eq!(code(&registry, &young), "ERR_PNPM_INVALID_MINIMUM_RELEASE_AGE_EXCLUDE");

    let timeless = Registry::new().publish("foo", "1.0.0", json!({})).without_times("foo");
    let mut missing = deps(json!({"foo": "1.0.0"}));
    missing.settings.minimum_release_age_minutes = 60;
    missing.settings.minimum_release_age_ignore_missing_time = false;
    assert_eq!(code(&timeless, &missing), "ERR_PNPM_MISSING_TIME");

    let exotic = Registry::new().publish("foo", "1.0.0", json!({"dependencies": {"g": "a/b"}}));
    let mut blocked = deps(json!({"foo": "1.0.0"}));
    blocked.settings.block_exotic_subdeps = true;
    assert_eq!(code(&exotic, &blocked), "ERR_PNPM_EXOTIC_SUBDEP");
}

#[test]
fn optional_dependencies_that_fail_are_skipped() {
    let registry = Registry::new().publish("foo", "1.0.0", json!({}));
    let input =
        project(json!({"optionalDependencies": {"foo": "^9", "nope": "1", "g": "github:a/b"}}));
    assert!(run(&registry, &input).unwrap().lockfile.snapshots.is_empty());
}

#[test]
fn exotic_dependencies_are_refused_only_below_the_projects() {
    let specifiers = ["github:a/b", "a/b#main", "https://host.example.test/b-1.0.0.tgz"];
    for specifier in specifiers {
        let registry =
            Registry::new().publish("foo", "1.0.0", json!({"dependencies": {"b": specifier}}));
        let mut input = project(json!({"dependencies": {"foo": "1.0.0"}}));
        input.settings.block_exotic_subdeps = true;
        let error = run(&registry, &input).unwrap_err();
        assert!(
            matches!(&error, ResolveError::ExoticSubdependency { parent, .. } if parent == "foo@1.0.0"),
            "{specifier}: {error:?}"
        );

        input.settings.block_exotic_subdeps = false;
        let error = run(&registry, &input).unwrap_err();
        assert!(matches!(error, ResolveError::UnsupportedSpecifier { .. }), "{error:?}");

        let mut direct = project(json!({"dependencies": {"b": specifier}}));
        direct.settings.block_exotic_subdeps = true;
        let error = run(&registry, &direct).unwrap_err();
        assert!(matches!(error, ResolveError::UnsupportedSpecifier { .. }), "{error:?}");
    }
}

#[test]
fn local_subdependencies_are_not_exotic() {
    let registry =
        Registry::new().publish("foo", "1.0.0", json!({"dependencies": {"b": "file:../b"}}));
    let mut input = project(json!({"dependencies": {"foo": "1.0.0"}}));
    input.settings.block_exotic_subdeps = true;
    let error = run(&registry, &input).unwrap_err();
    assert!(matches!(error, ResolveError::UnsupportedSpecifier { .. }), "{error:?}");
}
