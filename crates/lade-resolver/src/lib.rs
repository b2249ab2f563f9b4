//! Resolution without a lockfile: the projects' package.json files, the settings and registry
//! metadata in, the pnpm-lock.yaml pnpm 10 would write out.

pub mod semver;
