use std::borrow::Cow;
use std::path::Path;

use super::*;
use crate::Lockfile;
use crate::read::tests::{FIXTURES, fixture};

fn fast(text: &str) -> Option<Lockfile> {
    parse(text).and_then(|events| from_events::<Lockfile>(&events).ok())
}

fn scalar(text: &str, plain: bool) -> Event<'_> {
    Event::Scalar { text: Cow::Borrowed(text), plain }
}

#[test]
fn reads_every_fixture_without_the_fallback() {
    for name in FIXTURES {
        let text = std::fs::read_to_string(fixture(name)).unwrap();
        let full: Lockfile = serde_yaml_ng::from_str(&text).unwrap();
        assert_eq!(fast(&text).as_ref(), Some(&full), "{name}");
    }
    let varied = include_str!("../write/varied-pnpm-lock.yaml");
    assert_eq!(fast(varied), Some(serde_yaml_ng::from_str(varied).unwrap()));
}

#[test]
fn events_of_the_pnpm_subset() {
    assert_eq!(
        parse("a: \"\\x41\\_\\u00e9\\\\\"\n").unwrap()[2],
        Event::Scalar { text: Cow::Owned("A\u{a0}é\\".into()), plain: false }
    );
    let events =
        parse("a:\n  'b': {x: 'it''s', y: [1, \"q\\\"\"]}\n  c:\n    - d\n    -\n  e:\n").unwrap();
    assert_eq!(
        events,
        [
            Event::MapStart,
            scalar("a", true),
            Event::MapStart,
            scalar("b", false),
            Event::MapStart,
            scalar("x", true),
            Event::Scalar { text: Cow::Owned("it's".into()), plain: false },
            scalar("y", true),
            Event::SeqStart,
            scalar("1", true),
            Event::Scalar { text: Cow::Owned("q\"".into()), plain: false },
            Event::SeqEnd,
            Event::MapEnd,
            scalar("c", true),
            Event::SeqStart,
            scalar("d", true),
            scalar("", true),
            Event::SeqEnd,
            scalar("e", true),
            scalar("", true),
            Event::MapEnd,
            Event::MapEnd,
        ]
    );
}

#[test]
fn declines_what_it_does_not_read() {
    for text in [
        "a: &x 1\nb: *x\n",
        "a: !tag 1\n",
        "a: |\n  text\n",
        "a: b # comment\n",
        "a:\n  b: 1\n c: 2\n",
        "a: plain\n  continued\n",
        "a: 'open\n",
        "a: {b: 1\n",
        "? a\n: b\n",
        "- a: 1\n",
        "a:\tb\n",
        "a: \"\\q\"\n",
        "a: \"\\x4\"\n",
        "a\u{1}b: 1\n",
        "a: b\u{7f}\n",
        "a: \u{9b}\n",
    ] {
        assert_eq!(parse(text), None, "{text:?}");
    }
}

#[test]
fn declines_nesting_deeper_than_any_lockfile_without_exhausting_the_stack() {
    let flow = format!("a: {}1{}\n", "[".repeat(100_000), "]".repeat(100_000));
    assert_eq!(parse(&flow), None);
    let block: String = (0..2_000).map(|depth| format!("{}k:\n", " ".repeat(depth))).collect();
    assert_eq!(parse(&block), None);
    let shallow = format!("a: {}1{}\n", "[".repeat(10), "]".repeat(10));
    assert!(parse(&shallow).is_some());
}

/// Wherever the fast reader produces a lockfile, the full parser must produce the same one.
#[test]
fn agrees_with_the_full_parser_on_garbled_input() {
    let mut accepted = 0;
    for name in ["small", "workspace"] {
        let text = std::fs::read_to_string(fixture(name)).unwrap();
        for cut in (1..text.len()).step_by(61).filter(|&i| text.is_char_boundary(i)) {
            let mut garbled = text.clone().into_bytes();
            garbled[cut] = b"{}[]:'\"-&*!|> \n(,#0t"[cut % 20];
            let garbled = String::from_utf8_lossy(&garbled).into_owned();
            for candidate in [&text[..cut], garbled.as_str()] {
                if let Some(lockfile) = fast(candidate) {
                    accepted += 1;
                    let full = serde_yaml_ng::from_str::<Lockfile>(candidate);
                    assert_eq!(full.ok().as_ref(), Some(&lockfile), "{candidate}");
                }
            }
        }
    }
    assert!(accepted > 60, "only {accepted} variants took the fast path");
    assert!(
        Lockfile::from_str("lockfileVersion: '9.0'\nimporters: {'.': {}}\n", Path::new("x"))
            .is_ok()
    );
}
