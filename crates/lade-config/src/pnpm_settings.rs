//! The structured settings pnpm reads from the root package.json (`pnpm` field, `resolutions`)
//! and from pnpm-workspace.yaml, where each key of the workspace manifest replaces the
//! package.json one.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use serde::Deserialize;

use crate::ConfigError;
use crate::env_replace::env_replace;
use crate::layers::{Origin, SourceKind};

/// A `packageExtensions` entry: fields merged into the manifests of matching packages.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PackageExtension {
    pub dependencies: IndexMap<String, String>,
    pub optional_dependencies: IndexMap<String, String>,
    pub peer_dependencies: IndexMap<String, String>,
    pub peer_dependencies_meta: IndexMap<String, PeerDependencyMeta>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct PeerDependencyMeta {
    pub optional: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PeerDependencyRules {
    pub ignore_missing: Vec<String>,
    pub allow_any: Vec<String>,
    pub allowed_versions: IndexMap<String, String>,
}

/// Platforms whose optional dependencies are installed; `None` means the current one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct SupportedArchitectures {
    pub os: Option<Vec<String>>,
    pub cpu: Option<Vec<String>>,
    pub libc: Option<Vec<String>>,
}

/// The settings as one file writes them; every key is optional so that the workspace manifest
/// replaces exactly the keys it sets.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PnpmSettingsFile {
    pub(crate) overrides: Option<IndexMap<String, String>>,
    pub(crate) package_extensions: Option<IndexMap<String, PackageExtension>>,
    pub(crate) patched_dependencies: Option<IndexMap<String, String>>,
    pub(crate) only_built_dependencies: Option<Vec<String>>,
    pub(crate) only_built_dependencies_file: Option<String>,
    pub(crate) never_built_dependencies: Option<Vec<String>>,
    pub(crate) ignored_built_dependencies: Option<Vec<String>>,
    pub(crate) allow_builds: Option<IndexMap<String, bool>>,
    pub(crate) dangerously_allow_all_builds: Option<bool>,
    pub(crate) peer_dependency_rules: Option<PeerDependencyRules>,
    pub(crate) allowed_deprecated_versions: Option<IndexMap<String, String>>,
    pub(crate) supported_architectures: Option<SupportedArchitectures>,
    pub(crate) ignored_optional_dependencies: Option<Vec<String>>,
    pub(crate) allow_unused_patches: Option<bool>,
    pub(crate) allow_non_applied_patches: Option<bool>,
    pub(crate) ignore_patch_failures: Option<bool>,
}

/// Dependency build permissions, which pnpm also accepts from `.npmrc` when neither manifest
/// sets any of them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BuildSettings {
    pub only_built_dependencies: Option<Vec<String>>,
    pub only_built_dependencies_file: Option<PathBuf>,
    pub never_built_dependencies: Option<Vec<String>>,
    pub ignored_built_dependencies: Option<Vec<String>>,
    pub dangerously_allow_all_builds: bool,
}

impl BuildSettings {
    pub(crate) fn is_set(&self) -> bool {
        self.only_built_dependencies.is_some()
            || self.only_built_dependencies_file.is_some()
            || self.never_built_dependencies.is_some()
            || self.dangerously_allow_all_builds
    }
}

/// The merged structured settings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PnpmSettings {
    /// Selector (`foo`, `foo@1`, `bar>foo`) → replacement spec, `$name` references resolved.
    pub overrides: IndexMap<String, String>,
    pub package_extensions: IndexMap<String, PackageExtension>,
    /// `name@version` → absolute patch file path.
    pub patched_dependencies: IndexMap<String, PathBuf>,
    pub builds: BuildSettings,
    pub peer_dependency_rules: PeerDependencyRules,
    pub allowed_deprecated_versions: IndexMap<String, String>,
    pub supported_architectures: Option<SupportedArchitectures>,
    pub ignored_optional_dependencies: Vec<String>,
    pub allow_unused_patches: bool,
    pub ignore_patch_failures: Option<bool>,
}

/// The dependency specs of the root manifest, for `$name` override references.
pub(crate) type RootDependencies = HashMap<String, String>;

/// One source of settings: the file's directory resolves relative paths.
pub(crate) struct SettingsSource<'a> {
    pub(crate) file: PnpmSettingsFile,
    pub(crate) path: &'a Path,
    pub(crate) kind: SourceKind,
}

