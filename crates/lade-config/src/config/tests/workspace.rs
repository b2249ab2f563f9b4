//! Workspace manifest, root package.json and error codes through whole loads.

use super::*;

#[test]
fn workspace_projects_catalogs_and_settings() {
    let fixture = Fixture::new();
    fixture
        .write(
            "project/pnpm-workspace.yaml",
            "packages:\n  - 'pkgs/*'\n  - '!pkgs/private'\ncatalog:\n  react: ^18.0.0\n\
             overrides:\n  foo: 2.0.0\nonlyBuiltDependencies: [esbuild]\n",
        )
        .write("project/pkgs/a/package.json", "{}")
        .write("project/pkgs/private/package.json", "{}")
        .write(
            "project/package.json",
            r#"{"pnpm": {"overrides": {"foo": "1.0.0"}}, "resolutions": {"bar": "3"}}"#,
        );
    let config = fixture.load("project/pkgs/a");
    let projects = config.workspace_projects().unwrap();
    assert_eq!(projects, [fixture.path("project"), fixture.path("project/pkgs/a")]);
    assert_eq!(config.catalogs["default"][&PkgName::parse("react").unwrap()], "^18.0.0");
    assert_eq!(config.pnpm.overrides.get("foo").map(String::as_str), Some("2.0.0"));
    assert!(!config.pnpm.overrides.contains_key("bar"));
    assert_eq!(
        config.pnpm.builds.only_built_dependencies.as_deref(),
        Some(&["esbuild".to_owned()][..])
    );
}

#[test]
fn root_package_json_settings_without_a_workspace() {
    let fixture = Fixture::new();
    fixture.write(
        "project/package.json",
        r#"{"dependencies": {"foo": "^1.0.0"}, "resolutions": {"bar": "3"},
            "pnpm": {"overrides": {"foo": "$foo"}, "patchedDependencies": {"foo@1.0.0": "patches/foo.patch"},
                     "neverBuiltDependencies": ["fsevents"]}}"#,
    );
    let config = fixture.load("project");
    assert_eq!(config.pnpm.overrides["bar"], "3");
    assert_eq!(config.pnpm.overrides["foo"], "^1.0.0");
    assert_eq!(
        config.pnpm.patched_dependencies["foo@1.0.0"],
        fixture.path("project/patches/foo.patch")
    );
    assert_eq!(
        config.pnpm.builds.never_built_dependencies.as_deref(),
        Some(&["fsevents".to_owned()][..])
    );
    assert_eq!(config.workspace_projects().unwrap(), [fixture.path("project")]);
}

