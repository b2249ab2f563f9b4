use std::time::{Duration, SystemTime};

use super::*;
use crate::test_support::pnpm10_reference;

/// pnpm 10's own files (registry hosts replaced) survive a read and write byte for byte.
#[test]
fn round_trips_files_written_by_pnpm10() {
    for fixture in ["workspace", "alotta-files"] {
        let original = pnpm10_reference(fixture, "modules.yaml");
        let parsed: ModulesYaml = serde_yaml_ng::from_str(&original).unwrap();
        assert_eq!(parsed.to_text(), original, "{fixture}");
    }
}

#[test]
fn writes_pnpm10_field_order_and_omits_unset_patterns() {
    let mut registries = IndexMap::new();
    registries.insert("default".to_owned(), "https://registry.example.test/".to_owned());
    let manifest = ModulesYaml {
        package_manager: "lade@0.1.0".to_owned(),
        pruned_at: "Thu, 01 Jan 1970 00:00:00 GMT".to_owned(),
        registries,
        skipped: vec!["b@1.0.0".to_owned(), "a@1.0.0".to_owned()],
        store_dir: "/store/v10".to_owned(),
        ..ModulesYaml::default()
    };
    let expected = r#"{
  "hoistedDependencies": {},
  "included": {
    "dependencies": true,
    "devDependencies": true,
    "optionalDependencies": true
  },
  "injectedDeps": {},
  "layoutVersion": 5,
  "nodeLinker": "isolated",
  "packageManager": "lade@0.1.0",
  "pendingBuilds": [],
  "prunedAt": "Thu, 01 Jan 1970 00:00:00 GMT",
  "registries": {
    "default": "https://registry.example.test/"
  },
  "skipped": [
    "a@1.0.0",
    "b@1.0.0"
  ],
  "storeDir": "/store/v10",
  "virtualStoreDir": ".pnpm",
  "virtualStoreDirMaxLength": 120
}"#;
    assert_eq!(manifest.to_text(), expected);
}

#[test]
fn reads_missing_fields_as_pnpm_defaults() {
    let tmp = tempfile::tempdir().unwrap();
    assert_eq!(ModulesYaml::read(tmp.path()).unwrap(), None);
    std::fs::write(tmp.path().join(MODULES_FILENAME), "layoutVersion: 5\nstoreDir: /s/v10\n")
        .unwrap();
    let read = ModulesYaml::read(tmp.path()).unwrap().unwrap();
    assert_eq!(read.virtual_store_dir_max_length, 120);
    assert_eq!(read.virtual_store_dir(tmp.path()), tmp.path().join(".pnpm"));
    assert_eq!(read.store_dir, "/s/v10");
}

#[test]
fn write_then_read_is_identity() {
    let tmp = tempfile::tempdir().unwrap();
    let modules_dir = tmp.path().join("node_modules");
    let mut manifest =
        ModulesYaml { hoist_pattern: Some(vec!["*".to_owned()]), ..ModulesYaml::default() };
    manifest.hoisted_dependencies.insert(
        &DepPath::parse("a@1.0.0").unwrap(),
        &PkgName::parse("a").unwrap(),
        HoistKind::Private,
    );
    manifest.write(&modules_dir).unwrap();
    assert_eq!(ModulesYaml::read(&modules_dir).unwrap(), Some(manifest));
}

#[test]
fn invalid_file_is_a_coded_error() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join(MODULES_FILENAME), "layoutVersion: [").unwrap();
    let err = ModulesYaml::read(tmp.path()).unwrap_err();
    let code = miette::Diagnostic::code(&err).unwrap().to_string();
    assert_eq!(code, "ERR_LADE_MODULES_YAML_PARSE");
}

#[test]
fn aliases_enumerate_like_javascript_object_keys() {
    let mut hoisted = HoistedDependencies::default();
    let dep_path = DepPath::parse("x@1.0.0").unwrap();
    for alias in ["b", "20", "a", "3"] {
        hoisted.insert(&dep_path, &PkgName::parse(alias).unwrap(), HoistKind::Private);
    }
    let keys: Vec<&String> = hoisted.get("x@1.0.0").unwrap().keys().collect();
    assert_eq!(keys, ["3", "20", "b", "a"]);
}

/// Values from Node's `new Date(ms).toUTCString()`.
#[test]
fn utc_string_matches_javascript() {
    for (millis, expected) in [
        (0, "Thu, 01 Jan 1970 00:00:00 GMT"),
        (951_782_400_000, "Tue, 29 Feb 2000 00:00:00 GMT"),
        (1_795_499_221_231, "Tue, 24 Nov 2026 05:47:01 GMT"),
        (4_102_444_800_000, "Fri, 01 Jan 2100 00:00:00 GMT"),
    ] {
        assert_eq!(utc_string(SystemTime::UNIX_EPOCH + Duration::from_millis(millis)), expected);
    }
}
