//! `minimumReleaseAge` and `resolution-mode=time-based`, which read publish times.

use std::sync::Arc;

use lade_resolver::{ResolutionMode, ResolveError, ResolveInput};
use serde_json::json;

use crate::support::{Registry, project, resolve_ok, run, run_against, snapshot_keys};

fn iso_days_ago(days: i64) -> String {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs()
        as i64;
    let secs = now - days * 86_400;
    let (days_since_epoch, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let z = days_since_epoch + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:00.000Z", rem / 3600, rem % 3600 / 60)
}

/// foo 1.0.0 a month old, 1.1.0 and 1.2.0 published today.
fn young_foo() -> Registry {
    Registry::new()
        .publish("foo", "1.0.0", json!({}))
        .publish("foo", "1.1.0", json!({}))
        .publish("foo", "1.2.0", json!({}))
        .published("foo", "1.0.0", &iso_days_ago(30))
        .published("foo", "1.1.0", &iso_days_ago(0))
        .published("foo", "1.2.0", &iso_days_ago(0))
}

fn day_old(manifest: serde_json::Value) -> ResolveInput {
    let mut input = project(manifest);
    input.settings.minimum_release_age_minutes = 24 * 60;
    input
}

#[test]
fn young_versions_wait_for_the_minimum_release_age() {
    let registry = young_foo();
    let mut input = day_old(json!({"dependencies": {"foo": "^1.0.0"}}));
    let resolved = resolve_ok(&registry, &input);
    assert_eq!(snapshot_keys(&resolved.lockfile), ["foo@1.0.0"]);
    assert!(resolved.immature.is_empty());

    input.settings.minimum_release_age_minutes = 0;
    assert_eq!(snapshot_keys(&resolve_ok(&registry, &input).lockfile), ["foo@1.2.0"]);
}

#[test]
fn without_an_old_enough_match_the_lowest_young_one_is_picked_unless_strict() {
    let registry = young_foo();
    let mut input = day_old(json!({"dependencies": {"foo": "^1.1.0"}}));
    let resolved = resolve_ok(&registry, &input);
    assert_eq!(snapshot_keys(&resolved.lockfile), ["foo@1.1.0"], "the lowest, not the highest");
    let immature: Vec<_> = resolved.immature.iter().map(|p| (&*p.name, &*p.version)).collect();
    assert_eq!(immature, [("foo", "1.1.0")]);

    input.settings.minimum_release_age_strict = true;
    let error = run(&registry, &input).unwrap_err();
    assert!(matches!(error, ResolveError::NoMatureMatchingVersion { .. }), "{error:?}");
}

#[test]
fn excluded_packages_and_versions_skip_the_age() {
    let registry = young_foo();
    let mut input = day_old(json!({"dependencies": {"foo": "^1.0.0"}}));
    input.settings.minimum_release_age_strict = true;
    for (exclude, picked) in [
        ("foo", "foo@1.2.0"),
        ("f*", "foo@1.2.0"),
        ("foo@1.1.0", "foo@1.1.0"),
        ("foo@1.1.0 || 1.2.0", "foo@1.2.0"),
        ("bar", "foo@1.0.0"),
        ("foo@1.3.0", "foo@1.0.0"),
    ] {
        input.settings.minimum_release_age_exclude = vec![exclude.into()];
        let lockfile = resolve_ok(&registry, &input).lockfile;
        assert_eq!(snapshot_keys(&lockfile), [picked], "excluding {exclude}");
    }
}

#[test]
fn metadata_without_publish_times_skips_the_age_unless_told_otherwise() {
    let registry = young_foo().without_times("foo");
    let mut input = day_old(json!({"dependencies": {"foo": "^1.0.0"}}));
    input.settings.minimum_release_age_strict = true;
    let resolved = resolve_ok(&registry, &input);
    assert_eq!(snapshot_keys(&resolved.lockfile), ["foo@1.2.0"]);
    assert_eq!(resolved.missing_time, ["foo"]);

    input.settings.minimum_release_age_ignore_missing_time = false;
    let error = run(&registry, &input).unwrap_err();
    assert!(matches!(error, ResolveError::MissingTime { .. }), "{error:?}");
}

#[test]
fn full_documents_are_fetched_only_for_packages_changed_after_the_cutoff() {
    let registry = young_foo()
        .publish("old", "1.0.0", json!({"dependencies": {"foo": "^1.0.0"}}))
        .published("old", "1.0.0", &iso_days_ago(400))
        .publish("fresh-excluded", "1.0.0", json!({}))
        .published("fresh-excluded", "1.0.0", &iso_days_ago(0));
    let manifest = json!({"dependencies": {"old": "^1.0.0", "fresh-excluded": "^1.0.0"}});
    let mut input = day_old(manifest);
    input.settings.minimum_release_age_exclude = vec!["fresh-*".into()];
    let documents = Arc::new(registry.documents());
    let resolved = run_against(documents.clone(), &input).unwrap();
    assert_eq!(
        snapshot_keys(&resolved.lockfile),
        ["foo@1.0.0", "fresh-excluded@1.0.0", "old@1.0.0"]
    );
    assert_eq!(*documents.full_requests.lock().unwrap(), ["foo"]);

    input.settings.minimum_release_age_minutes = 0;
    let documents = Arc::new(registry.documents());
    run_against(documents.clone(), &input).unwrap();
    assert!(documents.full_requests.lock().unwrap().is_empty());
}

#[test]
fn lowest_direct_mode_takes_the_lowest_old_enough_version() {
    let registry =
        young_foo().publish("foo", "0.9.0", json!({})).published("foo", "0.9.0", &iso_days_ago(60));
    let mut input = day_old(json!({"dependencies": {"foo": ">=0.9.0"}}));
    input.settings.resolution_mode = ResolutionMode::LowestDirect;
    assert_eq!(snapshot_keys(&resolve_ok(&registry, &input).lockfile), ["foo@0.9.0"]);
}

#[test]
fn time_based_mode_takes_the_lowest_direct_and_dates_below() {
    let registry = Registry::new()
        .publish("app-dep", "1.0.0", json!({"dependencies": {"sub": "^1.0.0"}}))
        .publish("app-dep", "1.1.0", json!({"dependencies": {"sub": "^1.0.0"}}))
        .publish("sub", "1.0.0", json!({}))
        .publish("sub", "1.1.0", json!({}))
        .publish("sub", "1.2.0", json!({}))
        .published("app-dep", "1.0.0", "2020-03-01T00:00:00.000Z")
        .published("app-dep", "1.1.0", "2021-01-01T00:00:00.000Z")
        .published("sub", "1.0.0", "2020-01-01T00:00:00.000Z")
        .published("sub", "1.1.0", "2020-03-01T00:30:00.000Z")
        .published("sub", "1.2.0", "2020-03-01T01:30:00.000Z");
    let mut input = project(json!({"dependencies": {"app-dep": "^1.0.0"}}));
    input.settings.resolution_mode = ResolutionMode::TimeBased;
    let lockfile = resolve_ok(&registry, &input).lockfile;
    assert_eq!(
        snapshot_keys(&lockfile),
        ["app-dep@1.0.0", "sub@1.1.0"],
        "published within an hour"
    );
    let text = lockfile.to_yaml_string();
    assert!(text.contains("time:\n  app-dep@1.0.0: '2020-03-01T00:00:00.000Z'\n"), "{text}");
}
