use std::path::{Path, PathBuf};

use miette::Diagnostic;

use super::*;
use crate::{BinCommand, DependencyField};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures")
}

fn parse(text: &str) -> Result<PackageManifest, ManifestError> {
    PackageManifest::from_str(text, Path::new("/project/package.json"))
}

fn code(err: &ManifestError) -> String {
    err.code().map(|code| code.to_string()).unwrap_or_default()
}

#[test]
fn reads_every_fixture_manifest() {
    for dir in ["small", "alotta-files", "peers", "workspace", "workspace/packages/cli"] {
        let manifest =
            PackageManifest::from_path(&fixtures().join(dir).join("package.json")).unwrap();
        assert!(manifest.name.is_some(), "{dir}");
    }
    let cli = PackageManifest::from_path(&fixtures().join("workspace/packages/cli/package.json"))
        .unwrap();
    let deps = cli.dependency_field(DependencyField::Dependencies).unwrap();
    assert_eq!(deps.get("@fixture/core").unwrap().as_str(), "workspace:*");
    assert_eq!(deps.get("chalk").unwrap().as_str(), "catalog:");
    assert_eq!(
        cli.bin_commands(),
        vec![BinCommand { name: "fixture-cli".into(), path: "bin.js".into() }]
    );
}

#[test]
fn keeps_unknown_fields_and_key_order() {
    let m = parse(r#"{"name":"a","main":"index.js","dependencies":{"b":"^1"},"x-custom":{"k":[1,2]},"name":"a2"}"#)
        .unwrap();
    assert_eq!(m.key_order().collect::<Vec<_>>(), ["name", "main", "dependencies", "x-custom"]);
    assert_eq!(m.name.as_deref(), Some("a2"));
    assert_eq!(m.other["main"], serde_json::json!("index.js"));
    assert_eq!(m.other["x-custom"], serde_json::json!({"k": [1, 2]}));
}

#[test]
fn tolerates_what_npm_and_pnpm_tolerate() {
    let m = parse(concat!(
        "\u{feff}{\"name\":\"@scope/tool\",\"version\":\"\",\"bin\":\"cli.js\",",
        "\"bundleDependencies\":true,\"dependencies\":{\"a\":\"1\"},\"devDependencies\":[],",
        "\"engines\":[\"node >= 0.4\"],\"os\":\"linux\",\"optionalDependencies\":null}"
    ))
    .unwrap();
    assert_eq!(m.bin_commands(), vec![BinCommand { name: "tool".into(), path: "cli.js".into() }]);
    assert_eq!(m.bundled().unwrap().names(m.dependencies.as_ref()), ["a"]);
    assert!(m.dev_dependencies.as_ref().unwrap().is_empty());
    assert_eq!(m.engines.as_ref().unwrap().get("node"), None);
    assert_eq!(m.os.as_ref().unwrap().values(), ["linux"]);
    assert_eq!(m.optional_dependencies, None);
    assert_eq!(m.pkg_version(), None);
    assert_eq!(m.pkg_name().unwrap().as_str(), "@scope/tool");
}

#[test]
fn project_names_and_versions_are_kept_as_written() {
    let m = parse(r#"{"name":"My App!","version":"not a version"}"#).unwrap();
    assert_eq!(m.name.as_deref(), Some("My App!"));
    assert_eq!(m.pkg_version(), None);
}

#[test]
fn bin_map_follows_pnpm_command_rules() {
    let m = parse(r#"{"name":"x","bin":{"@s/a":"a.js","b":"b.js","":"e.js","..":"p.js","c d":"c.js","$":"d.js"}}"#)
        .unwrap();
    let names: Vec<_> = m.bin_commands().into_iter().map(|c| c.name).collect();
    assert_eq!(names, ["a", "b", "$"]);
    let m = parse(r#"{"name":"x","bin":"","directories":{"bin":"./bin"}}"#).unwrap();
    assert!(m.bin_commands().is_empty());
    assert_eq!(m.directories.as_ref().unwrap().bin(), Some("./bin"));
}

#[test]
fn typed_accessors() {
    let m = parse(
        r#"{"publishConfig":{"directory":"dist","access":"public"},
            "dependenciesMeta":{"a":{"injected":true}},"peerDependenciesMeta":{"p":{"optional":true}},
            "workspaces":{"packages":["pkgs/*"]},"pnpm":{"overrides":{"a":"1"}},"packageManager":"pnpm@10.0.0"}"#,
    )
    .unwrap();
    assert_eq!(m.publish_directory(), Some("dist"));
    assert!(m.dependencies_meta.as_ref().unwrap()["a"].injected());
    assert!(m.peer_dependencies_meta.as_ref().unwrap()["p"].optional());
    assert_eq!(m.workspaces.as_ref().unwrap().patterns(), ["pkgs/*"]);
    assert_eq!(m.pnpm.as_ref().unwrap()["overrides"]["a"], "1");
    assert_eq!(m.package_manager.as_deref(), Some("pnpm@10.0.0"));
}

#[test]
fn malformed_json_names_file_line_and_column() {
    let err = parse("{\n  \"name\": \"a\",\n}").unwrap_err();
    assert_eq!(code(&err), "ERR_PNPM_JSON_PARSE");
    let ManifestError::Syntax { path, line, column, .. } = &err else { panic!("{err:?}") };
    assert_eq!((path.as_path(), *line, *column), (Path::new("/project/package.json"), 3, 1));
    assert!(err.to_string().starts_with("/project/package.json:3:1: invalid JSON"), "{err}");
    assert_eq!(code(&parse("{} trailing").unwrap_err()), "ERR_PNPM_JSON_PARSE");
}

#[test]
fn wrong_types_name_the_field() {
    let err = parse("{\n  \"dependencies\": {\n    \"foo\": 1\n  }\n}").unwrap_err();
    assert_eq!(code(&err), "ERR_LADE_INVALID_MANIFEST_FIELD");
    let ManifestError::InvalidField { field, line, column, .. } = &err else { panic!("{err:?}") };
    assert_eq!((field.as_str(), *line, *column), ("dependencies.foo", 3, 12));
    let err = parse(r#"{"dependencies":{"../evil":"1"}}"#).unwrap_err();
    assert!(
        matches!(&err, ManifestError::InvalidField { field, .. } if field == "dependencies.../evil"),
        "{err:?}"
    );
    let err = parse(r#"{"scripts":{"build":["x"]}}"#).unwrap_err();
    assert!(
        matches!(&err, ManifestError::InvalidField { field, .. } if field == "scripts.build"),
        "{err:?}"
    );
    let err = parse("[1]").unwrap_err();
    assert!(
        matches!(&err, ManifestError::InvalidField { field, .. } if field == "(top level)"),
        "{err:?}"
    );
    assert!(parse(r#"{"dependencies":["a"]}"#).is_err());
}

#[test]
fn missing_file_is_pnpm_no_pkg_manifest() {
    let dir = tempfile::tempdir().unwrap();
    let err = PackageManifest::from_path(&dir.path().join("package.json")).unwrap_err();
    assert_eq!(code(&err), "ERR_PNPM_NO_PKG_MANIFEST");
    assert_eq!(err.to_string(), format!("No package.json found in {}", dir.path().display()));
}

#[test]
fn unreadable_file_is_a_read_error() {
    let dir = tempfile::tempdir().unwrap();
    let err = PackageManifest::from_path(dir.path()).unwrap_err();
    assert_eq!(code(&err), "ERR_LADE_MANIFEST_READ");
}

#[test]
fn garbled_manifests_error_instead_of_panicking() {
    let text = std::fs::read_to_string(fixtures().join("alotta-files/package.json")).unwrap();
    for cut in (0..text.len()).step_by(7).filter(|&i| text.is_char_boundary(i)) {
        assert!(parse(&text[..cut]).is_err(), "prefix of {cut} bytes parsed");
        let mut garbled = text.clone().into_bytes();
        garbled[cut] = b"{[\":,}]x"[cut % 8];
        let _ = parse(&String::from_utf8_lossy(&garbled));
    }
}
