//! Peer dependencies: provided by an ancestor, auto-installed, optional, missing (reported),
//! unmet (reported), and the suffixes that name them.

use lade_resolver::{PackageRef, render_peer_issues};
use serde_json::json;

use crate::support::{Registry, direct_version, project, resolve_ok, snapshot_keys, snapshot_text};

fn host_and_plugin() -> Registry {
    Registry::new()
        .publish("host", "1.0.0", json!({}))
        .publish("host", "1.1.0", json!({}))
        .publish("host", "2.0.0", json!({}))
        .tag("host", "latest", "1.1.0")
        .publish("plugin", "1.0.0", json!({"peerDependencies": {"host": "^1.0.0"}}))
}

#[test]
fn a_provided_peer_names_the_dependent_path() {
    let input = project(json!({"dependencies": {"plugin": "1.0.0", "host": "1.0.0"}}));
    let lockfile = resolve_ok(&host_and_plugin(), &input).lockfile;
    assert_eq!(snapshot_keys(&lockfile), ["host@1.0.0", "plugin@1.0.0(host@1.0.0)"]);
    assert_eq!(direct_version(&lockfile, "plugin"), "1.0.0(host@1.0.0)");
    assert_eq!(
        snapshot_text(&lockfile, "plugin@1.0.0(host@1.0.0)"),
        "\n    dependencies:\n      host: 1.0.0"
    );
    let text = lockfile.to_yaml_string();
    assert!(text.contains("  plugin@1.0.0:\n    resolution: {integrity: sha512-"));
    assert!(text.contains("    peerDependencies:\n      host: ^1.0.0\n"));
}

#[test]
fn missing_peers_are_installed_by_default() {
    let input = project(json!({"dependencies": {"plugin": "1.0.0"}}));
    let resolved = resolve_ok(&host_and_plugin(), &input);
    assert_eq!(snapshot_keys(&resolved.lockfile), ["host@1.1.0", "plugin@1.0.0(host@1.1.0)"]);
    assert!(resolved.peer_issues.is_empty());
}

#[test]
fn without_auto_install_a_missing_peer_is_reported() {
    let mut input = project(json!({"dependencies": {"plugin": "1.0.0"}}));
    input.settings.auto_install_peers = false;
    let resolved = resolve_ok(&host_and_plugin(), &input);
    assert_eq!(snapshot_keys(&resolved.lockfile), ["plugin@1.0.0"]);
    let issue = &resolved.peer_issues[0];
    assert_eq!((issue.peer.as_str(), issue.found_version.as_deref()), ("host", None));
    assert_eq!(issue.parents, [PackageRef { name: "plugin".into(), version: "1.0.0".into() }]);
    assert_eq!(
        render_peer_issues(&resolved.peer_issues).as_deref(),
        Some(
            ".\n└─┬ plugin 1.0.0\n  └── ✕ missing peer host@^1.0.0\nPeer dependencies that should be installed:\n  host@^1.0.0"
        )
    );
    assert!(resolved.lockfile.to_yaml_string().contains("  autoInstallPeers: false\n"));
}

#[test]
fn an_unmet_peer_is_used_and_reported() {
    let input = project(json!({"dependencies": {"plugin": "1.0.0", "host": "2.0.0"}}));
    let resolved = resolve_ok(&host_and_plugin(), &input);
    assert_eq!(snapshot_keys(&resolved.lockfile), ["host@2.0.0", "plugin@1.0.0(host@2.0.0)"]);
    assert_eq!(
        render_peer_issues(&resolved.peer_issues).as_deref(),
        Some(".\n└─┬ plugin 1.0.0\n  └── ✕ unmet peer host@^1.0.0: found 2.0.0")
    );
}

#[test]
fn optional_peers_are_neither_installed_nor_reported() {
    let registry = host_and_plugin().publish(
        "soft",
        "1.0.0",
        json!({"peerDependencies": {"host": "^1"}, "peerDependenciesMeta": {"host": {"optional": true}}}),
    );
    let input = project(json!({"dependencies": {"soft": "1.0.0"}}));
    let resolved = resolve_ok(&registry, &input);
    assert_eq!(snapshot_keys(&resolved.lockfile), ["soft@1.0.0"]);
    assert_eq!(render_peer_issues(&resolved.peer_issues), None);
    assert!(
        resolved
            .lockfile
            .to_yaml_string()
            .contains("    peerDependenciesMeta:\n      host:\n        optional: true\n")
    );
}

#[test]
fn peers_of_dependencies_reach_the_suffix_of_their_dependents() {
    let registry = host_and_plugin().publish(
        "kit",
        "1.0.0",
        json!({"dependencies": {"plugin": "1.0.0"}, "peerDependencies": {"host": "*"}}),
    );
    let input = project(json!({"dependencies": {"kit": "1.0.0", "host": "1.1.0"}}));
    let lockfile = resolve_ok(&registry, &input).lockfile;
    assert_eq!(
        snapshot_keys(&lockfile),
        ["host@1.1.0", "kit@1.0.0(host@1.1.0)", "plugin@1.0.0(host@1.1.0)"]
    );
    assert_eq!(
        snapshot_text(&lockfile, "kit@1.0.0(host@1.1.0)"),
        "\n    dependencies:\n      host: 1.1.0\n      plugin: 1.0.0(host@1.1.0)"
    );
}

#[test]
fn transitive_peers_are_listed_when_left_to_the_parent() {
    let registry =
        host_and_plugin().publish("wrapper", "1.0.0", json!({"dependencies": {"plugin": "1.0.0"}}));
    let mut input = project(json!({"dependencies": {"wrapper": "1.0.0"}}));
    input.settings.auto_install_peers = false;
    let lockfile = resolve_ok(&registry, &input).lockfile;
    assert_eq!(
        snapshot_text(&lockfile, "wrapper@1.0.0"),
        "\n    dependencies:\n      plugin: 1.0.0\n    transitivePeerDependencies:\n      - host"
    );
}
