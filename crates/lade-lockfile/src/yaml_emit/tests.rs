use std::borrow::Cow;

use super::*;

fn s(text: &str) -> Node<'_> {
    Node::Str(Cow::Borrowed(text))
}

fn map<'a>(entries: Vec<(&'a str, Node<'a>)>) -> Node<'a> {
    Node::Map(entries.into_iter().map(|(k, v)| (Cow::Borrowed(k), v)).collect())
}

#[test]
fn root_and_section_entries_are_separated_by_blank_lines() {
    let doc = map(vec![
        ("lockfileVersion", s("9.0")),
        ("importers", map(vec![(".", map(vec![("dependencies", map(vec![("a", s("1.0.0"))]))]))])),
        (
            "packages",
            map(vec![
                (
                    "a@1.0.0",
                    map(vec![
                        ("resolution", map(vec![("integrity", s("sha512-x"))])),
                        ("engines", map(vec![("node", s(">=18"))])),
                        ("os", Node::Seq(vec![s("linux"), s("!win32")])),
                        ("hasBin", Node::Raw(Cow::Borrowed("true"))),
                    ]),
                ),
                ("b@1.0.0", map(vec![("resolution", map(vec![("integrity", s("sha512-y"))]))])),
            ]),
        ),
        (
            "snapshots",
            map(vec![
                ("a@1.0.0", map(vec![("transitivePeerDependencies", Node::Seq(vec![s("c")]))])),
                ("b@1.0.0", map(vec![])),
            ]),
        ),
    ]);
    let expected = "lockfileVersion: '9.0'\n\nimporters:\n\n  .:\n    dependencies:\n      a: 1.0.0\n\n\
        packages:\n\n  a@1.0.0:\n    resolution: {integrity: sha512-x}\n    engines: {node: '>=18'}\n    \
        os: [linux, '!win32']\n    hasBin: true\n\n  b@1.0.0:\n    resolution: {integrity: sha512-y}\n\n\
        snapshots:\n\n  a@1.0.0:\n    transitivePeerDependencies:\n      - c\n\n  b@1.0.0: {}\n";
    assert_eq!(dump(&doc), expected);
}

#[test]
fn variations_resolutions_and_empty_sequences() {
    let doc = map(vec![
        (
            "resolution",
            map(vec![
                ("type", s("variations")),
                ("variants", Node::Seq(vec![map(vec![("a", s("b")), ("c", s("d"))])])),
            ]),
        ),
        ("list", Node::Seq(vec![])),
    ]);
    assert_eq!(
        dump(&doc),
        "resolution:\n  type: variations\n  variants:\n    - a: b\n      c: d\n\nlist: []\n"
    );
}

#[test]
fn very_long_keys_become_explicit_pairs() {
    let long = "k".repeat(1025);
    let doc = map(vec![("x", map(vec![(long.as_str(), s("v"))]))]);
    assert_eq!(dump(&doc), format!("x:\n  ? {long}\n  : v\n"));
}
