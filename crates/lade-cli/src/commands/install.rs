use std::path::PathBuf;

use lade_install::{Include, InstallOptions, LockfileMode};
use miette::Report;

use crate::cli::{InstallArgs, ReporterKind};
use crate::reporter::CliReporter;

pub fn run(dir: PathBuf, reporter: ReporterKind, args: InstallArgs) -> Result<(), Report> {
    let lockfile_mode = if args.frozen_lockfile {
        LockfileMode::Frozen
    } else if args.no_frozen_lockfile {
        LockfileMode::Update
    } else {
        LockfileMode::PreferFrozen
    };
    // pnpm: --prod installs dependencies + optionalDependencies, --dev only devDependencies,
    // neither (or both) installs everything.
    let include = match (args.prod, args.dev) {
        (true, false) => Include { dependencies: true, dev_dependencies: false, optional: true },
        (false, true) => Include { dependencies: false, dev_dependencies: true, optional: false },
        _ => Include { dependencies: true, dev_dependencies: true, optional: true },
    };
    let options = InstallOptions {
        dir,
        lockfile_mode,
        offline: args.offline,
        prefer_offline: args.prefer_offline,
        store_dir: args.store_dir,
        ignore_scripts: args.ignore_scripts,
        include: Include { optional: include.optional && !args.no_optional, ..include },
    };
    let reporter = CliReporter::new(reporter);
    lade_install::install(&options, &reporter)?;
    Ok(())
}
