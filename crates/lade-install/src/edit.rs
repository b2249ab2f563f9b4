//! `lade add`, `lade remove` and `lade update`: edit one project's package.json in memory,
//! resolve the workspace with the edit (the lockfile's other versions kept), save the specifiers
//! pnpm would save, write package.json and pnpm-lock.yaml, then install.

mod add;
mod remove;
mod update;

use std::path::Path;

use lade_lockfile::{DependencyTarget, Lockfile};
use lade_manifest::{ManifestEditor, Specifier};
use lade_registry::NetworkSettings;
use lade_resolver::PinnedVersion;

pub use add::{AddOptions, SaveTarget, add};
pub use remove::{RemoveOptions, remove};
pub use update::{UpdateOptions, update};

use crate::project::{LOCKFILE_NAME, Workspace};
use crate::resolve::input::raw_bool;
use crate::resolve::{ResolveRequest, resolve_workspace, write_if_changed};
use crate::settings::InstallSettings;
use crate::{Event, InstallError, InstallOptions, InstallSummary, LockfileMode, Reporter};

/// The project being edited, within its loaded workspace.
struct Edit {
    workspace: Workspace,
    /// Index of the project in `workspace.projects`.
    project: usize,
    editor: ManifestEditor,
    network: NetworkSettings,
}

impl Edit {
    /// Loads the workspace and opens the manifest of the project lade runs in (or the root's,
    /// with `workspace_root`).
    fn begin(options: &InstallOptions, workspace_root: bool) -> Result<Edit, InstallError> {
        let workspace = Workspace::load(options)?;
        let network = InstallSettings::resolve(&workspace)?.network;
        let wanted_dir = if workspace_root {
            workspace.lockfile_dir.clone()
        } else {
            std::fs::canonicalize(&workspace.config.dirs.project).map_err(|error| {
                InstallError::io("resolve", &workspace.config.dirs.project, error)
            })?
        };
        let project = workspace
            .projects
            .iter()
            .position(|project| project.dir == wanted_dir)
            .ok_or_else(|| InstallError::ProjectNotInWorkspace { dir: wanted_dir.clone() })?;
        let editor = ManifestEditor::open(&workspace.projects[project].dir.join("package.json"))?;
        Ok(Edit { workspace, project, editor, network })
    }

    fn is_workspace_root(&self) -> bool {
        self.workspace.projects[self.project].id == "."
    }

    /// Resolves the workspace with the edited manifest in place of the project's.
    fn resolve(
        &mut self,
        request: &ResolveRequest,
        reporter: &dyn Reporter,
    ) -> Result<Lockfile, InstallError> {
        self.workspace.projects[self.project].manifest = self.editor.manifest()?;
        Ok(resolve_workspace(&self.workspace, &self.network, request, reporter)?.lockfile)
    }

    /// The package name and version the project's dependency `alias` resolved to.
    fn resolved(&self, lockfile: &Lockfile, alias: &str) -> Option<(String, String)> {
        let importer = lockfile.importer(&self.workspace.projects[self.project].id)?;
        let dependency =
            [&importer.dependencies, &importer.dev_dependencies, &importer.optional_dependencies]
                .into_iter()
                .flatten()
                .find_map(|deps| {
                    deps.iter().find(|(name, _)| name.as_str() == alias).map(|(_, d)| d)
                })?;
        match dependency.version.target(alias).ok()? {
            DependencyTarget::Snapshot(path) => {
                Some((path.name().to_owned(), path.version().to_owned()))
            }
            DependencyTarget::Link(_) => None,
        }
    }

    /// How much of a version a new specifier pins: `save-exact`, else `save-prefix`.
    fn default_pin(&self, save_exact: bool) -> PinnedVersion {
        let config = &self.workspace.config;
        let prefix = match config.raw.get("save-prefix") {
            Some(lade_config::RawValue::Str(prefix)) => prefix.as_str(),
            _ => "^",
        };
        if save_exact || raw_bool(config, "save-exact") == Some(true) || prefix.is_empty() {
            PinnedVersion::Patch
        } else if prefix == "~" {
            PinnedVersion::Minor
        } else {
            PinnedVersion::Major
        }
    }

