//! Integration tests: the real `lade` binary against a registry server started by the test.

mod bad_input;
mod context;
mod corruption;
mod crash_safety;
mod fixtures;
mod frozen_install;
mod hostile_names;
mod hostile_tarballs;
mod inspect;
mod malformed_files;
mod store_sharing;
