//! The stable-Rust runner for CI: every committed seed of a target, then a fixed number of
//! mutations of them from a fixed seed, each under `catch_unwind`. A failing input is written to
//! a file so it can be replayed with `cargo fuzz run <target> <file>` or added to the seeds.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use crate::mutate::{Rng, mutate};
use crate::targets::Target;

/// Inputs longer than this are cut: big enough for a small lockfile or tarball, small enough
/// that thousands of iterations take seconds.
const MAX_INPUT: usize = 64 * 1024;

/// What one replay ran.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replayed {
    pub seeds: usize,
    pub mutations: usize,
}

/// An input that made a target panic.
#[derive(Debug)]
pub struct Failure {
    pub target: &'static str,
    pub message: String,
    /// Where the input was saved.
    pub input: PathBuf,
}

/// `fuzz/seeds/<target>` in the repository.
pub fn seeds_dir(target: Target) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/seeds").join(target.name())
}

/// The committed seeds of `target`, by file name.
pub fn seeds(target: Target) -> Vec<Vec<u8>> {
    let Ok(entries) = std::fs::read_dir(seeds_dir(target)) else { return Vec::new() };
    let mut paths: Vec<PathBuf> = entries.flatten().map(|entry| entry.path()).collect();
    paths.sort();
    paths.iter().filter_map(|path| std::fs::read(path).ok()).collect()
}

/// Runs every seed of `target`, then `mutations` mutated inputs drawn with `seed`.
pub fn replay(target: Target, mutations: usize, seed: u64) -> Result<Replayed, Failure> {
    let seeds = seeds(target);
    for input in &seeds {
        run_one(target, input)?;
    }
    let mut rng = Rng::new(seed ^ target.name().len() as u64);
    for _ in 0..mutations {
        let base = seeds.get(rng.below(seeds.len())).map_or(&[][..], Vec::as_slice);
        let other = seeds.get(rng.below(seeds.len())).map_or(&[][..], Vec::as_slice);
        run_one(target, &mutate(&mut rng, base, other, MAX_INPUT))?;
    }
    Ok(Replayed { seeds: seeds.len(), mutations })
}

fn run_one(target: Target, input: &[u8]) -> Result<(), Failure> {
    let outcome = catch_unwind(AssertUnwindSafe(|| target.run(input)));
    let Err(panic) = outcome else { return Ok(()) };
    let message = panic
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| panic.downcast_ref::<&str>().map(|text| (*text).to_owned()))
        .unwrap_or_default();
    let dir = std::env::temp_dir().join("lade-fuzz-failures");
    let _ = std::fs::create_dir_all(&dir);
    let input_path = dir.join(format!("{}-{:016x}", target.name(), fingerprint(input)));
    let _ = std::fs::write(&input_path, input);
    Err(Failure { target: target.name(), message, input: input_path })
}

/// FNV-1a, to name a saved input after its content.
fn fingerprint(input: &[u8]) -> u64 {
    input.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
    })
}
