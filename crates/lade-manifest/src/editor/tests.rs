use super::*;

fn editor(text: &str) -> ManifestEditor {
    ManifestEditor::from_str(text, Path::new("/p/package.json")).unwrap()
}

/// What pnpm 10 wrote after `pnpm add foo bar` then `pnpm add -D baz` and `pnpm add -O foo` on
/// a four-space manifest without a final newline.
#[test]
fn adds_like_pnpm() {
    let mut manifest = editor(
        "{\n    \"name\": \"app\",\n    \"version\": \"1.0.0\",\n    \"dependencies\": {\n        \"qux\": \"0.1.0\"\n    },\n    \"scripts\": {\"t\": \"x\"}\n}",
    );
    manifest.set_dependency("dependencies", "foo", "^1.6.0");
    manifest.set_dependency("dependencies", "bar", "^1.1.0");
    manifest.set_dependency("devDependencies", "baz", "3.1.0-beta.1");
    manifest.remove_dependency("dependencies", "foo");
    manifest.set_dependency("optionalDependencies", "foo", "^1.5.0");
    assert!(manifest.is_changed());
    assert_eq!(
        manifest.to_text(),
        r#"{
    "name": "app",
    "version": "1.0.0",
    "dependencies": {
        "bar": "^1.1.0",
        "qux": "0.1.0"
    },
    "scripts": {
        "t": "x"
    },
    "devDependencies": {
        "baz": "3.1.0-beta.1"
    },
    "optionalDependencies": {
        "foo": "^1.5.0"
    }
}"#
    );
}

#[test]
fn keeps_tabs_final_newline_and_unknown_fields() {
    let mut manifest = editor(
        "{\n\t\"name\": \"a\",\n\t\"x-custom\": [1, {\"b\": null}],\n\t\"devDependencies\": {\"z\": \"1\"}\n}\n",
    );
    manifest.remove_dependency("devDependencies", "z");
    assert_eq!(
        manifest.to_text(),
        "{\n\t\"name\": \"a\",\n\t\"x-custom\": [\n\t\t1,\n\t\t{\n\t\t\t\"b\": null\n\t\t}\n\t]\n}\n",
        "an emptied dependency field is dropped"
    );
}

#[test]
fn an_edit_that_changes_nothing_is_not_a_change() {
    let text = "{\"name\":\"a\",\"dependencies\":{\"b\":\"1\",\"a\":\"2\"}}";
    let mut manifest = editor(text);
    manifest.set_dependency("dependencies", "a", "2");
    assert!(!manifest.is_changed(), "sorting alone does not count as a change");
    assert_eq!(manifest.specifier("dependencies", "b"), Some("1"));
    assert_eq!(manifest.field_of("a"), Some("dependencies"));
    manifest.set_dependency("dependencies", "a", "3");
    assert!(manifest.is_changed());
    assert_eq!(manifest.to_text(), "{\"name\":\"a\",\"dependencies\":{\"a\":\"3\",\"b\":\"1\"}}");
    assert_eq!(manifest.manifest().unwrap().name.as_deref(), Some("a"));
}

#[test]
fn saves_only_when_changed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("package.json");
    fs_err::write(&path, "{\n  \"name\": \"a\"\n}\n").unwrap();
    let mut manifest = ManifestEditor::open(&path).unwrap();
    assert!(!manifest.save().unwrap());
    manifest.set_dependency("dependencies", "b", "^1.0.0");
    assert!(manifest.save().unwrap());
    assert_eq!(
        fs_err::read_to_string(&path).unwrap(),
        "{\n  \"name\": \"a\",\n  \"dependencies\": {\n    \"b\": \"^1.0.0\"\n  }\n}\n"
    );
    let missing = ManifestEditor::open(&dir.path().join("nope/package.json")).unwrap_err();
    assert!(matches!(missing, ManifestError::NotFound { .. }));
}

#[test]
fn an_unwritable_file_is_a_write_error() {
    use miette::Diagnostic;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gone/package.json");
    let mut manifest = ManifestEditor::from_str("{}", &path).unwrap();
    manifest.set_dependency("dependencies", "a", "1");
    let err = manifest.save().unwrap_err();
    assert_eq!(err.code().map(|c| c.to_string()).as_deref(), Some("ERR_LADE_MANIFEST_WRITE"));
}
