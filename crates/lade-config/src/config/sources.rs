//! Finds and reads every configuration source into precedence-ordered layers.

use std::cell::OnceCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::layers::{
    Layer, Layers, RawValue, SourceKind, drop_untrusted_env_expansions, env_layer,
    rescope_unscoped_credentials,
};
use crate::locations::{
    find_project_dir, find_workspace_dir, home_from_env, npm_global_prefix, pnpm_config_dir,
    workspace_manifest_path,
};
use crate::npm_registry::NpmRegistryProbe;
use crate::npmrc::{FieldContext, NpmrcFile, parse_file};
use crate::settings::SettingReader;
use crate::workspace_manifest::{WorkspaceManifest, read_workspace_manifest};
use crate::{ConfigError, ConfigWarning, LoadOptions};

pub(crate) struct Sources<'a> {
    pub(crate) env: &'a HashMap<String, String>,
    pub(crate) cwd: PathBuf,
    pub(crate) home: Option<PathBuf>,
    pub(crate) project_dir: PathBuf,
    pub(crate) workspace_dir: Option<PathBuf>,
    pub(crate) layers: Layers,
    pub(crate) workspace_manifest: Option<WorkspaceManifest>,
    pub(crate) warnings: Vec<ConfigWarning>,
    pub(crate) npm: NpmRegistryProbe<'a>,
}

/// The npmrc files in precedence order, with the kind each one is read as.
struct NpmrcPaths {
    files: Vec<(SourceKind, PathBuf)>,
    user: PathBuf,
    global: Option<PathBuf>,
}

impl<'a> Sources<'a> {
    pub(crate) fn read(options: &'a LoadOptions) -> Result<Self, ConfigError> {
        let env = &options.env;
        let cwd = std::fs::canonicalize(&options.cwd)
            .map_err(|error| ConfigError::io(&options.cwd, error))?;
        let home = options.home.clone().or_else(|| home_from_env(env));
        let context = FieldContext { env, cwd: &cwd, home: home.as_deref() };
        let mut warnings = Vec::new();
        let cli = options.cli.layer(&context)?;
        let environment = env_layer(&context)?;
        let project_dir = find_project_dir(&cwd);
        let workspace_dir = match options.cli.ignore_workspace {
            true => None,
            false => find_workspace_dir(&cwd, env)?,
        };
        let paths =
            npmrc_paths(&[&cli, &environment], &project_dir, workspace_dir.as_deref(), &context);
        let mut layers = vec![cli, environment];
        for (kind, path) in &paths.files {
            let Some(mut file) = read_npmrc(path, *kind, &context, &mut warnings) else { continue };
            if kind.is_repository_file() {
                drop_untrusted_env_expansions(&mut file, env, &mut warnings);
            }
            layers.push(file.layer);
        }
        let npm = NpmRegistryProbe {
            mode: &options.npm_registry,
            env,
            home: home.clone(),
            npmrc_files: paths.global.into_iter().chain([paths.user]).collect(),
            answer: OnceCell::new(),
        };
        for layer in &mut layers {
            rescope_unscoped_credentials(layer, || npm.registry().ok(), &mut warnings);
        }
        let mut workspace_manifest = match &workspace_dir {
            Some(dir) => {
                read_workspace_manifest(&workspace_manifest_path(dir), env, &mut warnings)?
            }
            None => None,
        };
        if let Some(manifest) = &mut workspace_manifest {
            layers.push(std::mem::replace(
                &mut manifest.layer,
                Layer::new(SourceKind::WorkspaceManifest, None),
            ));
        }
        Ok(Sources {
            env,
            cwd,
            home,
            project_dir,
            workspace_dir,
            layers: Layers::new(layers),
            workspace_manifest,
            warnings,
            npm,
        })
    }

    pub(crate) fn reader(&self) -> SettingReader<'_> {
        SettingReader { layers: &self.layers }
    }

    pub(crate) fn home_or_temp(&self) -> PathBuf {
        self.home.clone().unwrap_or_else(std::env::temp_dir)
    }
}

/// `userconfig`, `globalconfig` and `prefix` can only come from the command line or the
/// environment: they decide which files are read.
fn early_path(early: &[&Layer], key: &str) -> Option<PathBuf> {
    early.iter().find_map(|layer| match &layer.entries.get(key)?.value {
        RawValue::Str(text) if !text.is_empty() => Some(PathBuf::from(text)),
        _ => None,
    })
}

fn npmrc_paths(
    early: &[&Layer],
    project_dir: &Path,
    workspace_dir: Option<&Path>,
    context: &FieldContext<'_>,
) -> NpmrcPaths {
    let home = context.home.map(Path::to_path_buf).unwrap_or_else(std::env::temp_dir);
    let user = early_path(early, "userconfig").unwrap_or_else(|| home.join(".npmrc"));
    let global = early_path(early, "globalconfig").or_else(|| {
        let prefix = early_path(early, "prefix").or_else(|| npm_global_prefix(context.env))?;
        Some(prefix.join("etc").join("npmrc"))
    });
    let mut files = Vec::new();
    let project = project_dir.join(".npmrc");
    if project != user {
        files.push((SourceKind::ProjectNpmrc, project.clone()));
    }
    if let Some(workspace) = workspace_dir.map(|dir| dir.join(".npmrc")) {
        // The same file read twice would only repeat the project layer.
        if workspace != project {
            files.push((SourceKind::WorkspaceNpmrc, workspace));
        }
    }
    files.push((SourceKind::UserNpmrc, user.clone()));
    if let Some(global) = &global {
        files.push((SourceKind::GlobalNpmrc, global.clone()));
    }
    files.push((SourceKind::PnpmGlobalRc, pnpm_config_dir(context.env, &home).join("rc")));
    NpmrcPaths { files, user, global }
}

/// A missing file (or a directory) is no source; an unreadable one is skipped with a warning,
/// as pnpm does.
fn read_npmrc(
    path: &Path,
    kind: SourceKind,
    context: &FieldContext<'_>,
    warnings: &mut Vec<ConfigWarning>,
) -> Option<NpmrcFile> {
    let text = match std::fs::read(path) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(error)
            if matches!(
                error.kind(),
                std::io::ErrorKind::NotFound | std::io::ErrorKind::IsADirectory
            ) =>
        {
            return None;
        }
        Err(error) => {
            let reason = error.to_string();
            warnings.push(ConfigWarning::SkippedNpmrc { path: path.to_path_buf(), reason });
            return None;
        }
    };
    parse_file(&text, path, kind, context, warnings)
}
