//! `lade add <pkg>[@spec]…`: each package goes to the field asked for (or the one that already
//! lists it, else `dependencies`), is resolved, and is saved pinned like its old specifier, else
//! per `-E` / `save-prefix`.

use lade_resolver::save_specifier;

use super::{Edit, parse_package_argument};
use crate::resolve::ResolveRequest;
use crate::{InstallError, InstallOptions, InstallSummary, Reporter};

/// Which package.json field `lade add` saves to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SaveTarget {
    /// The field that already lists the package, else `dependencies`.
    #[default]
    Keep,
    /// `-P`, `--save-prod`.
    Prod,
    /// `-D`, `--save-dev` (also `--save-peer`).
    Dev,
    /// `-O`, `--save-optional`.
    Optional,
}

#[derive(Debug, Clone)]
pub struct AddOptions {
    pub install: InstallOptions,
    /// `name`, `name@range`, `name@tag`, `alias@npm:name@range`.
    pub packages: Vec<String>,
    pub save: SaveTarget,
    /// `-E`, `--save-exact`.
    pub save_exact: bool,
    /// `--save-peer`: also saved to `peerDependencies`.
    pub save_peer: bool,
    /// `-w`, `--workspace-root`: add to the workspace root's package.json.
    pub workspace_root: bool,
}

const DEPENDENCY_FIELDS: [&str; 3] = ["dependencies", "devDependencies", "optionalDependencies"];

pub fn add(options: &AddOptions, reporter: &dyn Reporter) -> Result<InstallSummary, InstallError> {
    if options.packages.is_empty() {
        return Err(InstallError::MissingPackageName { command: "add" });
    }
    let mut edit = Edit::begin(&options.install, options.workspace_root)?;
    let in_workspace = edit.workspace.config.workspace_patterns.is_some();
    if in_workspace && edit.is_workspace_root() && !options.workspace_root {
        return Err(InstallError::AddingToRoot);
    }
    let mut added = Vec::new();
    for argument in &options.packages {
        let (alias, wanted) = parse_package_argument(argument)?;
        let previous = edit.editor.field_of(&alias).and_then(|field| {
            edit.editor.specifier(field, &alias).map(|spec| (field, spec.to_owned()))
        });
        let field = match options.save {
            SaveTarget::Prod => "dependencies",
            SaveTarget::Dev => "devDependencies",
            SaveTarget::Optional => "optionalDependencies",
            SaveTarget::Keep if options.save_peer => "devDependencies",
            SaveTarget::Keep => match &previous {
                Some((field, _)) if *field != "peerDependencies" => field,
                _ => "dependencies",
            },
        };
        for other in DEPENDENCY_FIELDS.into_iter().filter(|f| *f != field) {
            edit.editor.remove_dependency(other, &alias);
        }
        edit.editor.set_dependency(field, &alias, wanted.as_deref().unwrap_or("latest"));
        added.push((alias, wanted, previous.map(|(_, spec)| spec)));
    }
    let mut lockfile = edit.resolve(&ResolveRequest::default(), reporter)?;
    let pin = edit.default_pin(options.save_exact);
    for (alias, wanted, previous) in &added {
        let Some((name, version)) = edit.resolved(&lockfile, alias) else { continue };
        let saved =
            save_specifier(alias, &name, previous.as_deref(), wanted.as_deref(), &version, pin);
        edit.save_specifier(&mut lockfile, alias, &saved);
        if options.save_peer {
            let peer = if lade_resolver::semver::Range::parse(&saved, false, false).is_some() {
                saved.clone()
            } else {
                save_specifier(alias, alias, None, None, &version, pin)
            };
            edit.editor.set_dependency("peerDependencies", alias, &peer);
        }
    }
    edit.finish(&lockfile, &options.install, reporter)
}
