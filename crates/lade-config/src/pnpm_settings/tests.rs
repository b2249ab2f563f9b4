use super::*;

fn file(json: &str) -> PnpmSettingsFile {
    serde_json::from_str(json).unwrap()
}

fn merge(
    sources: &[(&str, &str)],
    dependencies: &[(&str, &str)],
) -> Result<PnpmSettings, ConfigError> {
    let dependencies: RootDependencies =
        dependencies.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    let env = HashMap::from([("LIST".to_owned(), "allow.json".to_owned())]);
    let sources = sources
        .iter()
        .map(|(path, json)| SettingsSource {
            file: file(json),
            path: Path::new(path),
            kind: SourceKind::PackageJson,
        })
        .collect();
    PnpmSettings::merge(sources, &dependencies, &env)
}

#[test]
fn workspace_manifest_keys_replace_package_json_keys_whole() {
    let settings = merge(
        &[
            ("/w/package.json", r#"{"overrides": {"a": "1"}, "onlyBuiltDependencies": ["x"], "ignoredOptionalDependencies": ["o"]}"#),
            ("/w/pnpm-workspace.yaml", r#"{"overrides": {"b": "2"}, "neverBuiltDependencies": ["y"]}"#),
        ],
        &[],
    )
    .unwrap();
    assert_eq!(settings.overrides, IndexMap::from([("b".to_owned(), "2".to_owned())]));
    assert_eq!(settings.builds.only_built_dependencies.as_deref(), Some(&["x".to_owned()][..]));
    assert_eq!(settings.builds.never_built_dependencies.as_deref(), Some(&["y".to_owned()][..]));
    assert_eq!(settings.ignored_optional_dependencies, ["o"]);
}

#[test]
fn empty_overrides_do_not_replace() {
    let settings = merge(
        &[
            ("/w/package.json", r#"{"overrides": {"a": "1"}}"#),
            ("/w/pnpm-workspace.yaml", r#"{"overrides": {}}"#),
        ],
        &[],
    )
    .unwrap();
    assert_eq!(settings.overrides["a"], "1");
}

#[test]
fn dollar_references_take_the_root_dependency_spec() {
    let settings = merge(
        &[("/w/package.json", r#"{"overrides": {"foo": "$foo", "bar@1": "2"}}"#)],
        &[("foo", "^1.2.3")],
    )
    .unwrap();
    assert_eq!(settings.overrides["foo"], "^1.2.3");
    let error =
        merge(&[("/w/package.json", r#"{"overrides": {"foo": "$missing"}}"#)], &[]).unwrap_err();
    let ConfigError::CannotResolveOverrideVersion { dependency, .. } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(dependency, "missing");
}

#[test]
fn relative_paths_resolve_against_the_declaring_file() {
    let settings = merge(
        &[(
            "/w/package.json",
            r#"{"patchedDependencies": {"a@1.0.0": "patches/a.patch", "b@1": "/abs/b.patch"},
                "onlyBuiltDependenciesFile": "${LIST}"}"#,
        )],
        &[],
    )
    .unwrap();
    assert_eq!(settings.patched_dependencies["a@1.0.0"], Path::new("/w/patches/a.patch"));
    assert_eq!(settings.patched_dependencies["b@1"], Path::new("/abs/b.patch"));
    assert_eq!(
        settings.builds.only_built_dependencies_file.as_deref(),
        Some(Path::new("/w/allow.json"))
    );
}

#[test]
fn allow_builds_fills_both_lists() {
    let settings =
        merge(&[("/w/pnpm-workspace.yaml", r#"{"onlyBuiltDependencies": ["a"], "allowBuilds": {"a": true, "b": true, "c": false}}"#)], &[])
            .unwrap();
    assert_eq!(settings.builds.only_built_dependencies.unwrap(), ["a", "b"]);
    assert_eq!(settings.builds.ignored_built_dependencies.unwrap(), ["c"]);
}

#[test]
fn allow_non_applied_patches_is_the_old_name() {
    let settings =
        merge(&[("/w/package.json", r#"{"allowNonAppliedPatches": true}"#)], &[]).unwrap();
    assert!(settings.allow_unused_patches);
    let settings = merge(
        &[("/w/package.json", r#"{"allowNonAppliedPatches": true, "allowUnusedPatches": false}"#)],
        &[],
    )
    .unwrap();
    assert!(!settings.allow_unused_patches);
}

#[test]
fn structured_values_parse() {
    let settings = merge(
        &[(
            "/w/package.json",
            r#"{"packageExtensions": {"a@1": {"peerDependencies": {"b": "*"}, "peerDependenciesMeta": {"b": {"optional": true}}}},
                "peerDependencyRules": {"ignoreMissing": ["x"], "allowedVersions": {"y": "2"}},
                "supportedArchitectures": {"os": ["linux"], "cpu": ["x64", "arm64"]},
                "allowedDeprecatedVersions": {"z": "1"}}"#,
        )],
        &[],
    )
    .unwrap();
    assert!(settings.package_extensions["a@1"].peer_dependencies_meta["b"].optional);
    assert_eq!(settings.peer_dependency_rules.ignore_missing, ["x"]);
    assert_eq!(settings.supported_architectures.unwrap().cpu.unwrap(), ["x64", "arm64"]);
    assert_eq!(settings.allowed_deprecated_versions["z"], "1");
}
