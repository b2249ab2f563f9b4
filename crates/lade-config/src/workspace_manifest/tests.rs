use std::collections::HashMap;

use super::*;

fn read(
    yaml: &str,
    env: &[(&str, &str)],
) -> (Result<Option<WorkspaceManifest>, ConfigError>, Vec<ConfigWarning>) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pnpm-workspace.yaml");
    fs_err::write(&path, yaml).unwrap();
    let env: HashMap<String, String> =
        env.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    let mut warnings = Vec::new();
    let manifest = read_workspace_manifest(&path, &env, &mut warnings);
    (manifest, warnings)
}

fn manifest(yaml: &str) -> WorkspaceManifest {
    read(yaml, &[]).0.unwrap().unwrap()
}

fn read_error(yaml: &str) -> ConfigError {
    read(yaml, &[]).0.err().unwrap()
}

#[test]
fn reads_packages_and_catalogs() {
    let manifest = manifest(
        "packages:\n  - pkgs/*\n  - '!pkgs/skip'\ncatalog:\n  react: ^18.2.0\n\
         catalogs:\n  legacy:\n    react: ^16.0.0\n    '@types/node': '20'\n",
    );
    assert_eq!(manifest.packages.unwrap(), ["pkgs/*", "!pkgs/skip"]);
    let react = PkgName::parse("react").unwrap();
    assert_eq!(manifest.catalogs["default"][&react], "^18.2.0");
    assert_eq!(manifest.catalogs["legacy"][&react], "^16.0.0");
    assert_eq!(manifest.catalogs["legacy"][&PkgName::parse("@types/node").unwrap()], "20");
}

#[test]
fn catalogs_default_cannot_be_defined_twice() {
    let error = read_error("catalog:\n  a: '1'\ncatalogs:\n  default:\n    a: '2'\n");
    assert!(matches!(error, ConfigError::DefaultCatalogDefinedTwice { .. }), "{error:?}");
}

#[test]
fn invalid_shapes_are_coded_errors() {
    for yaml in [
        "- a\n- b\n",
        "packages: pkgs/*\n",
        "packages:\n  - ''\n",
        "packages:\n  - 5\n",
        "catalog:\n  react: [1]\n",
        "catalogs:\n  x: [1]\n",
        "catalog:\n  '../evil': '1'\n",
    ] {
        let error = read_error(yaml);
        assert!(matches!(error, ConfigError::InvalidWorkspaceManifest { .. }), "{yaml}: {error:?}");
    }
}

#[test]
fn yaml_syntax_errors_name_the_line() {
    let error = read_error("packages:\n  - a\n bad: [\n");
    let ConfigError::InvalidWorkspaceManifest { message, path } = &error else {
        panic!("{error:?}")
    };
    assert!(path.ends_with("pnpm-workspace.yaml"));
    assert!(message.contains("line"), "{message}");
    let error = read_error("overrides:\n  - 1\n");
    let ConfigError::InvalidWorkspaceManifest { message, .. } = &error else { panic!("{error:?}") };
    assert!(message.contains("line 2"), "{message}");
}

#[test]
fn scalar_settings_become_kebab_case_layer_entries() {
    let (manifest, warnings) = read(
        "nodeLinker: hoisted\nhoistPattern:\n  - '*eslint*'\nfetchRetries: 5\nstrictSsl: false\n\
         storeDir: ${STORE}\nregistry: ${REGISTRY}\noverrides:\n  a: '1'\n",
        &[("STORE", "/s"), ("REGISTRY", "https://r.example.test/")],
    );
    let layer = manifest.unwrap().unwrap().layer;
    let value = |key: &str| layer.entries.get(key).map(|entry| entry.value.clone());
    assert_eq!(value("node-linker"), Some(RawValue::Str("hoisted".into())));
    assert_eq!(value("hoist-pattern"), Some(RawValue::List(vec!["*eslint*".into()])));
    assert_eq!(value("fetch-retries"), Some(RawValue::Str("5".into())));
    assert_eq!(value("strict-ssl"), Some(RawValue::Bool(false)));
    assert_eq!(value("store-dir"), Some(RawValue::Str("/s".into())));
    assert_eq!(value("registry"), None);
    assert_eq!(value("overrides"), None);
    assert_eq!(layer.entries["node-linker"].line, Some(1));
    assert!(matches!(warnings.as_slice(), [ConfigWarning::IgnoredWorkspaceExpansion { .. }]));
}

#[test]
fn unset_variable_in_a_setting_is_an_error() {
    let error = read("storeDir: ${NOPE}\n", &[]).0.err().unwrap();
    let ConfigError::UnsetEnvVar { origin, .. } = &error else { panic!("{error:?}") };
    assert_eq!(origin.line, Some(1));
}

#[test]
fn empty_file_is_an_empty_manifest() {
    let manifest = manifest("");
    assert!(manifest.packages.is_none() && manifest.catalogs.is_empty());
}

#[test]
fn kebab_case_like_lodash() {
    assert_eq!(kebab_case("hoistPattern"), "hoist-pattern");
    assert_eq!(kebab_case("virtualStoreDirMaxLength"), "virtual-store-dir-max-length");
    assert_eq!(kebab_case("strictSSL"), "strict-ssl");
    assert_eq!(kebab_case("SSLCert"), "ssl-cert");
    assert_eq!(kebab_case("already-kebab"), "already-kebab");
    assert_eq!(kebab_case("noproxy"), "noproxy");
}
