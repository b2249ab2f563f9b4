//! The parts of the root package.json that configure pnpm: the `pnpm` field and Yarn's
//! `resolutions`, which pnpm reads as overrides.

use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use serde::Deserialize;

use crate::ConfigError;
use crate::pnpm_settings::{PnpmSettingsFile, RootDependencies};

#[derive(Deserialize)]
struct PackageJson {
    #[serde(default)]
    dependencies: IndexMap<String, serde_json::Value>,
    #[serde(default, rename = "devDependencies")]
    dev_dependencies: IndexMap<String, serde_json::Value>,
    #[serde(default, rename = "optionalDependencies")]
    optional_dependencies: IndexMap<String, serde_json::Value>,
    #[serde(default)]
    resolutions: Option<IndexMap<String, String>>,
    #[serde(default)]
    pnpm: Option<PnpmSettingsFile>,
}

pub(crate) struct RootManifest {
    pub(crate) path: PathBuf,
    pub(crate) settings: PnpmSettingsFile,
    pub(crate) dependencies: RootDependencies,
}

/// Reads `<dir>/package.json`; a missing file is no manifest.
pub(crate) fn read_root_manifest(dir: &Path) -> Result<Option<RootManifest>, ConfigError> {
    let path = dir.join("package.json");
    let text = match fs_err::read_to_string(&path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(ConfigError::io(&path, error)),
    };
    let manifest: PackageJson = serde_json::from_str(&text).map_err(|error| {
        ConfigError::InvalidPackageJson { path: path.clone(), message: error.to_string() }
    })?;
    let mut settings = manifest.pnpm.unwrap_or_default();
    // package.json's `pnpm` field is read for a fixed list of keys, which does not include it.
    settings.dangerously_allow_all_builds = None;
    if let Some(resolutions) = manifest.resolutions {
        let mut overrides = resolutions;
        overrides.extend(settings.overrides.take().unwrap_or_default());
        settings.overrides = Some(overrides);
    }
    // `{...devDependencies, ...dependencies, ...optionalDependencies}`: later maps win.
    let dependencies =
        [manifest.dev_dependencies, manifest.dependencies, manifest.optional_dependencies]
            .into_iter()
            .flatten()
            .filter_map(|(name, spec)| Some((name, spec.as_str()?.to_owned())))
            .collect();
    Ok(Some(RootManifest { path, settings, dependencies }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(json: &str) -> Result<Option<RootManifest>, ConfigError> {
        let dir = tempfile::tempdir().unwrap();
        fs_err::write(dir.path().join("package.json"), json).unwrap();
        read_root_manifest(dir.path())
    }

    #[test]
    fn resolutions_are_overrides_that_the_pnpm_field_beats() {
        let manifest = read(
            r#"{"resolutions": {"a": "1", "b": "2"}, "pnpm": {"overrides": {"b": "3", "c": "4"}}}"#,
        )
        .unwrap()
        .unwrap();
        let overrides = manifest.settings.overrides.unwrap();
        let pairs: Vec<_> = overrides.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(pairs, [("a", "1"), ("b", "3"), ("c", "4")]);
    }

    #[test]
    fn dependency_specs_prefer_optional_then_prod_then_dev() {
        let manifest = read(
            r#"{"devDependencies": {"a": "1", "b": "1"}, "dependencies": {"a": "2", "c": 5},
                "optionalDependencies": {"b": "3"}}"#,
        )
        .unwrap()
        .unwrap();
        assert_eq!(manifest.dependencies["a"], "2");
        assert_eq!(manifest.dependencies["b"], "3");
        assert!(!manifest.dependencies.contains_key("c"));
    }

    #[test]
    fn missing_file_is_none_and_bad_json_names_the_file() {
        let dir = tempfile::tempdir().unwrap();
        assert!(read_root_manifest(dir.path()).unwrap().is_none());
        let error = read("{\n  \"pnpm\": {\"overrides\": [1]}\n}").err().unwrap();
        let ConfigError::InvalidPackageJson { path, message } = &error else { panic!("{error:?}") };
        assert!(path.ends_with("package.json"));
        assert!(message.contains("line 2"), "{message}");
    }
}