    /// Saves `specifier` for `alias` in the manifest (in the field that lists it) and as the
    /// lockfile importer's specifier, so the two agree.
    fn save_specifier(&mut self, lockfile: &mut Lockfile, alias: &str, specifier: &str) {
        if let Some(field) = self.editor.field_of(alias) {
            self.editor.set_dependency(field, alias, specifier);
        }
        let id = self.workspace.projects[self.project].id.as_str();
        let Some(importer) = lockfile.importers.get_mut(id) else { return };
        let fields = [
            &mut importer.dependencies,
            &mut importer.dev_dependencies,
            &mut importer.optional_dependencies,
        ];
        for dependency in fields.into_iter().flatten().filter_map(|deps| {
            deps.iter_mut().find(|(name, _)| name.as_str() == alias).map(|(_, d)| d)
        }) {
            dependency.specifier = Specifier::new(specifier.to_owned());
        }
    }

    /// Writes package.json and pnpm-lock.yaml (each only when changed), then installs unless
    /// only the lockfile was asked for.
    fn finish(
        self,
        lockfile: &Lockfile,
        options: &InstallOptions,
        reporter: &dyn Reporter,
    ) -> Result<InstallSummary, InstallError> {
        self.editor.save()?;
        if self.workspace.config.install.lockfile {
            write_if_changed(&self.workspace.lockfile_dir.join(LOCKFILE_NAME), lockfile)?;
        }
        let install =
            InstallOptions { lockfile_mode: LockfileMode::PreferFrozen, ..options.clone() };
        crate::install(&install, &AfterResolution(reporter))
    }
}

/// The install after an edit uses the lockfile the edit just wrote: pnpm does not announce
/// that as an up-to-date lockfile.
struct AfterResolution<'a>(&'a dyn Reporter);

impl Reporter for AfterResolution<'_> {
    fn report(&self, event: Event<'_>) {
        if !matches!(event, Event::LockfileUpToDate) {
            self.0.report(event);
        }
    }
}

/// A `name@spec` argument as pnpm's `parseWantedDependency` splits it: the name, then the
/// specifier (`None` for a bare name, which means the `latest` dist-tag).
fn parse_package_argument(argument: &str) -> Result<(String, Option<String>), InstallError> {
    let invalid = || InstallError::InvalidPackageArgument { argument: argument.to_owned() };
    let (name, spec) = match argument.get(1..).and_then(|rest| rest.find('@')) {
        Some(at) => (&argument[..at + 1], Some(argument[at + 2..].to_owned())),
        None => (argument, None),
    };
    // npm's old-package rule: a name stays as `encodeURIComponent` leaves it (scope aside).
    let url_friendly = name
        .trim_start_matches('@')
        .replacen('/', "", 1)
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-_.!~*'()".contains(c));
    if !url_friendly {
        return Err(invalid());
    }
    lade_types::PkgName::parse(name).map_err(|_| invalid())?;
    Ok((name.to_owned(), spec.filter(|spec| !spec.is_empty())))
}

/// The manifest path of the project, for errors.
fn manifest_path(edit: &Edit) -> std::path::PathBuf {
    Path::new(&edit.workspace.projects[edit.project].dir).join("package.json")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_package_arguments_like_pnpm() {
        let parse = |a: &str| parse_package_argument(a).unwrap();
        assert_eq!(parse("foo"), ("foo".into(), None));
        assert_eq!(parse("foo@^1.0.0"), ("foo".into(), Some("^1.0.0".into())));
        assert_eq!(parse("@s/foo@latest"), ("@s/foo".into(), Some("latest".into())));
        assert_eq!(parse("@s/foo"), ("@s/foo".into(), None));
        assert_eq!(parse("a@npm:b@1"), ("a".into(), Some("npm:b@1".into())));
        assert!(parse_package_argument("Not Valid!").is_err());
    }

    #[test]
    fn naming_no_package_is_pnpms_missing_package_name() {
        use miette::Diagnostic;
        let install = InstallOptions {
            dir: std::path::PathBuf::from("/nonexistent"),
            lockfile_mode: LockfileMode::PreferFrozen,
            lockfile_only: true,
            offline: false,
            prefer_offline: false,
            store_dir: None,
            ignore_scripts: false,
            groups: crate::GroupFlags::default(),
        };
        let options = AddOptions {
            install: install.clone(),
            packages: Vec::new(),
            save: SaveTarget::Keep,
            save_exact: false,
            save_peer: false,
            workspace_root: false,
        };
        let error = add(&options, &crate::SilentReporter).unwrap_err();
        assert_eq!(error.code().unwrap().to_string(), "ERR_PNPM_MISSING_PACKAGE_NAME");
        let options = RemoveOptions { install, packages: Vec::new(), workspace_root: false };
        let error = remove(&options, &crate::SilentReporter).unwrap_err();
        assert_eq!(error.code().unwrap().to_string(), "ERR_PNPM_MISSING_PACKAGE_NAME");
    }
}
