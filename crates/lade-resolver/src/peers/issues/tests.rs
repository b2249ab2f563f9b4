use super::*;

fn pkg(name: &str, version: &str) -> PackageRef {
    PackageRef { name: name.into(), version: version.into() }
}

fn unmet(peer: &str, range: &str, found: &str, parents: Vec<PackageRef>) -> PeerIssue {
    PeerIssue {
        project: ".".into(),
        peer: peer.into(),
        wanted_range: range.into(),
        found_version: Some(found.into()),
        found_in: None,
        optional: false,
        parents,
    }
}

fn missing(peer: &str, range: &str, optional: bool, parents: Vec<PackageRef>) -> PeerIssue {
    PeerIssue { found_version: None, optional, ..unmet(peer, range, "", parents) }
}

/// The shape pnpm 10.34.9 printed for the alotta-files fixture (an excerpt).
#[test]
fn draws_unmet_peers_as_pnpm() {
    let hmre = || vec![pkg("babel-preset-react-hmre", "1.1.1"), pkg("redbox-react", "1.6.0")];
    let calendar = || vec![pkg("react-input-calendar", "0.5.4")];
    let issues = [
        unmet("react", "^0.14.0 || ^15.0.0 || ^16.0.0-beta || ^16.0.0", "18.3.1", hmre()),
        unmet("react-dom", "^0.14.0 || ^15.0.0 || ^16.0.0-beta || ^16.0.0", "18.3.1", hmre()),
        unmet("moment-range", "^2.1.0", "4.0.2", calendar()),
        unmet("react", "^0.14.7 || ^15.0.0 || ^16.0.0", "18.3.1", calendar()),
    ];
    let expected = r#".
├─┬ babel-preset-react-hmre 1.1.1
│ └─┬ redbox-react 1.6.0
│   ├── ✕ unmet peer react@"^0.14.0 || ^15.0.0 || ^16.0.0-beta || ^16.0.0": found 18.3.1
│   └── ✕ unmet peer react-dom@"^0.14.0 || ^15.0.0 || ^16.0.0-beta || ^16.0.0": found 18.3.1
└─┬ react-input-calendar 0.5.4
  ├── ✕ unmet peer react@"^0.14.7 || ^15.0.0 || ^16.0.0": found 18.3.1
  └── ✕ unmet peer moment-range@^2.1.0: found 4.0.2"#;
    assert_eq!(render_peer_issues(&issues).as_deref(), Some(expected));
}

#[test]
fn optional_missing_peers_are_not_reported() {
    let issues = [missing("typescript", "*", true, vec![pkg("a", "1.0.0")])];
    assert_eq!(render_peer_issues(&issues), None);
    assert_eq!(render_peer_issues(&[]), None);
}

#[test]
fn required_missing_peers_are_listed_to_install() {
    let mut found_deeper = unmet("react", "^17", "18.0.0", vec![pkg("b", "2.0.0")]);
    found_deeper.found_in = Some("c".into());
    let issues = [
        missing("eslint", "^8", false, vec![pkg("a", "1.0.0")]),
        missing("eslint", "^8", false, vec![pkg("b", "2.0.0")]),
        found_deeper,
    ];
    let expected = ".
├─┬ a 1.0.0
│ └── ✕ missing peer eslint@^8
└─┬ b 2.0.0
  ├── ✕ missing peer eslint@^8
  └── ✕ unmet peer react@^17: found 18.0.0 in c
Peer dependencies that should be installed:
  eslint@^8";
    assert_eq!(render_peer_issues(&issues).as_deref(), Some(expected));
}

#[test]
fn disjoint_ranges_are_conflicts() {
    let issues = [
        missing("x", "^1", false, vec![pkg("a", "1.0.0")]),
        missing("x", "^2", false, vec![pkg("b", "1.0.0")]),
    ];
    let text = render_peer_issues(&issues).unwrap();
    assert!(text.ends_with("✕ Conflicting peer dependencies:\n  x"), "{text}");
}
