use super::range::normalize;
use super::*;

fn satisfies(version: &str, range: &str) -> bool {
    let range = Range::parse(range, true, false).unwrap_or_else(|| panic!("range {range:?}"));
    SemVer::parse(version, true).is_some_and(|v| range.test(&v))
}

#[test]
fn parses_and_orders_versions() {
    assert_eq!(valid("v1.2.3", false).as_deref(), Some("1.2.3"));
    assert_eq!(valid("=1.2.3", true).as_deref(), Some("1.2.3"));
    assert_eq!(valid("=1.2.3", false), None);
    assert_eq!(valid("1.2.3-beta.01", false), None);
    assert_eq!(valid(" 1.2.3-rc.1+build.5 ", false).as_deref(), Some("1.2.3-rc.1"));
    assert_eq!(valid("1.2", true), None);
    let mut versions =
        ["1.0.0", "1.0.0-rc.1", "1.0.0-alpha", "1.0.0-alpha.beta", "1.0.0-2", "0.9.9"];
    versions.sort_by(|a, b| compare_loose(a, b));
    assert_eq!(
        versions,
        ["0.9.9", "1.0.0-2", "1.0.0-alpha", "1.0.0-alpha.beta", "1.0.0-rc.1", "1.0.0"]
    );
}

/// Expected values recorded from npm's own semver package (see the file's `generated_by`).
fn oracle() -> serde_json::Value {
    serde_json::from_str(include_str!("../../testdata/semver-oracle.json")).unwrap()
}

#[test]
fn normalizes_ranges_like_npm() {
    let oracle = oracle();
    for case in oracle["valid_range"].as_array().unwrap() {
        let (range, expected) = (case[0].as_str().unwrap(), case[1].as_str());
        assert_eq!(normalize(range, true).as_deref(), expected, "{range:?}");
    }
    assert_eq!(normalize("^1.2.3 foo", false), None);
}

#[test]
fn satisfies_like_npm() {
    let oracle = oracle();
    let expected: Vec<&str> =
        oracle["satisfies"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    let versions: Vec<&str> =
        oracle["versions"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    for case in oracle["valid_range"].as_array().unwrap() {
        let range = case[0].as_str().unwrap();
        if case[1].is_null() {
            continue;
        }
        for version in &versions {
            let key = format!("{range} @ {version}");
            assert_eq!(satisfies(version, range), expected.contains(&key.as_str()), "{key}");
        }
    }
}

#[test]
fn applies_the_prerelease_rule() {
    assert!(satisfies("1.2.3", "^1.0.0"));
    assert!(!satisfies("2.0.0", "^1.0.0"));
    assert!(!satisfies("1.5.0-beta", "^1.0.0"));
    assert!(satisfies("1.2.3-beta.3", "^1.2.3-beta.2"));
    assert!(!satisfies("1.2.4-beta.3", "^1.2.3-beta.2"));
    assert!(satisfies("2.0.0", "1.x || >=2.5.0 || 2.0.0"));
    assert!(!satisfies("1.0.0-rc.1", "*"));
    let inclusive = Range::parse("*", true, true).unwrap();
    assert!(inclusive.test(&SemVer::parse("1.0.0-rc.1", true).unwrap()));
    assert!(satisfies("1.2.3", "1.2.3 - 1.3"));
    assert!(!satisfies("1.4.0", "1.2.3 - 1.3"));
}

#[test]
fn intersects_as_intervals() {
    let a = Range::parse("^1.2.0", true, false).unwrap();
    let b = Range::parse(">=1.5.0 || ^3", true, false).unwrap();
    let both = a.intersect(&b).unwrap();
    assert!(both.test(&SemVer::parse("1.6.0", true).unwrap()));
    assert!(!both.test(&SemVer::parse("1.3.0", true).unwrap()));
    assert!(a.intersect(&Range::parse("^2", true, false).unwrap()).is_none());
    assert!(a.intersect(&Range::parse("*", true, false).unwrap()).is_some());
}

/// The shortcut for plain versions reads exactly what the regular expression reads.
#[test]
fn plain_versions_parse_as_the_pattern_does() {
    let by_pattern = |text: &str, loose: bool| {
        let pattern = if loose { patterns::loose_version() } else { patterns::full_version() };
        let captures = pattern.captures(text.trim())?;
        let number = |i: usize| captures.get(i)?.as_str().parse::<u64>().ok();
        let pre = captures.get(4).map(|m| {
            m.as_str()
                .split('.')
                .map(|id| Identifier::parse(id).to_string())
                .collect::<Vec<_>>()
                .join(".")
        });
        Some((number(1)?, number(2)?, number(3)?, pre))
    };
    let texts = [
        "1.2.3",
        "0.0.0",
        "01.2.3",
        "1.02.3",
        "1.2",
        "1.2.3.4",
        "10.20.30",
        "1..3",
        "a.b.c",
        "1.2.3-beta.1",
        "1.2.3-0",
        "1.2.3-01",
        "1.2.3-rc.01",
        "1.2.3-alpha-1.x",
        "1.2.3+build.5",
        "1.2.3-beta+exp.sha.5114f85",
        "1.2.3-",
        "1.2.3-a..b",
        "1.2.3+",
        "1.2.3-a_b",
    ];
    for text in texts {
        for loose in [false, true] {
            if let Some(plain) = parse_plain(text, loose) {
                let pre = (!plain.prerelease.is_empty()).then(|| {
                    plain.prerelease.iter().map(|id| id.to_string()).collect::<Vec<_>>().join(".")
                });
                let expected = by_pattern(text, loose);
                assert_eq!(
                    Some((plain.major, plain.minor, plain.patch, pre)),
                    expected,
                    "{text} {loose}"
                );
            }
        }
    }
    assert!(parse_plain("01.2.3", false).is_none() && parse_plain("01.2.3", true).is_some());
    assert!(parse_plain("1.2.3-beta.1", false).is_some(), "the common prerelease form is covered");
}
