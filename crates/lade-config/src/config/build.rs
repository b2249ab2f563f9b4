//! The structured pnpm settings of the root package.json and pnpm-workspace.yaml, with the
//! dependency build permissions `.npmrc` may give when neither manifest does.

use super::Dirs;
use super::sources::Sources;
use crate::ConfigError;
use crate::layers::SourceKind;
use crate::pnpm_settings::{BuildSettings, PnpmSettings, RootDependencies, SettingsSource};
use crate::root_manifest::read_root_manifest;
use crate::settings::SettingReader;

pub(super) fn pnpm_settings(
    sources: &Sources<'_>,
    reader: &SettingReader<'_>,
    dirs: &Dirs,
) -> Result<PnpmSettings, ConfigError> {
    // pnpm reads the root manifest from an explicit lockfile-dir, else the workspace root.
    let root_dir = match reader.path("lockfile-dir") {
        Some(_) => dirs.lockfile.clone(),
        None => dirs.workspace.clone().unwrap_or_else(|| dirs.project.clone()),
    };
    let root = read_root_manifest(&root_dir)?;
    let mut settings_sources = Vec::new();
    let mut dependencies = RootDependencies::new();
    if let Some(root) = &root {
        dependencies = root.dependencies.clone();
        settings_sources.push(SettingsSource {
            file: root.settings.clone(),
            path: &root.path,
            kind: SourceKind::PackageJson,
        });
    }
    if let Some(manifest) = &sources.workspace_manifest {
        settings_sources.push(SettingsSource {
            file: manifest.settings.clone(),
            path: &manifest.path,
            kind: SourceKind::WorkspaceManifest,
        });
    }
    let mut settings = PnpmSettings::merge(settings_sources, &dependencies, sources.env)?;
    if !settings.builds.is_set() {
        let ignored = settings.builds.ignored_built_dependencies.take();
        settings.builds = npmrc_builds(sources, reader)?;
        settings.builds.ignored_built_dependencies =
            ignored.or(settings.builds.ignored_built_dependencies);
    }
    if settings.builds.dangerously_allow_all_builds {
        settings.builds.never_built_dependencies = Some(Vec::new());
    }
    Ok(settings)
}

fn npmrc_builds(
    sources: &Sources<'_>,
    reader: &SettingReader<'_>,
) -> Result<BuildSettings, ConfigError> {
    Ok(BuildSettings {
        only_built_dependencies: reader.list("only-built-dependencies")?,
        only_built_dependencies_file: reader
            .path("only-built-dependencies-file")
            .map(|file| sources.cwd.join(file)),
        never_built_dependencies: reader.list("never-built-dependencies")?,
        ignored_built_dependencies: reader.list("ignored-built-dependencies")?,
        dangerously_allow_all_builds: reader.bool("dangerously-allow-all-builds", false)?,
    })
}