impl PnpmSettings {
    /// Applies the package.json settings, then the workspace manifest's over them.
    pub(crate) fn merge(
        sources: Vec<SettingsSource<'_>>,
        root_dependencies: &RootDependencies,
        env: &HashMap<String, String>,
    ) -> Result<Self, ConfigError> {
        let mut settings = PnpmSettings::default();
        let (mut allow_unused, mut allow_non_applied) = (None, None);
        for source in sources {
            let dir = source.path.parent().unwrap_or(Path::new(""));
            let file = source.file;
            if let Some(overrides) = file.overrides.filter(|overrides| !overrides.is_empty()) {
                settings.overrides = resolve_references(overrides, root_dependencies, source.path)?;
            }
            if let Some(patches) = file.patched_dependencies {
                settings.patched_dependencies =
                    patches.into_iter().map(|(name, patch)| (name, dir.join(patch))).collect();
            }
            if let Some(list_file) = file.only_built_dependencies_file {
                let origin =
                    Origin { kind: source.kind, path: Some(source.path.into()), line: None };
                let list_file =
                    env_replace(&list_file, env).map_err(|unset| ConfigError::UnsetEnvVar {
                        key: "onlyBuiltDependenciesFile".to_owned(),
                        expression: unset.0,
                        origin,
                    })?;
                settings.builds.only_built_dependencies_file = Some(dir.join(list_file));
            }
            replace(&mut settings.package_extensions, file.package_extensions);
            replace_option(
                &mut settings.builds.only_built_dependencies,
                file.only_built_dependencies,
            );
            replace_option(
                &mut settings.builds.never_built_dependencies,
                file.never_built_dependencies,
            );
            replace_option(
                &mut settings.builds.ignored_built_dependencies,
                file.ignored_built_dependencies,
            );
            replace(
                &mut settings.builds.dangerously_allow_all_builds,
                file.dangerously_allow_all_builds,
            );
            replace(&mut settings.peer_dependency_rules, file.peer_dependency_rules);
            replace(&mut settings.allowed_deprecated_versions, file.allowed_deprecated_versions);
            replace_option(&mut settings.supported_architectures, file.supported_architectures);
            replace(
                &mut settings.ignored_optional_dependencies,
                file.ignored_optional_dependencies,
            );
            allow_unused = file.allow_unused_patches.or(allow_unused);
            replace_option(&mut settings.ignore_patch_failures, file.ignore_patch_failures);
            allow_non_applied = file.allow_non_applied_patches.or(allow_non_applied);
            if let Some(allow_builds) = file.allow_builds {
                settings.builds.add_allow_builds(allow_builds);
            }
        }
        // `allowNonAppliedPatches` is the deprecated name of `allowUnusedPatches`.
        settings.allow_unused_patches = allow_unused.or(allow_non_applied).unwrap_or(false);
        Ok(settings)
    }
}

impl BuildSettings {
    /// `allowBuilds: { pattern: true|false }` is shorthand for the two lists.
    fn add_allow_builds(&mut self, allow_builds: IndexMap<String, bool>) {
        self.only_built_dependencies.get_or_insert_default();
        self.ignored_built_dependencies.get_or_insert_default();
        for (pattern, allowed) in allow_builds {
            let list = match allowed {
                true => &mut self.only_built_dependencies,
                false => &mut self.ignored_built_dependencies,
            };
            let list = list.get_or_insert_default();
            if !list.contains(&pattern) {
                list.push(pattern);
            }
        }
    }
}

fn replace<T>(target: &mut T, value: Option<T>) {
    if let Some(value) = value {
        *target = value;
    }
}

fn replace_option<T>(target: &mut Option<T>, value: Option<T>) {
    if value.is_some() {
        *target = value;
    }
}

/// `"foo": "$foo"` takes the spec of the root project's own dependency on `foo`.
fn resolve_references(
    overrides: IndexMap<String, String>,
    root_dependencies: &RootDependencies,
    path: &Path,
) -> Result<IndexMap<String, String>, ConfigError> {
    overrides
        .into_iter()
        .map(|(selector, spec)| {
            let Some(dependency) = spec.strip_prefix('$') else { return Ok((selector, spec)) };
            match root_dependencies.get(dependency).filter(|spec| !spec.is_empty()) {
                Some(resolved) => Ok((selector, resolved.clone())),
                None => Err(ConfigError::CannotResolveOverrideVersion {
                    path: path.to_path_buf(),
                    dependency: dependency.to_owned(),
                    spec,
                }),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests;
