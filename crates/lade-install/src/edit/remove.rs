//! `lade remove <pkg>…`: the packages leave every dependency field of the project; the lockfile
//! keeps everything else, and the install prunes what nothing uses any more.

use super::{Edit, manifest_path};
use crate::resolve::ResolveRequest;
use crate::{InstallError, InstallOptions, InstallSummary, Reporter};

#[derive(Debug, Clone)]
pub struct RemoveOptions {
    pub install: InstallOptions,
    pub packages: Vec<String>,
    /// `-w`, `--workspace-root`: remove from the workspace root's package.json.
    pub workspace_root: bool,
}

const FIELDS: [&str; 4] =
    ["dependencies", "devDependencies", "optionalDependencies", "peerDependencies"];

pub fn remove(
    options: &RemoveOptions,
    reporter: &dyn Reporter,
) -> Result<InstallSummary, InstallError> {
    if options.packages.is_empty() {
        return Err(InstallError::MissingPackageName { command: "remove" });
    }
    let mut edit = Edit::begin(&options.install, options.workspace_root)?;
    let missing: Vec<String> = options
        .packages
        .iter()
        .filter(|name| edit.editor.field_of(name).is_none())
        .cloned()
        .collect();
    if !missing.is_empty() {
        return Err(InstallError::CannotRemoveMissingDeps {
            packages: missing.iter().map(|name| format!("'{name}'")).collect::<Vec<_>>().join(", "),
            manifest: manifest_path(&edit),
        });
    }
    for name in &options.packages {
        for field in FIELDS {
            edit.editor.remove_dependency(field, name);
        }
    }
    let lockfile = edit.resolve(&ResolveRequest::default(), reporter)?;
    edit.finish(&lockfile, &options.install, reporter)
}
