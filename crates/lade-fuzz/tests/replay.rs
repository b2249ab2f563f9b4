//! Every fuzz target over its committed seeds and a fixed number of seeded mutations of them.
//! `LADE_FUZZ_ITERATIONS` and `LADE_FUZZ_SEED` change how many and which.

use lade_fuzz::{Target, replay};

fn setting(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|value| value.parse().ok()).unwrap_or(default)
}

fn run(target: Target) {
    let iterations = setting("LADE_FUZZ_ITERATIONS", 3000) as usize;
    let seed = setting("LADE_FUZZ_SEED", 0x5eed_1ade);
    match replay(target, iterations, seed) {
        Ok(replayed) => {
            assert!(replayed.seeds > 0, "{}: no committed seeds", target.name());
            eprintln!(
                "{}: {} seeds, {} mutations",
                target.name(),
                replayed.seeds,
                replayed.mutations
            );
        }
        Err(failure) => panic!(
            "{} failed on the input saved at {} (seed {seed:#x}): {}",
            failure.target,
            failure.input.display(),
            failure.message
        ),
    }
}

#[test]
fn lockfile() {
    run(Target::Lockfile);
}

#[test]
fn npmrc() {
    run(Target::Npmrc);
}

#[test]
fn workspace_manifest() {
    run(Target::WorkspaceManifest);
}

#[test]
fn manifest() {
    run(Target::Manifest);
}

#[test]
fn tarball() {
    run(Target::Tarball);
}

#[test]
fn index_row() {
    run(Target::IndexRow);
}

#[test]
fn semver() {
    run(Target::Semver);
}

#[test]
fn packument() {
    run(Target::Packument);
}
