//! Serves fixture specs or a directory of tarballs as an npm registry, for benchmarks and manual
//! testing. Prints the registry URL, then serves until killed.

use std::path::PathBuf;

use clap::Parser;
use lade_test_registry::{RegistryFixture, TestRegistry};

#[derive(Parser)]
#[command(about = "A local npm registry serving fixtures")]
struct Args {
    /// A directory of *.json package specs (package.json objects, optional "fixtureFiles").
    #[arg(long, conflicts_with = "tarballs", required_unless_present = "tarballs")]
    specs: Option<PathBuf>,
    /// A directory of *.tgz files to serve as they are.
    #[arg(long)]
    tarballs: Option<PathBuf>,
}

fn main() -> miette::Result<()> {
    let args = Args::parse();
    let fixture = match (&args.specs, &args.tarballs) {
        (Some(dir), _) => RegistryFixture::from_spec_dir(dir)?,
        (None, Some(dir)) => RegistryFixture::from_tarball_dir(dir)?,
        (None, None) => RegistryFixture::new(),
    };
    let server = TestRegistry::start_blocking(fixture);
    println!("{}", server.url());
    loop {
        std::thread::park();
    }
}
