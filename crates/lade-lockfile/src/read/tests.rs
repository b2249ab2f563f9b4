use std::path::{Path, PathBuf};

use miette::Diagnostic;

use crate::{Lockfile, LockfileError, Resolution};

pub(crate) fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/fixtures")
        .join(name)
        .join("pnpm-lock.yaml")
}

pub(crate) const FIXTURES: [&str; 4] = ["small", "alotta-files", "peers", "workspace"];

fn code(err: &LockfileError) -> String {
    err.code().map(|code| code.to_string()).unwrap_or_default()
}

#[test]
fn parses_every_fixture() {
    for name in FIXTURES {
        let lockfile = Lockfile::from_path(&fixture(name)).unwrap();
        assert_eq!(lockfile.lockfile_version.as_str(), "9.0");
        assert!(!lockfile.snapshots.is_empty(), "{name}");
        for (dep_path, _, package) in lockfile.snapshots_with_packages() {
            assert!(package.is_some(), "{name}: {dep_path} has no packages entry");
        }
    }
}

#[test]
fn reads_accessors_from_the_workspace_fixture() {
    let lockfile = Lockfile::from_path(&fixture("workspace")).unwrap();
    let ids: Vec<_> = lockfile.importers().map(|(id, _)| id.as_str()).collect();
    assert_eq!(ids, [".", "packages/cli", "packages/core", "packages/ui"]);
    let cli = lockfile.importer("packages/cli").unwrap();
    let core = &cli.dependencies.as_ref().unwrap()["@fixture/core"];
    assert_eq!((core.specifier.as_str(), core.version.as_str()), ("workspace:*", "link:../core"));
    let catalog = &lockfile.catalogs.as_ref().unwrap()["default"]["zod"];
    assert_eq!((catalog.specifier.as_str(), catalog.version.as_str()), ("^3.23.8", "3.25.76"));
    let dom = lockfile.snapshot("react-dom@18.3.1(react@18.3.1)").unwrap();
    let deps: Vec<_> =
        dom.all_dependencies().map(|(alias, r)| (alias.as_str(), r.as_str())).collect();
    assert_eq!(deps, [("loose-envify", "1.4.0"), ("react", "18.3.1"), ("scheduler", "0.23.2")]);
    let key =
        lockfile.snapshots.keys().find(|k| k.as_str() == "react-dom@18.3.1(react@18.3.1)").unwrap();
    let package = lockfile.package(key).unwrap();
    assert!(matches!(package.resolution, Resolution::Registry { .. }));
    assert_eq!(package.peer_dependencies.as_ref().unwrap()["react"], "^18.3.1");
}

#[test]
fn unsupported_versions_say_which() {
    for (text, version) in [
        ("lockfileVersion: '6.0'\n\nimporters:\n  .:\n    specifiers: {}\n", "6.0"),
        ("lockfileVersion: 5.4\n\nspecifiers:\n  a: ^1\n", "5.4"),
        ("lockfileVersion: '10.0'\n", "10.0"),
        ("lockfileVersion: '9.0 and more'\n", "9.0 and more"),
    ] {
        let err = Lockfile::from_str(text, Path::new("/p/pnpm-lock.yaml")).unwrap_err();
        assert_eq!(code(&err), "ERR_PNPM_LOCKFILE_BREAKING_CHANGE");
        assert!(
            matches!(&err, LockfileError::UnsupportedVersion { version: v, .. } if v == version),
            "{err:?}"
        );
        assert!(err.to_string().contains(&format!("lockfileVersion {version}")), "{err}");
    }
}

#[test]
fn broken_yaml_names_file_line_and_column() {
    let err = Lockfile::from_str(
        "lockfileVersion: '9.0'\nimporters:\n  .: {\n",
        Path::new("/p/pnpm-lock.yaml"),
    )
    .unwrap_err();
    assert_eq!(code(&err), "ERR_PNPM_BROKEN_LOCKFILE");
    let LockfileError::Broken { line, .. } = &err else { panic!("{err:?}") };
    assert_eq!(*line, 4);
    assert!(
        err.to_string().starts_with("The lockfile at \"/p/pnpm-lock.yaml\" is broken:"),
        "{err}"
    );
}

#[test]
fn wrong_types_name_the_field_and_count_lines_after_the_env_document() {
    let text = "---\nlockfileVersion: '9.0'\n---\nlockfileVersion: '9.0'\n\npackages:\n\n  a@1.0.0:\n    resolution: {integrity: sha512-!!}\n";
    let err = Lockfile::from_str(text, Path::new("/p/pnpm-lock.yaml")).unwrap_err();
    let LockfileError::Broken { line, field, .. } = &err else { panic!("{err:?}") };
    assert_eq!(*line, 9, "{err}");
    assert_eq!(field.as_deref(), Some("packages.a@1.0.0.resolution"), "{err}");
    let err = Lockfile::from_str(
        "lockfileVersion: '9.0'\nsnapshots:\n  a@1.0.0:\n    optional: maybe\n",
        Path::new("x"),
    )
    .unwrap_err();
    let LockfileError::Broken { line, field, .. } = &err else { panic!("{err:?}") };
    assert_eq!((*line, field.as_deref()), (4, Some("snapshots.a@1.0.0.optional")), "{err}");
}

#[test]
fn bom_crlf_and_missing_documents() {
    let text = "\u{feff}lockfileVersion: '9.0'\r\n\r\nimporters:\r\n\r\n  .: {}\r\n";
    assert!(Lockfile::from_str(text, Path::new("x")).unwrap().importers.contains_key("."));
    for empty in ["", "\n", "---\nlockfileVersion: '9.0'\n"] {
        let err = Lockfile::from_str(empty, Path::new("x")).unwrap_err();
        assert_eq!(code(&err), "ERR_LADE_LOCKFILE_NOT_FOUND", "{empty:?}");
    }
    let dir = tempfile::tempdir().unwrap();
    let err = Lockfile::from_path(&dir.path().join("pnpm-lock.yaml")).unwrap_err();
    assert_eq!(code(&err), "ERR_LADE_LOCKFILE_NOT_FOUND");
    assert_eq!(code(&Lockfile::from_path(dir.path()).unwrap_err()), "ERR_LADE_LOCKFILE_READ");
}

/// Truncated and byte-flipped fixtures must give an error or a lockfile, never a panic.
#[test]
fn garbled_fixtures_never_panic() {
    for name in FIXTURES {
        let text = std::fs::read_to_string(fixture(name)).unwrap();
        let step = (text.len() / 24).max(1);
        for cut in (1..text.len()).step_by(step).filter(|&i| text.is_char_boundary(i)) {
            let _ = Lockfile::from_str(&text[..cut], Path::new(name));
            let mut garbled = text.clone().into_bytes();
            garbled[cut] = b"{}[]:'\"-&*!|> \n("[cut % 16];
            let _ = Lockfile::from_str(&String::from_utf8_lossy(&garbled), Path::new(name));
        }
    }
}
