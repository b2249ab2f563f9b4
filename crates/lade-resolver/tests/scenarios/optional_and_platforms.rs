//! Optional dependencies, platform fields and bundled dependencies.

use serde_json::json;

use crate::support::{Registry, project, resolve_ok, snapshot_keys, snapshot_text};

#[test]
fn optional_dependencies_are_marked_and_keep_their_platforms() {
    let registry = Registry::new()
        .publish("native", "1.0.0", json!({"os": ["darwin"], "cpu": ["arm64"], "libc": ["glibc"]}))
        .publish("missing-too", "1.0.0", json!({}))
        .publish(
            "lib",
            "1.0.0",
            json!({"optionalDependencies": {"native": "^1.0.0", "gone": "^1.0.0"}}),
        );
    let input = project(json!({"dependencies": {"lib": "1.0.0"}}));
    let lockfile = resolve_ok(&registry, &input).lockfile;
    assert_eq!(
        snapshot_keys(&lockfile),
        ["lib@1.0.0", "native@1.0.0"],
        "an unpublished optional dependency is skipped"
    );
    assert_eq!(
        snapshot_text(&lockfile, "lib@1.0.0"),
        "\n    optionalDependencies:\n      native: 1.0.0"
    );
    assert_eq!(snapshot_text(&lockfile, "native@1.0.0"), "\n    optional: true");
    let text = lockfile.to_yaml_string();
    assert!(text.contains("    cpu: [arm64]\n    os: [darwin]\n    libc: [glibc]\n"), "{text}");
}

#[test]
fn a_package_reached_both_ways_is_not_optional() {
    let registry = Registry::new().publish("shared", "1.0.0", json!({})).publish(
        "a",
        "1.0.0",
        json!({"optionalDependencies": {"shared": "1.0.0"}}),
    );
    let input = project(json!({"dependencies": {"a": "1.0.0", "shared": "1.0.0"}}));
    let lockfile = resolve_ok(&registry, &input).lockfile;
    assert_eq!(snapshot_text(&lockfile, "shared@1.0.0"), " {}");
}

#[test]
fn dev_only_packages_are_not_optional_and_bundled_ones_are_not_resolved() {
    let registry = Registry::new().publish("inside", "1.0.0", json!({})).publish(
        "bundler",
        "1.0.0",
        json!({"dependencies": {"inside": "1.0.0"}, "bundleDependencies": ["inside"]}),
    );
    let input = project(json!({"devDependencies": {"bundler": "1.0.0"}}));
    let lockfile = resolve_ok(&registry, &input).lockfile;
    assert_eq!(snapshot_keys(&lockfile), ["bundler@1.0.0"]);
    assert!(lockfile.to_yaml_string().contains("    bundledDependencies:\n      - inside\n"));
}
