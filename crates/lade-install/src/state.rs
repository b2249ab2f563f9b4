//! What the previous install left behind (`node_modules/.modules.yaml` and
//! `node_modules/.pnpm/lock.yaml`), whether it already matches, and writing the new state.

use std::path::Path;

use lade_linker::{Layout, ModulesYaml};
use lade_lockfile::Lockfile;

use crate::InstallError;

const CURRENT_LOCKFILE: &str = "lock.yaml";

/// The previous install's records; either may be absent.
pub(crate) struct CurrentState {
    pub modules: Option<ModulesYaml>,
    pub lockfile_text: Option<String>,
}

impl CurrentState {
    pub fn read(layout: &Layout) -> Result<Self, InstallError> {
        let modules = ModulesYaml::read(layout.modules_dir()).unwrap_or(None);
        let path = layout.records_dir().join(CURRENT_LOCKFILE);
        let lockfile_text = match std::fs::read_to_string(&path) {
            Ok(text) => Some(text),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => None,
            Err(error) => return Err(InstallError::io("read", path, error)),
        };
        Ok(CurrentState { modules, lockfile_text })
    }

    /// The previous install used exactly this lockfile with the same layout settings, so
    /// `node_modules` needs nothing: pnpm's "Already up to date".
    pub fn is_up_to_date(&self, wanted_lockfile: &str, wanted: &ModulesYaml) -> bool {
        let Some(modules) = &self.modules else { return false };
        self.lockfile_text.as_deref() == Some(wanted_lockfile) && same_layout(modules, wanted)
    }

    /// The previous install's lockfile, when it can still be read.
    pub fn lockfile(&self) -> Option<Lockfile> {
        let text = self.lockfile_text.as_deref()?;
        Lockfile::from_str(text, Path::new(CURRENT_LOCKFILE)).ok()
    }
}

fn same_layout(a: &ModulesYaml, b: &ModulesYaml) -> bool {
    a.layout_version == b.layout_version
        && a.node_linker == b.node_linker
        && a.included == b.included
        && a.hoist_pattern == b.hoist_pattern
        && a.public_hoist_pattern == b.public_hoist_pattern
        && a.store_dir == b.store_dir
        && a.virtual_store_dir == b.virtual_store_dir
        && a.virtual_store_dir_max_length == b.virtual_store_dir_max_length
}

/// Records the finished install: the lockfile it installed, then `.modules.yaml` last, so an
/// interrupted install never looks complete.
pub(crate) fn write(
    layout: &Layout,
    lockfile_text: &str,
    modules: &ModulesYaml,
) -> Result<(), InstallError> {
    let dir = layout.records_dir();
    std::fs::create_dir_all(&dir).map_err(|error| InstallError::io("create", &dir, error))?;
    write_atomic(&dir.join(CURRENT_LOCKFILE), lockfile_text.as_bytes())?;
    write_atomic(
        &layout.modules_dir().join(lade_linker::MODULES_FILENAME),
        modules.to_text().as_bytes(),
    )
}

pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), InstallError> {
    let temp = path.with_extension(format!("tmp-{}", std::process::id()));
    std::fs::write(&temp, bytes).map_err(|error| InstallError::io("write", &temp, error))?;
    std::fs::rename(&temp, path).map_err(|error| InstallError::io("rename", path, error))
}
