use std::path::Path;

use serde_json::json;

use super::*;

const LOCATION: &str = "/p/node_modules/.pnpm/node_modules/tool";
const REAL: &str = "/p/node_modules/.pnpm/tool@1.0.0/node_modules/tool";

fn commands(manifest: Value, files: &[&str]) -> Vec<(String, String)> {
    commands_of_package(&manifest, Path::new(LOCATION), Path::new(REAL), files.iter().copied())
        .into_iter()
        .map(|c| (c.name.to_string(), c.path.to_string_lossy().into_owned()))
        .collect()
}

fn at(relative: &str) -> String {
    format!("{LOCATION}/{relative}")
}

/// package-bins `commandsFromBin`: a string bin is named after the package without its scope.
#[test]
fn string_bin_takes_the_unscoped_package_name() {
    let manifest =
        json!({"name": "@babel/parser", "version": "7.29.14", "bin": "./bin/babel-parser.js"});
    let found = commands_of_package(&manifest, Path::new(LOCATION), Path::new(REAL), []);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].name.as_str(), "parser");
    assert_eq!(found[0].path, Path::new(LOCATION).join("bin/babel-parser.js"));
    assert_eq!(found[0].real_path, Path::new(REAL).join("bin/babel-parser.js"));
    assert!(!found[0].own_name);
    assert_eq!(
        (found[0].package_name.as_str(), found[0].package_version.as_str()),
        ("@babel/parser", "7.29.14")
    );
}

/// Names are kept only when `encodeURIComponent` leaves them unchanged (or are `$`), which rules
/// out path separators, `..` and the like (GHSA bin name traversal fixes).
#[test]
fn unsafe_command_names_are_dropped() {
    let manifest = json!({"name": "tool", "bin": {
        "ok": "a.js", "$": "a.js", "...": "a.js", "it's(ok)!~*": "a.js", "@scope/scoped": "a.js",
        "../evil": "a.js", "a/b": "a.js", "a\\b": "a.js", "": "a.js", ".": "a.js", "..": "a.js",
        "@scope": "a.js", "@scope/..": "a.js", "é": "a.js", "sp ace": "a.js", "tool": "a.js"
    }});
    let names: Vec<String> = commands(manifest, &[]).into_iter().map(|(name, _)| name).collect();
    assert_eq!(names, ["ok", "$", "...", "it's(ok)!~*", "scoped", "tool"]);
}

/// Targets are joined like `path.join` and must stay inside the package (is-subdir).
#[test]
fn targets_outside_the_package_are_dropped() {
    let manifest = json!({"name": "tool", "bin": {
        "a": "../../etc/passwd", "b": "./bin/../../x", "c": "/bin/c.js", "d": "bin//d.js",
        "e": "../tool/e.js", "f": 42, "g": ".", "h": "../tool2/h.js"
    }});
    assert_eq!(
        commands(manifest, &[]),
        [
            ("c".into(), at("bin/c.js")),
            ("d".into(), at("bin/d.js")),
            ("e".into(), at("e.js")),
            ("g".into(), LOCATION.into())
        ]
    );
}

#[test]
fn map_keys_enumerate_like_a_javascript_object_and_own_name_is_marked() {
    let manifest = json!({"name": "tool", "bin": {"tool": "t.js", "2": "two.js", "1": "one.js"}});
    let found = commands_of_package(&manifest, Path::new(LOCATION), Path::new(REAL), []);
    let names: Vec<&str> = found.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["1", "2", "tool"]);
    assert!(found[2].own_name && !found[0].own_name);
}

#[test]
fn directories_bin_lists_visible_files_below_it() {
    let manifest = json!({"name": "tool", "directories": {"bin": "./scripts"}});
    let files = [
        "scripts/run",
        "scripts/sub/deep.js",
        "scripts/.hidden",
        "scripts/.dir/x",
        "lib/index.js",
        "scriptsx/y",
    ];
    assert_eq!(
        commands(manifest, &files),
        [("run".into(), at("scripts/run")), ("deep.js".into(), at("scripts/sub/deep.js"))]
    );
    let escaping = json!({"name": "tool", "directories": {"bin": "../other"}});
    assert!(commands(escaping, &["../other/x"]).is_empty());
}

#[test]
fn bin_field_wins_over_directories_unless_falsy() {
    let both = json!({"name": "tool", "bin": {"a": "a.js"}, "directories": {"bin": "scripts"}});
    assert_eq!(commands(both, &["scripts/s"]), [("a".into(), at("a.js"))]);
    let empty_string = json!({"name": "tool", "bin": "", "directories": {"bin": "scripts"}});
    assert_eq!(commands(empty_string, &["scripts/s"]), [("s".into(), at("scripts/s"))]);
    let empty_map = json!({"name": "tool", "bin": {}, "directories": {"bin": "scripts"}});
    assert!(commands(empty_map, &["scripts/s"]).is_empty());
    let array = json!({"name": "tool", "bin": ["x.js"]});
    assert_eq!(commands(array, &[]), [("0".into(), at("x.js"))]);
    let nameless = json!({"bin": "x.js"});
    assert!(commands(nameless, &[]).is_empty());
}
