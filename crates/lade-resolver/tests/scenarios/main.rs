//! Resolver scenarios: small registries held in memory, one rule of pnpm's resolution each,
//! checked on the lockfile the resolver writes.

mod support;

mod aliases_and_tags;
mod errors;
mod invariants;
mod lockfile_pins;
mod optional_and_platforms;
mod overrides_and_extensions;
mod peers;
mod publish_dates;
mod ranges;
