//! `overrides`, `packageExtensions` (with their lockfile checksum) and
//! `ignoredOptionalDependencies`.

use indexmap::IndexMap;
use lade_resolver::PackageExtension;
use serde_json::json;

use crate::support::{Registry, project, resolve_ok, snapshot_keys, snapshot_text};

fn registry() -> Registry {
    Registry::new()
        .publish("dep", "1.0.0", json!({}))
        .publish("dep", "2.0.0", json!({}))
        .publish("extra", "1.0.0", json!({}))
        .publish(
            "lib",
            "1.0.0",
            json!({"dependencies": {"dep": "^1.0.0"}, "optionalDependencies": {"fsevents": "^2"}}),
        )
        .publish("fsevents", "2.0.0", json!({}))
}

#[test]
fn overrides_replace_specifiers_everywhere_or_below_a_parent() {
    let mut input = project(json!({"dependencies": {"lib": "1.0.0", "dep": "^1.0.0"}}));
    input.overrides.insert("lib>dep".into(), "2.0.0".into());
    let lockfile = resolve_ok(&registry(), &input).lockfile;
    assert_eq!(snapshot_text(&lockfile, "lib@1.0.0").lines().nth(2), Some("      dep: 2.0.0"));
    assert!(snapshot_keys(&lockfile).contains(&"dep@1.0.0".to_owned()));
    assert!(lockfile.to_yaml_string().contains("overrides:\n  lib>dep: 2.0.0\n"));

    let mut input = project(json!({"dependencies": {"lib": "1.0.0"}}));
    input.overrides.insert("dep".into(), "-".into());
    let lockfile = resolve_ok(&registry(), &input).lockfile;
    assert!(!snapshot_keys(&lockfile).iter().any(|key| key.starts_with("dep@")), "`-` removes it");
}

#[test]
fn package_extensions_add_dependencies_and_record_a_checksum() {
    let mut input = project(json!({"dependencies": {"lib": "1.0.0"}}));
    let extension = PackageExtension {
        dependencies: [("extra".to_owned(), "^1.0.0".to_owned())].into_iter().collect(),
        ..PackageExtension::default()
    };
    input.package_extensions = IndexMap::from([("lib@1".to_owned(), extension)]);
    let lockfile = resolve_ok(&registry(), &input).lockfile;
    assert!(snapshot_text(&lockfile, "lib@1.0.0").contains("      extra: 1.0.0"));
    let checksum = lockfile.package_extensions_checksum.clone().unwrap();
    assert_eq!(
        Some(checksum),
        lade_resolver::package_extensions_checksum(&input.package_extensions)
    );
}

#[test]
fn ignored_optional_dependencies_are_dropped_and_recorded() {
    let mut input = project(json!({"dependencies": {"lib": "1.0.0"}}));
    input.ignored_optional_dependencies = vec!["fsevents".into()];
    let lockfile = resolve_ok(&registry(), &input).lockfile;
    assert_eq!(snapshot_keys(&lockfile), ["dep@1.0.0", "lib@1.0.0"]);
    assert!(lockfile.to_yaml_string().contains("ignoredOptionalDependencies:\n  - fsevents\n"));
}
