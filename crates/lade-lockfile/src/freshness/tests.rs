//! Each case was run through pnpm 10.34.9 (`pnpm install --frozen-lockfile --lockfile-only` on a
//! copy of the fixture with the same edit); the expected errors are the ones it printed.

use std::path::Path;

use lade_manifest::PackageManifest;
use miette::Diagnostic;

use crate::read::tests::fixture;
use crate::{ExpectedSettings, Lockfile, OutdatedLockfile, ProjectForCheck, check_freshness};

fn manifest_dir(name: &str) -> std::path::PathBuf {
    fixture(name).parent().unwrap().to_path_buf()
}

/// The small fixture's verdict after `edit` changes its package.json (as JSON).
fn small_with(
    edit: impl FnOnce(&mut serde_json::Value),
    lockfile_edit: impl FnOnce(String) -> String,
) -> Result<(), OutdatedLockfile> {
    let dir = manifest_dir("small");
    let mut json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("package.json")).unwrap()).unwrap();
    edit(&mut json);
    let manifest = PackageManifest::from_str(&json.to_string(), Path::new("package.json")).unwrap();
    let text = lockfile_edit(std::fs::read_to_string(fixture("small")).unwrap());
    let lockfile = Lockfile::from_str(&text, Path::new("pnpm-lock.yaml")).unwrap();
    check_freshness(
        &lockfile,
        &[ProjectForCheck { id: ".", manifest: &manifest }],
        &ExpectedSettings::default(),
    )
}

fn reason(result: Result<(), OutdatedLockfile>) -> String {
    match result {
        Err(OutdatedLockfile::NotUpToDate { reason, .. }) => reason,
        other => panic!("expected an outdated importer, got {other:?}"),
    }
}

fn same(text: String) -> String {
    text
}

#[test]
fn fixtures_are_fresh() {
    assert_eq!(small_with(|_| {}, same), Ok(()));
    assert_eq!(workspace_with(|_, _| {}, same), Ok(()));
}

#[test]
fn specifier_changes_are_listed_like_pnpm() {
    let err = small_with(|p| p["dependencies"]["lodash"] = "^4.17.20".into(), same).unwrap_err();
    assert_eq!(err.code().unwrap().to_string(), "ERR_PNPM_OUTDATED_LOCKFILE");
    assert!(err.to_string().starts_with(
        "Cannot install with \"frozen-lockfile\" because pnpm-lock.yaml is not up to date with <ROOT>/package.json"
    ));
    assert_eq!(
        reason(Err(err)),
        "specifiers in the lockfile don't match specifiers in package.json:\n* 1 dependencies are mismatched:\n  - lodash (lockfile: ^4.17.21, manifest: ^4.17.20)\n"
    );
    let added = small_with(|p| p["dependencies"]["left-pad"] = "^1.0.0".into(), same);
    assert_eq!(
        reason(added),
        "specifiers in the lockfile don't match specifiers in package.json:\n* 1 dependencies were added: left-pad@^1.0.0\n"
    );
    let removed =
        small_with(|p| _ = p["dependencies"].as_object_mut().unwrap().shift_remove("zod"), same);
    assert_eq!(
        reason(removed),
        "specifiers in the lockfile don't match specifiers in package.json:\n* 1 dependencies were removed: zod@^3.23.0\n"
    );
}

#[test]
fn a_dependency_moved_between_fields_is_caught_by_the_field_count() {
    let moved = small_with(
        |p| {
            let zod = p["dependencies"].as_object_mut().unwrap().shift_remove("zod").unwrap();
            p["devDependencies"] = serde_json::json!({ "zod": zod });
        },
        same,
    );
    assert_eq!(
        reason(moved),
        "\"dependencies\" in the lockfile ({\"axios\":\"1.21.1(debug@4.4.3)\",\"chalk\":\"5.6.2\",\"commander\":\"12.1.0\",\"dayjs\":\"1.11.23\",\"debug\":\"4.4.3\",\"express\":\"4.22.3\",\"lodash\":\"4.18.1\",\"semver\":\"7.8.6\",\"uuid\":\"10.0.0\",\"zod\":\"3.25.76\"}) doesn't match the same field in package.json ({\"axios\":\"^1.7.0\",\"chalk\":\"^5.3.0\",\"commander\":\"^12.1.0\",\"dayjs\":\"^1.11.0\",\"debug\":\"^4.3.0\",\"express\":\"^4.21.0\",\"lodash\":\"^4.17.21\",\"semver\":\"^7.6.0\",\"uuid\":\"^10.0.0\"})"
    );
    let optional =
        small_with(|p| p["optionalDependencies"] = serde_json::json!({"zod": "^3.23.0"}), same);
    assert_eq!(
        reason(optional),
        "\"optionalDependencies\" in the lockfile ({}) doesn't match the same field in package.json ({\"zod\":\"^3.23.0\"})"
    );
}

