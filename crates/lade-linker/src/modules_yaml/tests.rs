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

/// Installs the small fixture with pnpm 10, swaps in a `.modules.yaml` written here, and runs
/// pnpm 10's install again: it must find everything up to date and change nothing. A `storeDir`
/// naming any other store version makes it want to purge `node_modules` instead.
#[test]
#[ignore = "needs pnpm 10.34.9 (LADE_PNPM10, default /opt/anchors/pnpm10) and the npm registry; run with --ignored"]
fn pnpm10_accepts_a_lade_written_modules_yaml() {
    use std::process::Command;

    let pnpm = std::env::var("LADE_PNPM10")
        .unwrap_or_else(|_| "/opt/anchors/pnpm10/node_modules/.bin/pnpm".into());
    let tmp = tempfile::tempdir().unwrap();
    let (project, store) = (tmp.path().join("small"), tmp.path().join("store"));
    let fixture =
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures/small");
    std::fs::create_dir_all(&project).unwrap();
    for file in ["package.json", "pnpm-lock.yaml"] {
        std::fs::copy(fixture.join(file), project.join(file)).unwrap();
    }
    let install = || {
        Command::new(&pnpm)
            .args(["install", "--frozen-lockfile", "--ignore-scripts", "--store-dir"])
            .arg(&store)
            .current_dir(&project)
            .env("PNPM_CONFIG_MANAGE_PACKAGE_MANAGER_VERSIONS", "false")
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap()
    };
    assert!(install().status.success());
    let modules_dir = project.join("node_modules");
    let written_by_pnpm = ModulesYaml::read(&modules_dir).unwrap().unwrap();

    let (graph, importers) = crate::test_support::graph_of_fixture("small", &Default::default());
    let hoisting = crate::hoist(&graph, &importers, &[], &crate::HoistPatterns::default());
    let ours = ModulesYaml {
        hoisted_dependencies: hoisting.hoisted_dependencies,
        hoist_pattern: Some(vec!["*".to_owned()]),
        package_manager: "lade@0.1.0".to_owned(),
        public_hoist_pattern: Some(Vec::new()),
        registries: written_by_pnpm.registries.clone(),
        store_dir: pnpm10_store_dir(&store).to_string_lossy().into_owned(),
        ..ModulesYaml::default()
    };
    let snapshot = || {
        let mut entries: Vec<String> =
            walk(&modules_dir).into_iter().filter(|e| !e.contains(".modules.yaml")).collect();
        entries.sort();
        entries
    };
    let before = snapshot();
    ours.write(&modules_dir).unwrap();
    std::fs::remove_file(modules_dir.join(".pnpm-workspace-state-v1.json")).unwrap();
    let output = install();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8_lossy(&output.stdout).contains("Already up to date"));
    assert_eq!(snapshot(), before);

    let other_store =
        ModulesYaml { store_dir: store.join("v11").to_string_lossy().into_owned(), ..ours };
    other_store.write(&modules_dir).unwrap();
    let output = install();
    assert!(!output.status.success());
    assert!(
        String::from_utf8_lossy(&output.stdout)
            .contains("ERR_PNPM_ABORTED_REMOVE_MODULES_DIR_NO_TTY")
    );
}

/// Every path under `dir` (not following symlinks), with symlink targets.
fn walk(dir: &std::path::Path) -> Vec<String> {
    let mut entries = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let meta = std::fs::symlink_metadata(&path).unwrap();
        if meta.is_symlink() {
            entries.push(format!(
                "{} -> {}",
                path.display(),
                std::fs::read_link(&path).unwrap().display()
            ));
        } else if meta.is_dir() {
            entries.push(path.display().to_string());
            entries.extend(walk(&path));
        } else {
            entries.push(format!("{} {}", path.display(), meta.len()));
        }
    }
    entries
}
