//! `npm:` aliases, dist-tags, and the specifiers importers record.

use serde_json::json;

use crate::support::{Registry, direct, project, resolve_ok, snapshot_keys, snapshot_text};

#[test]
fn aliases_lock_the_real_package_under_the_alias() {
    let registry = Registry::new()
        .publish("real", "1.0.0", json!({}))
        .publish("real", "1.2.0", json!({}))
        .publish("user", "1.0.0", json!({"dependencies": {"inner": "npm:real@^1.0.0"}}));
    let input = project(json!({"dependencies": {"nick": "npm:real@1.0.0", "user": "1.0.0"}}));
    let lockfile = resolve_ok(&registry, &input).lockfile;
    assert_eq!(direct(&lockfile)[0], ("nick".into(), "npm:real@1.0.0".into(), "real@1.0.0".into()));
    assert_eq!(snapshot_keys(&lockfile), ["real@1.0.0", "user@1.0.0"]);
    assert_eq!(
        snapshot_text(&lockfile, "user@1.0.0"),
        "\n    dependencies:\n      inner: real@1.0.0",
        "the project's real@1.0.0 is preferred below"
    );
}

#[test]
fn tags_pick_what_they_point_at() {
    let registry = Registry::new()
        .publish("foo", "1.0.0", json!({}))
        .publish("foo", "2.0.0", json!({}))
        .publish("foo", "3.0.0-rc.1", json!({}))
        .tag("foo", "latest", "2.0.0")
        .tag("foo", "legacy", "1.0.0");
    let input =
        project(json!({"dependencies": {"foo": "legacy"}, "devDependencies": {"f": "npm:foo"}}));
    let lockfile = resolve_ok(&registry, &input).lockfile;
    assert_eq!(
        direct(&lockfile),
        [
            ("foo".into(), "legacy".into(), "1.0.0".into()),
            ("f".into(), "npm:foo".into(), "foo@2.0.0".into())
        ]
    );
}

#[test]
fn scoped_packages_and_bins_are_recorded() {
    let registry = Registry::new().publish(
        "@s/tool",
        "1.0.0",
        json!({"bin": {"tool": "cli.js"}, "engines": {"node": ">=18", "npm": "*"}}),
    );
    let input = project(json!({"dependencies": {"@s/tool": "^1"}}));
    let text = resolve_ok(&registry, &input).lockfile.to_yaml_string();
    assert!(text.contains("  '@s/tool@1.0.0':\n    resolution: {integrity: sha512-"), "{text}");
    assert!(text.contains("    engines: {node: '>=18'}\n    hasBin: true\n"), "{text}");
}
