//! Version ranges, the `latest` tag's priority, deduplication and preferred versions.

use serde_json::json;

use crate::support::{
    Registry, direct, direct_version, project, resolve_ok, snapshot_keys, snapshot_text,
};

#[test]
fn the_highest_match_wins_unless_latest_matches() {
    let registry = Registry::new()
        .publish("foo", "1.0.0", json!({}))
        .publish("foo", "1.1.0", json!({}))
        .publish("foo", "2.0.0", json!({}))
        .publish("bar", "1.0.0", json!({}))
        .publish("bar", "1.5.0", json!({}))
        .tag("bar", "latest", "1.0.0");
    let input = project(json!({"dependencies": {"foo": "^1.0.0", "bar": "^1.0.0"}}));
    let lockfile = resolve_ok(&registry, &input).lockfile;
    let mut locked = direct(&lockfile);
    locked.sort();
    assert_eq!(
        locked,
        [
            ("bar".into(), "^1.0.0".into(), "1.0.0".into()),
            ("foo".into(), "^1.0.0".into(), "1.1.0".into())
        ],
        "bar's latest (1.0.0) satisfies ^1.0.0, so pnpm takes it over 1.5.0"
    );
}

#[test]
fn prereleases_need_a_tag_or_an_exact_version() {
    let registry = Registry::new()
        .publish("foo", "1.0.0", json!({}))
        .publish("foo", "1.1.0-beta.1", json!({}))
        .tag("foo", "latest", "1.0.0")
        .tag("foo", "next", "1.1.0-beta.1");
    let input = project(
        json!({"dependencies": {"foo": "^1.0.0"}, "devDependencies": {"b": "npm:foo@next"}}),
    );
    let lockfile = resolve_ok(&registry, &input).lockfile;
    assert_eq!(snapshot_keys(&lockfile), ["foo@1.0.0", "foo@1.1.0-beta.1"]);
}

#[test]
fn one_version_serves_every_compatible_range() {
    let registry = Registry::new()
        .publish("shared", "1.0.0", json!({}))
        .publish("shared", "1.4.0", json!({}))
        .publish("a", "1.0.0", json!({"dependencies": {"shared": "^1.0.0"}}))
        .publish("b", "1.0.0", json!({"dependencies": {"shared": "~1.4.0"}}));
    let input = project(json!({"dependencies": {"a": "1.0.0", "b": "1.0.0"}}));
    let lockfile = resolve_ok(&registry, &input).lockfile;
    assert_eq!(snapshot_keys(&lockfile), ["a@1.0.0", "b@1.0.0", "shared@1.4.0"]);
    assert_eq!(snapshot_text(&lockfile, "a@1.0.0"), "\n    dependencies:\n      shared: 1.4.0");
}

#[test]
fn a_project_version_is_preferred_below() {
    let registry = Registry::new()
        .publish("shared", "1.0.0", json!({}))
        .publish("shared", "1.4.0", json!({}))
        .publish("a", "1.0.0", json!({"dependencies": {"shared": "^1.0.0"}}));
    let input = project(json!({"dependencies": {"a": "1.0.0", "shared": "1.0.0"}}));
    let lockfile = resolve_ok(&registry, &input).lockfile;
    assert_eq!(snapshot_text(&lockfile, "a@1.0.0"), "\n    dependencies:\n      shared: 1.0.0");
}

#[test]
fn deprecated_highest_versions_are_avoided_and_reported() {
    let registry = Registry::new()
        .publish("foo", "1.0.0", json!({}))
        .publish("foo", "1.1.0", json!({"deprecated": "broken"}))
        .publish("foo", "2.0.0", json!({}))
        .publish("old", "1.0.0", json!({"deprecated": "use new"}))
        .publish("app-dep", "1.0.0", json!({"dependencies": {"old": "^1.0.0", "foo": "^1.0.0"}}));
    let input = project(json!({"dependencies": {"app-dep": "1.0.0"}}));
    let resolved = resolve_ok(&registry, &input);
    assert_eq!(
        snapshot_text(&resolved.lockfile, "app-dep@1.0.0"),
        "\n    dependencies:\n      foo: 1.0.0\n      old: 1.0.0",
        "without preferences the deprecated 1.1.0 is passed over"
    );
    let deprecated: Vec<(String, bool)> = resolved
        .deprecations
        .iter()
        .map(|d| (format!("{}@{}", d.name, d.version), d.direct))
        .collect();
    assert_eq!(deprecated, [("old@1.0.0".to_owned(), false)]);
    let text = resolved.lockfile.to_yaml_string();
    assert!(text.contains("  old@1.0.0:\n    resolution: {integrity: "));
    assert!(text.contains("    deprecated: use new\n"));

    let own_range = project(json!({"dependencies": {"foo": "^1.0.0"}}));
    let resolved = resolve_ok(&registry, &own_range);
    assert_eq!(
        direct_version(&resolved.lockfile, "foo"),
        "1.1.0",
        "a project's own range is a preference, and pnpm takes its highest version as is"
    );
    assert!(resolved.deprecations.iter().any(|d| d.name == "foo" && d.direct));
}

#[test]
fn cycles_end_where_the_chain_repeats() {
    let registry = Registry::new()
        .publish("a", "1.0.0", json!({"dependencies": {"b": "1.0.0"}}))
        .publish("b", "1.0.0", json!({"dependencies": {"a": "1.0.0"}}));
    let input = project(json!({"dependencies": {"a": "1.0.0"}}));
    let lockfile = resolve_ok(&registry, &input).lockfile;
    assert_eq!(snapshot_text(&lockfile, "a@1.0.0"), "\n    dependencies:\n      b: 1.0.0");
    assert_eq!(snapshot_text(&lockfile, "b@1.0.0"), "\n    dependencies:\n      a: 1.0.0");
}
