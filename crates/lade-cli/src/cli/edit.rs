//! The flags of the commands that edit package.json: `add`, `remove`, `update`.

use std::path::PathBuf;

use clap::Args;

#[derive(Debug, Args)]
pub struct AddArgs {
    /// Packages to add: name, name@range, name@tag or alias@npm:name@range.
    #[arg(required = true, value_name = "PKG")]
    pub packages: Vec<String>,

    /// Save to `devDependencies`.
    #[arg(short = 'D', long, conflicts_with_all = ["save_prod", "save_optional"])]
    pub save_dev: bool,

    /// Save to `dependencies` (the default for a new package).
    #[arg(short = 'P', long, conflicts_with = "save_optional")]
    pub save_prod: bool,

    /// Save to `optionalDependencies`.
    #[arg(short = 'O', long)]
    pub save_optional: bool,

    /// Save the exact version instead of a `^` range.
    #[arg(short = 'E', long)]
    pub save_exact: bool,

    /// Save to `peerDependencies` too (and to `devDependencies`).
    #[arg(long)]
    pub save_peer: bool,

    /// Add to the workspace root's package.json.
    #[arg(short = 'w', long)]
    pub workspace_root: bool,

    #[command(flatten)]
    pub install: EditInstallArgs,
}

#[derive(Debug, Args)]
pub struct RemoveArgs {
    /// Packages to remove from every dependency field.
    #[arg(required = true, value_name = "PKG")]
    pub packages: Vec<String>,

    /// Remove from the workspace root's package.json.
    #[arg(short = 'w', long)]
    pub workspace_root: bool,

    #[command(flatten)]
    pub install: EditInstallArgs,
}

#[derive(Debug, Args)]
pub struct UpdateArgs {
    /// Packages to update (`*` wildcards allowed); every dependency when none is named.
    #[arg(value_name = "PKG")]
    pub packages: Vec<String>,

    /// Update to the `latest` dist-tag, even past the specifier's range.
    #[arg(short = 'L', long)]
    pub latest: bool,

    /// Update the workspace root's dependencies.
    #[arg(short = 'w', long)]
    pub workspace_root: bool,

    #[command(flatten)]
    pub install: EditInstallArgs,
}

/// The install flags the editing commands share.
#[derive(Debug, Args)]
pub struct EditInstallArgs {
    /// Write package.json and pnpm-lock.yaml without touching node_modules.
    #[arg(long)]
    pub lockfile_only: bool,

    /// Use only the store and metadata cache; never touch the network.
    #[arg(long)]
    pub offline: bool,

    /// Use cached metadata without revalidating it.
    #[arg(long)]
    pub prefer_offline: bool,

    /// The content-addressable store to use.
    #[arg(long, value_name = "DIR")]
    pub store_dir: Option<PathBuf>,

    /// Do not run lifecycle scripts of the project or its dependencies.
    #[arg(long)]
    pub ignore_scripts: bool,
}