#[test]
fn npmrc_build_permissions_apply_only_when_manifests_have_none() {
    let fixture = Fixture::new();
    fixture.write("project/.npmrc", "only-built-dependencies[]=from-npmrc\n");
    let builds = fixture.load("project").pnpm.builds;
    assert_eq!(builds.only_built_dependencies.unwrap(), ["from-npmrc"]);
    fixture.write("project/package.json", r#"{"pnpm": {"neverBuiltDependencies": ["x"]}}"#);
    let builds = fixture.load("project").pnpm.builds;
    assert_eq!(builds.only_built_dependencies, None);
    fixture
        .write("project/.npmrc", "dangerously-allow-all-builds=true\n")
        .write("project/package.json", "{}");
    assert_eq!(fixture.load("project").pnpm.builds.never_built_dependencies, Some(Vec::new()));
}

#[test]
fn ignore_workspace_reads_no_workspace_manifest() {
    let fixture = Fixture::new();
    fixture.write("project/pnpm-workspace.yaml", "nodeLinker: hoisted\n");
    assert_eq!(fixture.load("project").layout.node_linker, NodeLinker::Hoisted);
    let cli = CliSettings { ignore_workspace: true, ..CliSettings::default() };
    let config = fixture.load_with("project", cli).unwrap();
    assert_eq!((config.layout.node_linker, config.dirs.workspace), (NodeLinker::Isolated, None));
}

#[test]
fn malformed_manifests_are_coded_errors() {
    let fixture = Fixture::new();
    fixture.write("project/pnpm-workspace.yaml", "packages: [\n");
    let error = fixture.load_with("project", CliSettings::default()).unwrap_err();
    assert!(matches!(error, ConfigError::InvalidWorkspaceManifest { .. }), "{error:?}");
    fixture.write("project/pnpm-workspace.yaml", "").write("project/package.json", "{ not json");
    let error = fixture.load_with("project", CliSettings::default()).unwrap_err();
    assert!(matches!(error, ConfigError::InvalidPackageJson { .. }), "{error:?}");
    fixture.write("project/package.json", "{}").write("project/pnpm-workspace.yml", "");
    fs_err::remove_file(fixture.path("project/pnpm-workspace.yaml")).unwrap();
    let error = fixture.load_with("project", CliSettings::default()).unwrap_err();
    assert!(matches!(error, ConfigError::BadWorkspaceManifestName { .. }), "{error:?}");
}

#[test]
fn missing_cwd_is_an_io_error_naming_it() {
    let fixture = Fixture::new();
    let error = fixture.load_with("nowhere", CliSettings::default()).unwrap_err();
    let ConfigError::Io { path, .. } = &error else { panic!("{error:?}") };
    assert_eq!(path, &fixture.path("nowhere"));
}

#[test]
fn error_codes_are_stable() {
    let origin = Origin { kind: SourceKind::ProjectNpmrc, path: None, line: None };
    let path = PathBuf::from("/p");
    let cases: Vec<(ConfigError, &str)> = vec![
        (ConfigError::io("/p", std::io::Error::other("x")), "ERR_LADE_CONFIG_IO"),
        (
            ConfigError::BadWorkspaceManifestName { path: path.clone() },
            "ERR_PNPM_BAD_WORKSPACE_MANIFEST_NAME",
        ),
        (
            ConfigError::InvalidWorkspaceManifest { path: path.clone(), message: String::new() },
            "ERR_PNPM_INVALID_WORKSPACE_CONFIGURATION",
        ),
        (
            ConfigError::DefaultCatalogDefinedTwice { path: path.clone() },
            "ERR_PNPM_INVALID_CATALOGS_CONFIGURATION",
        ),
        (
            ConfigError::InvalidPackageJson { path: path.clone(), message: String::new() },
            "ERR_LADE_INVALID_PACKAGE_JSON",
        ),
        (
            ConfigError::CannotResolveOverrideVersion {
                path,
                spec: "$a".into(),
                dependency: "a".into(),
            },
            "ERR_PNPM_CANNOT_RESOLVE_OVERRIDE_VERSION",
        ),
        (
            ConfigError::InvalidValue {
                key: "k".into(),
                value: "v".into(),
                expected: "e",
                origin: origin.clone(),
            },
            "ERR_LADE_CONFIG_INVALID_VALUE",
        ),
        (
            ConfigError::UnsetEnvVar {
                key: "k".into(),
                expression: "${X}".into(),
                origin: origin.clone(),
            },
            "ERR_LADE_CONFIG_ENV_REPLACE",
        ),
        (
            ConfigError::InvalidRegistryUrl { key: "registry".into(), url: "x".into(), origin },
            "ERR_LADE_INVALID_REGISTRY_URL",
        ),
        (ConfigError::NoRegistry { reason: String::new() }, "ERR_LADE_NO_REGISTRY"),
        (ConfigError::HoistConflict { flag: "shamefully-hoist" }, "ERR_PNPM_CONFIG_CONFLICT_HOIST"),
    ];
    for (error, code) in cases {
        assert_eq!(miette::Diagnostic::code(&error).unwrap().to_string(), code);
        assert!(miette::Diagnostic::help(&error).is_some(), "{code} has no help");
    }
}
