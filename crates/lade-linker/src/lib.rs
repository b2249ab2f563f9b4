//! Isolated node_modules layout: virtual store names, symlinks, hoisting, bin shims, .modules.yaml

mod error;
mod js_compat;
#[cfg(test)]
mod test_support;
mod virtual_store_name;

pub use error::LinkerError;
pub use virtual_store_name::{DEFAULT_MAX_LENGTH, virtual_store_name};
