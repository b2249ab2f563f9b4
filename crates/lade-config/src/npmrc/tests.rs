use std::collections::HashMap;
use std::path::Path;

use super::*;

fn entries(text: &str) -> Vec<(String, RawValue)> {
    parse_ini(text).0.into_iter().map(|entry| (entry.key, entry.value)).collect()
}

fn text(value: &str) -> RawValue {
    RawValue::Str(value.to_owned())
}

fn list(items: &[&str]) -> RawValue {
    RawValue::List(items.iter().map(|item| item.to_string()).collect())
}

#[test]
fn reads_ini_lines_like_npm() {
    let parsed = entries(
        "; comment\n# comment\n  ; indented comment\nregistry = http://r.example.test/ \n\
         quoted=\"a;b#c\"\nsingle='x y'\ninline=value ; trailing\nescaped=a\\;b\\#c\\d\n\
         flag\nyes=true\nno=false\nnothing=null\nempty=\n",
    );
    assert_eq!(
        parsed,
        [
            ("registry".into(), text("http://r.example.test/")),
            ("quoted".into(), text("a;b#c")),
            ("single".into(), text("x y")),
            ("inline".into(), text("value")),
            ("escaped".into(), text("a;b#c\\d")),
            ("flag".into(), RawValue::Bool(true)),
            ("yes".into(), RawValue::Bool(true)),
            ("no".into(), RawValue::Bool(false)),
            ("nothing".into(), RawValue::Null),
            ("empty".into(), text("")),
        ]
    );
}

#[test]
fn later_lines_win_and_brackets_make_lists() {
    let parsed =
        entries("a=1\na=2\nhoist-pattern[]=x\nhoist-pattern[]=y\nb=1\nb[]=2\nl[]=1\nl=2\n");
    assert_eq!(
        parsed,
        [
            ("a".into(), text("2")),
            ("hoist-pattern".into(), list(&["x", "y"])),
            ("b".into(), list(&["1", "2"])),
            ("l".into(), list(&["1", "2"])),
        ]
    );
}

#[test]
fn ignores_what_npm_ignores_and_reports_the_lines() {
    let (parsed, ignored) = parse_ini("=orphan\r\nok=1\r\n[section]\r\ninside=1\n");
    let keys: Vec<&str> = parsed.iter().map(|entry| entry.key.as_str()).collect();
    assert_eq!(keys, ["ok"]);
    assert_eq!(ignored, [1, 3]);
    assert_eq!(parsed[0].line, 2);
}

fn parse_with(text: &str, env: &[(&str, &str)]) -> (Option<NpmrcFile>, Vec<ConfigWarning>) {
    let env: HashMap<String, String> =
        env.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    let context =
        FieldContext { env: &env, cwd: Path::new("/project"), home: Some(Path::new("/home/u")) };
    let mut warnings = Vec::new();
    let file = parse_file(
        text,
        Path::new("/home/u/.npmrc"),
        SourceKind::UserNpmrc,
        &context,
        &mut warnings,
    );
    (file, warnings)
}

fn value(file: &NpmrcFile, key: &str) -> RawValue {
    file.layer.entries[key].value.clone()
}

#[test]
fn substitutes_environment_in_keys_and_string_values_only() {
    let (file, warnings) = parse_with(
        "//${HOST}/:_authToken=${TOKEN}\nregistry=${REG:-http://d.example.test/}\n\
         literal=\\${TOKEN}\nhoist-pattern[]=${TOKEN}\n",
        &[("HOST", "r.example.test"), ("TOKEN", "t0k")],
    );
    let file = file.unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(value(&file, "//r.example.test/:_authToken"), text("t0k"));
    assert_eq!(value(&file, "registry"), text("http://d.example.test/"));
    assert_eq!(value(&file, "literal"), text("${TOKEN}"));
    assert_eq!(value(&file, "hoist-pattern"), list(&["${TOKEN}"]));
}

#[test]
fn an_unset_variable_skips_the_whole_file_with_a_warning() {
    let (file, warnings) = parse_with("fetch-retries=5\nregistry=${NOPE}\n", &[]);
    assert!(file.is_none());
    let [ConfigWarning::SkippedNpmrc { path, reason }] = warnings.as_slice() else {
        panic!("{warnings:?}")
    };
    assert_eq!(path, Path::new("/home/u/.npmrc"));
    assert!(reason.contains("${NOPE}"), "{reason}");
}

#[test]
fn path_settings_resolve_home_and_relative_paths() {
    let (file, _) = parse_with("cafile=~/ca.pem\nuserconfig=conf/npmrc\nstore-dir=rel\n", &[]);
    let file = file.unwrap();
    assert_eq!(value(&file, "cafile"), text("/home/u/ca.pem"));
    assert_eq!(value(&file, "userconfig"), text("/project/conf/npmrc"));
    assert_eq!(value(&file, "store-dir"), text("rel"));
}

#[test]
fn quoted_json_and_literals_in_fields() {
    let (file, _) = parse_with("a='\"x\\ny\"'\nb=undefined\nc=\"true\"\n", &[]);
    let file = file.unwrap();
    assert_eq!(value(&file, "a"), text("x\ny"));
    assert_eq!(value(&file, "b"), RawValue::Null);
    assert_eq!(value(&file, "c"), RawValue::Bool(true));
}
