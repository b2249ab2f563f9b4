use std::path::PathBuf;

/// What `lade install` was asked to do, already parsed from flags.
#[derive(Debug, Clone)]
pub struct InstallOptions {
    /// The directory lade runs in; the project (or workspace) is found from here.
    pub dir: PathBuf,
    pub lockfile_mode: LockfileMode,
    /// `--lockfile-only`: resolve and write pnpm-lock.yaml, leave `node_modules` alone.
    pub lockfile_only: bool,
    pub offline: bool,
    pub prefer_offline: bool,
    pub store_dir: Option<PathBuf>,
    pub ignore_scripts: bool,
    /// `--prod`, `--dev` and `--no-optional` as given; combined with the configuration
    /// (`production`, `dev`, `optional`, `only`) the way pnpm combines them.
    pub groups: GroupFlags,
}

/// The dependency-group flags of the command line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GroupFlags {
    pub prod: bool,
    pub dev: bool,
    pub no_optional: bool,
}

/// How the lockfile may be used, by pnpm's flag names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LockfileMode {
    /// `--frozen-lockfile`: install exactly the lockfile; a stale one is an error.
    Frozen,
    /// The default (`--prefer-frozen-lockfile`, also `--no-frozen-lockfile`): use the lockfile
    /// when it is up to date, resolve again (keeping its versions) when it is not.
    PreferFrozen,
    /// `--no-prefer-frozen-lockfile`: resolve again even when the lockfile looks up to date.
    Update,
}

/// Which dependency groups are installed (`--prod`, `--dev`, `--no-optional`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Include {
    pub dependencies: bool,
    pub dev_dependencies: bool,
    pub optional: bool,
}

impl Default for Include {
    fn default() -> Self {
        Include { dependencies: true, dev_dependencies: true, optional: true }
    }
}
