use std::path::PathBuf;

use lade_install::{GroupFlags, InstallOptions, LockfileMode};
use miette::Report;

use crate::cli::{InstallArgs, ReporterKind};
use crate::reporter::CliReporter;

pub fn run(dir: PathBuf, reporter: ReporterKind, args: InstallArgs) -> Result<(), Report> {
    let lockfile_mode = if args.frozen_lockfile {
        LockfileMode::Frozen
    } else if args.no_prefer_frozen_lockfile {
        LockfileMode::Update
    } else {
        LockfileMode::PreferFrozen
    };
    let options = InstallOptions {
        dir,
        lockfile_mode,
        lockfile_only: args.lockfile_only,
        offline: args.offline,
        prefer_offline: args.prefer_offline,
        store_dir: args.store_dir,
        ignore_scripts: args.ignore_scripts,
        groups: GroupFlags { prod: args.prod, dev: args.dev, no_optional: args.no_optional },
    };
    let reporter = CliReporter::new(reporter);
    lade_install::install(&options, &reporter)?;
    Ok(())
}
