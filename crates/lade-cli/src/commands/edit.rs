//! `lade add`, `lade remove`, `lade update`: flags → options → one library call each.

use std::path::PathBuf;

use lade_install::{
    AddOptions, GroupFlags, InstallOptions, LockfileMode, RemoveOptions, SaveTarget, UpdateOptions,
};
use miette::Report;

use crate::cli::{AddArgs, EditInstallArgs, RemoveArgs, ReporterKind, UpdateArgs};
use crate::reporter::CliReporter;

fn install_options(dir: PathBuf, args: EditInstallArgs) -> InstallOptions {
    InstallOptions {
        dir,
        lockfile_mode: LockfileMode::PreferFrozen,
        lockfile_only: args.lockfile_only,
        offline: args.offline,
        prefer_offline: args.prefer_offline,
        store_dir: args.store_dir,
        ignore_scripts: args.ignore_scripts,
        groups: GroupFlags::default(),
    }
}

pub fn add(dir: PathBuf, reporter: ReporterKind, args: AddArgs) -> Result<(), Report> {
    let save = if args.save_dev {
        SaveTarget::Dev
    } else if args.save_optional {
        SaveTarget::Optional
    } else if args.save_prod {
        SaveTarget::Prod
    } else {
        SaveTarget::Keep
    };
    let options = AddOptions {
        install: install_options(dir, args.install),
        packages: args.packages,
        save,
        save_exact: args.save_exact,
        save_peer: args.save_peer,
        workspace_root: args.workspace_root,
    };
    lade_install::add(&options, &CliReporter::new(reporter))?;
    Ok(())
}

pub fn remove(dir: PathBuf, reporter: ReporterKind, args: RemoveArgs) -> Result<(), Report> {
    let options = RemoveOptions {
        install: install_options(dir, args.install),
        packages: args.packages,
        workspace_root: args.workspace_root,
    };
    lade_install::remove(&options, &CliReporter::new(reporter))?;
    Ok(())
}

pub fn update(dir: PathBuf, reporter: ReporterKind, args: UpdateArgs) -> Result<(), Report> {
    let options = UpdateOptions {
        install: install_options(dir, args.install),
        packages: args.packages,
        latest: args.latest,
        workspace_root: args.workspace_root,
    };
    lade_install::update(&options, &CliReporter::new(reporter))?;
    Ok(())
}
