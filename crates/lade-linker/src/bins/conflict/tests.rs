use std::path::PathBuf;

use super::*;
use crate::bins::BinName;

fn command(name: &str, package: &str, version: &str) -> Command {
    Command {
        name: BinName::new(name).unwrap(),
        path: PathBuf::from(format!("/{package}@{version}/{name}")),
        real_path: PathBuf::from(format!("/{package}@{version}/{name}")),
        package_name: package.to_owned(),
        package_version: version.to_owned(),
        own_name: name == package,
    }
}

fn winners(commands: Vec<Command>) -> Vec<String> {
    resolve_conflicts(commands)
        .into_iter()
        .map(|c| format!("{}={}@{}", c.name, c.package_name, c.package_version))
        .collect()
}

/// link-bins `compareCommandsInConflict`.
#[test]
fn conflicts_follow_pnpm_order_of_preference() {
    assert_eq!(
        winners(vec![command("tsc", "typescript-x", "1.0.0"), command("tsc", "tsc", "0.1.0")]),
        ["tsc=tsc@0.1.0"]
    );
    assert_eq!(
        winners(vec![command("x", "b-pkg", "1.0.0"), command("x", "a-pkg", "9.0.0")]),
        ["x=b-pkg@1.0.0"]
    );
    assert_eq!(
        winners(vec![command("x", "a-pkg", "9.0.0"), command("x", "b-pkg", "1.0.0")]),
        ["x=b-pkg@1.0.0"]
    );
    assert_eq!(
        winners(vec![command("x", "p", "1.2.0"), command("x", "p", "1.10.0")]),
        ["x=p@1.10.0"]
    );
    assert_eq!(
        winners(vec![command("x", "p", "2.0.0-rc.1"), command("x", "p", "2.0.0")]),
        ["x=p@2.0.0"]
    );
    let first = command("x", "p", "1.0.0");
    let mut second = command("x", "p", "1.0.0");
    second.path = PathBuf::from("/elsewhere");
    let kept = resolve_conflicts(vec![first.clone(), second]);
    assert_eq!(kept, [first]);
}

#[test]
fn groups_enumerate_like_object_keys() {
    let names: Vec<String> = resolve_conflicts(vec![
        command("b", "p", "1.0.0"),
        command("10", "p", "1.0.0"),
        command("a", "p", "1.0.0"),
        command("2", "p", "1.0.0"),
    ])
    .into_iter()
    .map(|c| c.name.to_string())
    .collect();
    assert_eq!(names, ["2", "10", "b", "a"]);
}

#[test]
fn direct_commands_hide_hoisted_ones() {
    let direct = vec![command("eslint", "eslint", "8.0.0")];
    let hoisted = vec![command("eslint", "eslint", "9.0.0"), command("acorn", "acorn", "8.0.0")];
    let names: Vec<String> = prefer_direct_commands(direct, hoisted)
        .into_iter()
        .map(|c| format!("{}@{}", c.name, c.package_version))
        .collect();
    assert_eq!(names, ["eslint@8.0.0", "acorn@8.0.0"]);
}

/// Results of `a.localeCompare(b)` in Node 20 (ICU, en-US).
#[test]
fn locale_compare_matches_node() {
    let table = [
        ("a-b", "ab", -1),
        ("a", "A", -1),
        ("aB", "Ab", -1),
        ("a_b", "a-b", -1),
        ("@a/b", "a", -1),
        ("a1", "aa", -1),
        ("a", "a-", -1),
        ("abc", "ABD", -1),
        ("a.b", "a-c", 1),
        ("ab", "a-c", 1),
        ("foo-bar", "foo", 1),
        ("a b", "a-b", -1),
        ("same", "same", 0),
    ];
    for (a, b, expected) in table {
        assert_eq!(locale_compare(a, b) as i32, expected, "{a} vs {b}");
    }
}
