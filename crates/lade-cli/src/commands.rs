mod edit;
mod install;
mod store;

use miette::Report;

use crate::cli::{Cli, Command};

pub fn run(cli: Cli) -> Result<(), Report> {
    let dir = match cli.dir {
        Some(dir) => dir,
        None => std::env::current_dir().map_err(|error| {
            miette::miette!(code = "ERR_LADE_NO_CWD", "cannot read the current directory: {error}")
        })?,
    };
    match cli.command {
        Command::Install(args) => install::run(dir, cli.reporter, args),
        Command::Store(command) => store::run(dir, cli.reporter, command),
        Command::Add(args) => edit::add(dir, cli.reporter, args),
        Command::Remove(args) => edit::remove(dir, cli.reporter, args),
        Command::Update(args) => edit::update(dir, cli.reporter, args),
    }
}
