//! Integration tests: the real `lade` binary against a registry server started by the test.

mod bad_input;
mod context;
mod frozen_install;
mod store_sharing;
