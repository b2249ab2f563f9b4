//! `minimumReleaseAge` and `resolution-mode=time-based`, which read publish times.

use lade_resolver::{ResolutionMode, ResolveError};
use serde_json::json;

use crate::support::{Registry, project, resolve_ok, run, snapshot_keys};

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

#[test]
fn young_versions_wait_for_the_minimum_release_age() {
    let registry = Registry::new()
        .publish("foo", "1.0.0", json!({}))
        .publish("foo", "1.1.0", json!({}))
        .published("foo", "1.0.0", &iso_days_ago(30))
        .published("foo", "1.1.0", &iso_days_ago(0));
    let mut input = project(json!({"dependencies": {"foo": "^1.0.0"}}));
    input.settings.minimum_release_age_minutes = 24 * 60;
    assert_eq!(snapshot_keys(&resolve_ok(&registry, &input).lockfile), ["foo@1.0.0"]);

    input.settings.minimum_release_age_exclude = vec!["foo".into()];
    assert_eq!(snapshot_keys(&resolve_ok(&registry, &input).lockfile), ["foo@1.1.0"]);

    let mut strict = project(json!({"dependencies": {"foo": "1.1.0"}}));
    strict.settings.minimum_release_age_minutes = 24 * 60;
    let error = run(&registry, &strict).unwrap_err();
    assert!(matches!(error, ResolveError::NoMatureMatchingVersion { .. }), "{error:?}");
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
