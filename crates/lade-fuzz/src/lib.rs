//! Fuzz targets for the parsers and decoders that read untrusted bytes (pnpm-lock.yaml, .npmrc,
//! pnpm-workspace.yaml, package.json, tarballs, index.db rows, semver, packuments), shared by the
//! cargo-fuzz harness in `fuzz/` and a seeded replay that runs on stable Rust in the test suite.

mod mutate;
mod replay;
mod targets;

pub use mutate::{Rng, mutate};
pub use replay::{Failure, Replayed, replay, seeds, seeds_dir};
pub use targets::Target;
