//! Integration tests: the real `lade` binary against a registry server started by the test.

mod bad_input;
mod concurrency;
mod context;
mod corruption;
mod crash_safety;
mod disk_full;
mod engines;
mod fixtures;
mod frozen_install;
mod global_virtual_store;
mod hostile_names;
mod hostile_tarballs;
mod inspect;
mod malformed_files;
mod metadata_cache;
mod node_linker;
mod patches;
mod registry_faults;
mod release_age;
mod resolve;
mod resolve_parity;
mod secrets;
mod store_sharing;