#[test]
fn peers_count_as_dependencies_with_auto_install_peers() {
    assert_eq!(
        small_with(|p| p["peerDependencies"] = serde_json::json!({"chalk": "^5.0.0"}), same),
        Ok(())
    );
    let new_peer =
        small_with(|p| p["peerDependencies"] = serde_json::json!({"left-pad": "^1.0.0"}), same);
    assert_eq!(
        reason(new_peer),
        "specifiers in the lockfile don't match specifiers in package.json:\n* 1 dependencies were added: left-pad@^1.0.0\n"
    );
}

#[test]
fn dependencies_meta_and_publish_directory_must_match() {
    let meta = small_with(
        |p| p["dependenciesMeta"] = serde_json::json!({"lodash": {"injected": true}}),
        same,
    );
    assert_eq!(
        reason(meta),
        "importer dependencies meta (undefined) doesn't match package manifest dependencies meta ({\"lodash\":{\"injected\":true}})"
    );
    let publish =
        small_with(|p| p["publishConfig"] = serde_json::json!({"directory": "dist"}), same);
    assert_eq!(
        reason(publish),
        "\"publishDirectory\" in the lockfile (undefined) doesn't match \"publishConfig.directory\" in package.json (dist)"
    );
}

#[test]
fn a_resolved_version_outside_its_range_is_broken() {
    let broken = small_with(
        |_| {},
        |t| {
            t.replacen(
                "specifier: ^4.17.21\n        version: 4.18.1",
                "specifier: ^4.17.21\n        version: 3.0.0",
                1,
            )
        },
    );
    assert_eq!(
        reason(broken),
        "The importer resolution is broken at dependency \"lodash\": version \"3.0.0\" doesn't satisfy range \"^4.17.21\""
    );
}

#[test]
fn changed_settings_are_a_config_mismatch() {
    let err =
        small_with(|_| {}, |t| t.replace("autoInstallPeers: true", "autoInstallPeers: false"))
            .unwrap_err();
    assert_eq!(err, OutdatedLockfile::ConfigMismatch { setting: "settings.autoInstallPeers" });
    assert_eq!(err.code().unwrap().to_string(), "ERR_PNPM_LOCKFILE_CONFIG_MISMATCH");
    assert_eq!(
        err.to_string(),
        "Cannot proceed with the frozen installation. The current \"settings.autoInstallPeers\" configuration doesn't match the value found in the lockfile"
    );
    let err = small_with(
        |_| {},
        |t| t.replace("excludeLinksFromLockfile: false", "excludeLinksFromLockfile: true"),
    );
    assert_eq!(
        err,
        Err(OutdatedLockfile::ConfigMismatch { setting: "settings.excludeLinksFromLockfile" })
    );
}

