use std::path::PathBuf;

use lade_install::{PruneSummary, StoreCommandOptions, StoreStatus};
use miette::Report;

use crate::cli::{ReporterKind, StoreArgs, StoreCommand};
use crate::reporter::CliReporter;

pub fn run(dir: PathBuf, reporter: ReporterKind, command: StoreCommand) -> Result<(), Report> {
    match command {
        StoreCommand::Status(args) => {
            let status = lade_install::store_status(&options(dir, args))?;
            report_status(&status)
        }
        StoreCommand::Prune(args) => {
            let summary =
                lade_install::store_prune(&options(dir, args), &CliReporter::new(reporter))?;
            if reporter != ReporterKind::Silent {
                print_prune(&summary);
            }
            Ok(())
        }
    }
}

fn options(dir: PathBuf, args: StoreArgs) -> StoreCommandOptions {
    StoreCommandOptions { dir, store_dir: args.store_dir }
}

/// pnpm's wording: an info line when all is well, `ERR_PNPM_MODIFIED_DEPENDENCY` otherwise.
fn report_status(status: &StoreStatus) -> Result<(), Report> {
    if status.modified.is_empty() {
        println!("Packages in the store are untouched");
        return Ok(());
    }
    Err(miette::miette!(
        code = "ERR_PNPM_MODIFIED_DEPENDENCY",
        help =
            "run `lade install` in a fresh checkout (or delete node_modules) to fetch them again",
        "Packages in the store have been mutated. These packages are modified:\n{}",
        status.modified.join("\n")
    ))
}

fn print_prune(summary: &PruneSummary) {
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    println!(
        "Removed {} file{} ({} bytes)",
        summary.removed_files,
        plural(summary.removed_files),
        summary.removed_bytes
    );
    println!("Removed {} package{}", summary.removed_rows, plural(summary.removed_rows));
    if summary.removed_slots > 0 {
        println!(
            "Removed {} package{} from the global virtual store",
            summary.removed_slots,
            plural(summary.removed_slots)
        );
    }
    if summary.removed_temporary > 0 {
        println!("Removed {} leftover temporary file(s)", summary.removed_temporary);
    }
    if summary.kept_recent > 0 {
        println!(
            "Kept {} unused file(s) modified too recently to be sure no install still writes them",
            summary.kept_recent
        );
    }
}
