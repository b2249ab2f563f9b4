//! `lade install` killed with SIGKILL at random moments (seeded, so a failure replays with the
//! same seed), over cold and warm installs, up to three times in a row before a rerun.
//! After every kill a rerun must succeed and leave the tree a clean install leaves, and every
//! store file must match its digest and every index row its files.
//!
//! `LADE_CRASH_SEED` picks another seed, `LADE_CRASH_KILLS` another number of kill points.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::context::TestContext;
use crate::fixtures::{generated, write_project};
use crate::inspect::{assert_same_tree, check_store, tree_listing};

/// A small xorshift generator: reproducible without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, bound: u64) -> u64 {
        self.next() % bound.max(1)
    }
}

#[derive(Clone, Copy, Debug)]
enum Start {
    /// Empty store, no node_modules.
    Cold,
    /// Full store, no node_modules.
    Warm,
}

/// Where kills landed and what they left behind, before the rerun cleaned it up.
#[derive(Default, Debug)]
struct Tally {
    attempts: usize,
    landed: usize,
    /// First kills of installs that started cold or warm, and kills of the installs after
    /// those (which start from whatever a kill left).
    cold: usize,
    warm: usize,
    chained: usize,
    left_staging: usize,
    left_store_temporary: usize,
    left_unfinished_mark: usize,
    left_without_state: usize,
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|value| value.parse().ok()).unwrap_or(default)
}

fn timed_install(context: &TestContext) -> Duration {
    let started = Instant::now();
    context.lade(&["install", "--frozen-lockfile"]).assert_success();
    started.elapsed()
}

fn wipe(path: &Path) {
    if path.exists() {
        std::fs::remove_dir_all(path).unwrap();
    }
}

#[test]
fn a_killed_install_is_repaired_by_the_next_one() {
    let seed = env_number("LADE_CRASH_SEED", 0x1ade_c0de);
    let wanted = env_number("LADE_CRASH_KILLS", 60) as usize;
    let (fixture, packages) = generated(48);
    let context = TestContext::new(fixture);
    write_project(&context, &context.project(), &packages);
    let modules = context.project().join("node_modules");

    let cold = timed_install(&context);
    let expected = tree_listing(&context.project());
    wipe(&modules);
    let warm = timed_install(&context);
    assert_eq!(tree_listing(&context.project()), expected);

    let mut rng = Rng(seed);
    let mut tally = Tally::default();
    while tally.landed < wanted && tally.attempts < wanted * 3 {
        tally.attempts += 1;
        let start = if rng.below(2) == 0 { Start::Cold } else { Start::Warm };
        let span = match start {
            Start::Cold => {
                wipe(&modules);
                wipe(&context.store());
                cold
            }
            Start::Warm => {
                wipe(&modules);
                warm
            }
        };
        let mut delays = Vec::new();
        for kill in 0..=rng.below(3) {
            let delay = Duration::from_micros(rng.below(span.as_micros() as u64));
            delays.push(delay);
            if kill_after(&context, delay) {
                tally.landed += 1;
                match (kill, start) {
                    (0, Start::Cold) => tally.cold += 1,
                    (0, Start::Warm) => tally.warm += 1,
                    _ => tally.chained += 1,
                }
                record_leftovers(&context, &mut tally);
            }
        }
        let what = format!(
            "seed {seed:#x}, attempt {}, {start:?}, kills after {delays:?}",
            tally.attempts
        );
        verify_rerun(&context, &expected, &what);
    }
    eprintln!("crash safety, seed {seed:#x}: {tally:#?} (cold install {cold:?}, warm {warm:?})");
    assert!(tally.landed >= wanted, "only {} of {} kills landed mid-install", tally.landed, wanted);
}

/// Starts `lade install` and SIGKILLs it after `delay`; whether it was still running.
fn kill_after(context: &TestContext, delay: Duration) -> bool {
    let mut command = context.command_in(&context.project(), &["install", "--frozen-lockfile"]);
    let mut child = command
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(delay);
    let running = child.try_wait().unwrap().is_none();
    if running {
        child.kill().unwrap();
    }
    child.wait().unwrap();
    running
}

/// The rerun succeeds, leaves the clean tree and a sound store, and is itself final.
fn verify_rerun(context: &TestContext, expected: &[String], what: &str) {
    let rerun = context.lade(&["install", "--frozen-lockfile"]);
    assert!(rerun.success(), "{what}: the rerun failed:\n{}", rerun.output());
    assert_same_tree(&tree_listing(&context.project()), expected, what);
    let check = check_store(&context.store());
    assert!(check.corrupt.is_empty() && check.broken_rows.is_empty(), "{what}: {check:#?}");
    let again = context.lade(&["install", "--frozen-lockfile"]);
    assert!(again.stdout.contains("Already up to date"), "{what}: {}", again.output());
}

fn record_leftovers(context: &TestContext, tally: &mut Tally) {
    let virtual_store = context.project().join("node_modules/.pnpm");
    let staging = tree_listing(&context.project())
        .iter()
        .any(|line| line.contains(".lade-stage-") || line.contains(".lade-old-"));
    tally.left_staging += usize::from(staging);
    tally.left_store_temporary += usize::from(!check_store_names_only(&context.store()));
    let mark = std::fs::read_to_string(virtual_store.join("lade.lock")).unwrap_or_default();
    tally.left_unfinished_mark += usize::from(mark.starts_with("installing"));
    tally.left_without_state +=
        usize::from(!context.project().join("node_modules/.modules.yaml").exists());
}

/// Whether the store's `files/` holds only content-addressed names (no temporary files).
fn check_store_names_only(store: &Path) -> bool {
    let files = store.join("v11/files");
    let Ok(shards) = std::fs::read_dir(files) else { return true };
    shards.flatten().all(|shard| {
        std::fs::read_dir(shard.path())
            .map(|entries| {
                entries
                    .flatten()
                    .all(|entry| !entry.file_name().to_string_lossy().starts_with("tmp-"))
            })
            .unwrap_or(true)
    })
}
