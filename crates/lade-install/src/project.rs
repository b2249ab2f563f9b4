//! What an install starts from: the configuration, every project's package.json and the lockfile.

use std::path::{Path, PathBuf};

use lade_config::{CliSettings, Config, LoadOptions};
use lade_lockfile::{Lockfile, LockfileError};
use lade_manifest::PackageManifest;

use crate::{InstallError, InstallOptions};

pub(crate) const LOCKFILE_NAME: &str = "pnpm-lock.yaml";

/// One project of the install (the root, or a workspace package), by its lockfile importer id.
pub(crate) struct ProjectManifest {
    /// `.` for the root, else the path from the lockfile directory with `/` separators.
    pub id: String,
    pub dir: PathBuf,
    pub manifest: PackageManifest,
}

pub(crate) struct Workspace {
    pub config: Config,
    /// Where pnpm-lock.yaml and the root node_modules live, with symlinks resolved.
    pub lockfile_dir: PathBuf,
    /// Root first, then the others ordered by id, as pnpm orders importers.
    pub projects: Vec<ProjectManifest>,
    pub lockfile: Option<Lockfile>,
}

impl Workspace {
    pub fn load(options: &InstallOptions) -> Result<Self, InstallError> {
        let cli = CliSettings {
            store_dir: options.store_dir.clone(),
            offline: options.offline.then_some(true),
            prefer_offline: options.prefer_offline.then_some(true),
            ignore_scripts: options.ignore_scripts.then_some(true),
            production: options.groups.prod.then_some(true),
            dev: options.groups.dev.then_some(true),
            optional: options.groups.no_optional.then_some(false),
            ..CliSettings::default()
        };
        let mut load = LoadOptions::from_process(cli)?;
        load.cwd = options.dir.clone();
        let config = Config::load(&load)?;
        let lockfile_dir = canonical(&config.dirs.lockfile)?;
        let projects = read_projects(&config, &lockfile_dir)?;
        let lockfile = match Lockfile::from_path(&lockfile_dir.join(LOCKFILE_NAME)) {
            Ok(lockfile) => Some(lockfile),
            Err(LockfileError::NotFound { .. }) => None,
            Err(error) => return Err(error.into()),
        };
        Ok(Workspace { config, lockfile_dir, projects, lockfile })
    }
}

fn read_projects(
    config: &Config,
    lockfile_dir: &Path,
) -> Result<Vec<ProjectManifest>, InstallError> {
    let mut projects = Vec::new();
    for dir in config.workspace_projects()? {
        let dir = canonical(&dir)?;
        let id = importer_id(lockfile_dir, &dir);
        let manifest = PackageManifest::from_path(&dir.join("package.json"))?;
        projects.push(ProjectManifest { id, dir, manifest });
    }
    projects.sort_by(|a, b| (a.id != ".").cmp(&(b.id != ".")).then_with(|| a.id.cmp(&b.id)));
    Ok(projects)
}

/// pnpm's importer id: the project's path relative to the lockfile directory, `.` for the root.
fn importer_id(lockfile_dir: &Path, project_dir: &Path) -> String {
    match project_dir.strip_prefix(lockfile_dir) {
        Ok(relative) if relative.as_os_str().is_empty() => ".".to_owned(),
        Ok(relative) => relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/"),
        Err(_) => project_dir.to_string_lossy().into_owned(),
    }
}

fn canonical(path: &Path) -> Result<PathBuf, InstallError> {
    std::fs::canonicalize(path).map_err(|e| InstallError::io("resolve", path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn importer_ids_are_relative_with_slashes() {
        let root = Path::new("/w");
        assert_eq!(importer_id(root, Path::new("/w")), ".");
        assert_eq!(importer_id(root, Path::new("/w/packages/a")), "packages/a");
    }
}
