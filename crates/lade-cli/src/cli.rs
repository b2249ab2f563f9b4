use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

mod edit;

pub use edit::{AddArgs, EditInstallArgs, RemoveArgs, UpdateArgs};

/// A fast, pnpm-compatible package manager.
#[derive(Debug, Parser)]
#[command(name = "lade", version, disable_help_subcommand = true)]
pub struct Cli {
    /// Run as if lade was started in this directory.
    #[arg(short = 'C', long = "dir", global = true, value_name = "DIR")]
    pub dir: Option<PathBuf>,

    /// How to report progress: default, append-only or silent.
    #[arg(long, global = true, value_enum, default_value_t = ReporterKind::Default)]
    pub reporter: ReporterKind,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReporterKind {
    Default,
    AppendOnly,
    Silent,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Install every dependency of the project (and of each workspace project).
    #[command(visible_alias = "i")]
    Install(InstallArgs),

    /// Add packages to package.json, then install.
    Add(AddArgs),

    /// Remove packages from package.json, then install (and prune what nothing uses).
    #[command(visible_aliases = ["rm", "uninstall", "un"])]
    Remove(RemoveArgs),

    /// Update packages within their ranges (or to latest with --latest), then install.
    #[command(visible_aliases = ["up", "upgrade"])]
    Update(UpdateArgs),

    /// Inspect or clean the content-addressable store.
    #[command(subcommand)]
    Store(StoreCommand),
}

#[derive(Debug, Subcommand)]
pub enum StoreCommand {
    /// Check the project's installed packages against the store; fails when any was modified.
    Status(StoreArgs),
    /// Remove packages no registered project uses, and files no package lists.
    Prune(StoreArgs),
}

#[derive(Debug, Args)]
pub struct StoreArgs {
    /// The content-addressable store to use.
    #[arg(long, value_name = "DIR")]
    pub store_dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct InstallArgs {
    /// Fail instead of updating pnpm-lock.yaml when it is out of date.
    #[arg(long, overrides_with = "no_frozen_lockfile")]
    pub frozen_lockfile: bool,
    /// Update pnpm-lock.yaml when it is out of date (the default outside CI).
    #[arg(long)]
    pub no_frozen_lockfile: bool,

    /// Resolve and write pnpm-lock.yaml without touching node_modules.
    #[arg(long)]
    pub lockfile_only: bool,

    /// Use the lockfile as is when it satisfies package.json (the default).
    #[arg(long, overrides_with = "no_prefer_frozen_lockfile")]
    pub prefer_frozen_lockfile: bool,
    /// Resolve again even when pnpm-lock.yaml is up to date (its versions are kept).
    #[arg(long)]
    pub no_prefer_frozen_lockfile: bool,

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

    /// Install only `dependencies` and `optionalDependencies`.
    #[arg(short = 'P', long = "prod", visible_alias = "production")]
    pub prod: bool,

    /// Install only `devDependencies`.
    #[arg(short = 'D', long)]
    pub dev: bool,

    /// Skip `optionalDependencies`.
    #[arg(long)]
    pub no_optional: bool,
}

/// Flag errors in pnpm's shape: a coded line, what went wrong, and where to look for help.
pub fn report_parse_error(error: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    match error.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = error.print();
            ExitCode::SUCCESS
        }
        ErrorKind::UnknownArgument | ErrorKind::InvalidSubcommand => {
            eprintln!(" ERR_LADE_UNKNOWN_OPTION  {}", error.render().to_string().trim_end());
            ExitCode::from(1)
        }
        _ => {
            eprintln!(" ERR_LADE_INVALID_ARGUMENTS  {}", error.render().to_string().trim_end());
            ExitCode::from(1)
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn accepts_pnpm_flag_names() {
        let cli = Cli::try_parse_from([
            "lade",
            "i",
            "--frozen-lockfile",
            "--offline",
            "--store-dir",
            "/s",
            "-P",
            "--no-optional",
            "-C",
            "/p",
            "--reporter=silent",
        ])
        .unwrap();
        let Command::Install(args) = cli.command else { panic!("parsed as install") };
        assert!(args.frozen_lockfile && args.offline && args.prod && args.no_optional);
        assert_eq!(cli.reporter, ReporterKind::Silent);
        assert_eq!(cli.dir, Some(PathBuf::from("/p")));
    }

    #[test]
    fn rejects_unknown_flags() {
        let error = Cli::try_parse_from(["lade", "install", "--frozen-lockfil"]).unwrap_err();
        assert_eq!(error.kind(), clap::error::ErrorKind::UnknownArgument);
        assert!(error.to_string().contains("--frozen-lockfile"), "suggests the near match");
    }
}