/// The workspace fixture, with its catalog from pnpm-workspace.yaml, after `edit` changes the
/// manifests (by importer id) and the expected settings.
fn workspace_with(
    edit: impl FnOnce(&mut Vec<(&'static str, serde_json::Value)>, &mut ExpectedSettings),
    lockfile_edit: impl FnOnce(String) -> String,
) -> Result<(), OutdatedLockfile> {
    let dir = manifest_dir("workspace");
    let mut manifests: Vec<(&str, serde_json::Value)> =
        [".", "packages/cli", "packages/core", "packages/ui"]
            .into_iter()
            .map(|id| {
                (
                    id,
                    serde_json::from_str(
                        &std::fs::read_to_string(dir.join(id).join("package.json")).unwrap(),
                    )
                    .unwrap(),
                )
            })
            .collect();
    let mut expected = ExpectedSettings::default();
    let catalog =
        [("chalk", "^5.3.0"), ("zod", "^3.23.8")].map(|(k, v)| (k.to_owned(), v.to_owned()));
    expected.catalogs.insert("default".to_owned(), catalog.into_iter().collect());
    edit(&mut manifests, &mut expected);
    let manifests: Vec<(&str, PackageManifest)> = manifests
        .iter()
        .map(|(id, json)| {
            (*id, PackageManifest::from_str(&json.to_string(), Path::new("package.json")).unwrap())
        })
        .collect();
    let projects: Vec<ProjectForCheck> =
        manifests.iter().map(|(id, manifest)| ProjectForCheck { id, manifest }).collect();
    let text = lockfile_edit(std::fs::read_to_string(fixture("workspace")).unwrap());
    let lockfile = Lockfile::from_str(&text, Path::new("pnpm-lock.yaml")).unwrap();
    check_freshness(&lockfile, &projects, &expected)
}

#[test]
fn workspace_protocol_specifiers_are_compared_as_written() {
    let err =
        workspace_with(|m, _| m[1].1["dependencies"]["@fixture/core"] = "workspace:^".into(), same)
            .unwrap_err();
    assert!(
        err.to_string().contains("is not up to date with <ROOT>/packages/cli/package.json"),
        "{err}"
    );
    assert_eq!(
        reason(Err(err)),
        "specifiers in the lockfile don't match specifiers in package.json:\n* 1 dependencies are mismatched:\n  - @fixture/core (lockfile: workspace:*, manifest: workspace:^)\n"
    );
}

#[test]
fn catalogs_only_fail_for_entries_the_lockfile_used() {
    let changed = workspace_with(
        |_, e| _ = e.catalogs["default"].insert("zod".into(), "^3.23.9".into()),
        same,
    );
    assert_eq!(changed, Err(OutdatedLockfile::ConfigMismatch { setting: "catalogs" }));
    let added = workspace_with(
        |_, e| _ = e.catalogs["default"].insert("react".into(), "^18.0.0".into()),
        same,
    );
    assert_eq!(added, Ok(()));
}

#[test]
fn a_missing_importer_reads_as_empty_and_an_extra_one_is_ignored() {
    let missing = workspace_with(
        |_, _| {},
        |t| {
            let (start, end) =
                (t.find("  packages/ui:").unwrap(), t.find("packages:\n\n  chalk").unwrap());
            format!("{}{}", &t[..start], &t[end..])
        },
    );
    assert_eq!(
        reason(missing),
        "specifiers in the lockfile don't match specifiers in package.json:\n* 3 dependencies were added: react-dom@^18.3.1, @fixture/core@workspace:^, react@^18.3.1\n"
    );
    let extra = workspace_with(
        |_, _| {},
        |t| {
            t.replace("  packages/ui:", "  packages/gone:\n    dependencies:\n      lodash:\n        specifier: ^4.17.21\n        version: 4.18.1\n\n  packages/ui:")
        },
    );
    assert_eq!(extra, Ok(()));
}

#[test]
fn a_peer_range_must_match_when_it_is_not_also_a_dev_dependency() {
    let result = workspace_with(
        |m, _| _ = m[3].1.as_object_mut().unwrap().shift_remove("devDependencies"),
        same,
    );
    assert_eq!(
        reason(result),
        "specifiers in the lockfile don't match specifiers in package.json:\n* 1 dependencies are mismatched:\n  - react-dom (lockfile: ^18.3.1, manifest: ^18.0.0)\n"
    );
}

#[test]
fn links_are_left_out_when_excluded_from_the_lockfile() {
    let mut expected =
        ExpectedSettings { exclude_links_from_lockfile: true, ..ExpectedSettings::default() };
    let manifest = PackageManifest::from_str(
        r#"{"dependencies":{"a":"link:../a","b":"^1.0.0"}}"#,
        Path::new("p"),
    )
    .unwrap();
    let text = "lockfileVersion: '9.0'\nsettings:\n  excludeLinksFromLockfile: true\nimporters:\n  .:\n    dependencies:\n      b:\n        specifier: ^1.0.0\n        version: 1.0.0\n";
    let lockfile = Lockfile::from_str(text, Path::new("x")).unwrap();
    let projects = [ProjectForCheck { id: ".", manifest: &manifest }];
    assert_eq!(check_freshness(&lockfile, &projects, &expected), Ok(()));
    expected.exclude_links_from_lockfile = false;
    let lockfile = Lockfile::from_str(&text.replace("true", "false"), Path::new("x")).unwrap();
    assert!(check_freshness(&lockfile, &projects, &expected).is_err());
}

/// The project behind write/varied-pnpm-lock.yaml: overrides and a patch recorded in the lockfile.
fn varied_with(edit: impl FnOnce(&mut ExpectedSettings)) -> Result<(), OutdatedLockfile> {
    let manifest =
        PackageManifest::from_str(include_str!("varied-package.json"), Path::new("package.json"))
            .unwrap();
    let lockfile =
        Lockfile::from_str(include_str!("../write/varied-pnpm-lock.yaml"), Path::new("x")).unwrap();
    let mut expected = ExpectedSettings::default();
    expected.overrides.insert("ms".into(), "2.1.3".into());
    let patch = crate::PatchedDependency::HashAndPath {
        hash: "f87486c695f332ded6d734632c72cda44909103d3e1303b6018e080a6db6cbdc".into(),
        path: "patches/is-number@7.0.0.patch".into(),
    };
    expected.patched_dependencies.insert("is-number@7.0.0".into(), patch);
    edit(&mut expected);
    check_freshness(&lockfile, &[ProjectForCheck { id: ".", manifest: &manifest }], &expected)
}

#[test]
fn overrides_and_patches_must_match_the_recorded_ones() {
    assert_eq!(varied_with(|_| {}), Ok(()));
    let overrides = varied_with(|e| _ = e.overrides.insert("ms".into(), "2.1.2".into()));
    assert_eq!(overrides, Err(OutdatedLockfile::ConfigMismatch { setting: "overrides" }));
    let patch = varied_with(|e| {
        e.patched_dependencies["is-number@7.0.0"] = crate::PatchedDependency::Hash("0".repeat(64));
    });
    assert_eq!(patch, Err(OutdatedLockfile::ConfigMismatch { setting: "patchedDependencies" }));
    let hash_only = varied_with(|e| {
        let hash = e.patched_dependencies["is-number@7.0.0"].hash().to_owned();
        e.patched_dependencies["is-number@7.0.0"] = crate::PatchedDependency::Hash(hash);
    });
    assert_eq!(hash_only, Ok(()));
}
