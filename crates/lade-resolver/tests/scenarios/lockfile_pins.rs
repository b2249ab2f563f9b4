//! The existing lockfile: pins kept while specifiers are unchanged, preferred versions for new
//! dependencies, and updates that drop both.

use lade_resolver::Update;
use serde_json::{Value, json};

use crate::support::{Registry, project, resolve_ok, snapshot_keys, snapshot_text};

fn before() -> Registry {
    Registry::new().publish("foo", "1.0.0", json!({})).publish(
        "x",
        "1.0.0",
        json!({"dependencies": {"foo": "^1.0.0"}}),
    )
}

fn after() -> Registry {
    before()
        .publish("foo", "1.5.0", json!({}))
        .publish("foo", "1.6.0", json!({}))
        .publish("y", "1.0.0", json!({"dependencies": {"foo": "^1.5.0"}}))
        .publish("z", "1.0.0", json!({"dependencies": {"foo": "^1.0.0"}}))
}

/// Locks `first` against the old registry, then resolves `second` against the new one.
fn relock(first: Value, second: Value, update: Update) -> lade_lockfile::Lockfile {
    let locked = resolve_ok(&before(), &project(first)).lockfile;
    let mut input = project(second);
    input.existing_lockfile = Some(locked);
    input.update = update;
    resolve_ok(&after(), &input).lockfile
}

#[test]
fn adding_a_dependency_keeps_the_others_where_they_are() {
    let step2 = relock(
        json!({"dependencies": {"x": "^1.0.0"}}),
        json!({"dependencies": {"x": "^1.0.0", "y": "^1.0.0"}}),
        Update::None,
    );
    assert_eq!(snapshot_text(&step2, "x@1.0.0"), "\n    dependencies:\n      foo: 1.0.0");
    assert_eq!(snapshot_text(&step2, "y@1.0.0"), "\n    dependencies:\n      foo: 1.6.0");
    let mut input = project(json!({"dependencies": {"x": "^1.0.0", "y": "^1.0.0", "z": "^1.0.0"}}));
    input.existing_lockfile = Some(step2);
    let step3 = resolve_ok(&after(), &input).lockfile;
    assert_eq!(snapshot_text(&step3, "x@1.0.0"), "\n    dependencies:\n      foo: 1.0.0");
    assert_eq!(
        snapshot_text(&step3, "z@1.0.0"),
        "\n    dependencies:\n      foo: 1.6.0",
        "a new dependency prefers the highest of the versions already locked (as pnpm 10 did)"
    );
}

#[test]
fn an_unchanged_lockfile_resolves_to_itself() {
    let locked =
        resolve_ok(&before(), &project(json!({"dependencies": {"x": "^1.0.0", "foo": "^1"}})))
            .lockfile;
    let mut input = project(json!({"dependencies": {"x": "^1.0.0", "foo": "^1"}}));
    input.existing_lockfile = Some(locked.clone());
    let again = resolve_ok(&after(), &input).lockfile;
    assert_eq!(again.to_yaml_string(), locked.to_yaml_string());
}

#[test]
fn a_changed_specifier_is_resolved_again() {
    let lockfile = relock(
        json!({"dependencies": {"foo": "^1.0.0"}}),
        json!({"dependencies": {"foo": "~1.5.0"}}),
        Update::None,
    );
    assert_eq!(snapshot_keys(&lockfile), ["foo@1.5.0"]);
}

#[test]
fn updates_drop_pins_at_every_depth() {
    let first = json!({"dependencies": {"x": "^1.0.0", "foo": "^1.0.0"}});
    let all = relock(first.clone(), first.clone(), Update::All);
    assert_eq!(snapshot_keys(&all), ["foo@1.6.0", "x@1.0.0"]);
    let named = relock(first.clone(), first.clone(), Update::Matching(vec!["fo*".into()]));
    assert_eq!(snapshot_text(&named, "x@1.0.0"), "\n    dependencies:\n      foo: 1.6.0");
    let other = relock(first.clone(), first, Update::Matching(vec!["x".into()]));
    assert_eq!(
        snapshot_keys(&other),
        ["foo@1.0.0", "x@1.0.0"],
        "x was updated (to the same version); foo stays pinned as the project's dependency"
    );
}

#[test]
fn update_to_latest_passes_the_range() {
    let registry = after().publish("foo", "2.0.0", json!({}));
    let mut input = project(json!({"dependencies": {"foo": "^1.0.0"}}));
    input.update = Update::All;
    input.update_to_latest = true;
    let lockfile = resolve_ok(&registry, &input).lockfile;
    assert_eq!(snapshot_keys(&lockfile), ["foo@2.0.0"]);
}
