//! Access to the shared fixtures and to what pnpm 10.34.9 produced for them (`testdata/pnpm10`).

use std::path::PathBuf;

use serde_yaml_ng::{Mapping, Value};

/// The shared fixture lockfile `../shared/fixtures/<fixture>/pnpm-lock.yaml`, parsed as plain YAML.
pub(crate) fn fixture_lockfile(fixture: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/fixtures")
        .join(fixture)
        .join("pnpm-lock.yaml");
    let text = fs_err::read_to_string(&path).unwrap();
    serde_yaml_ng::from_str(&text).unwrap()
}

/// A file recorded from pnpm 10's install of a fixture.
pub(crate) fn pnpm10_reference(fixture: &str, file: &str) -> String {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("testdata/pnpm10").join(fixture).join(file);
    fs_err::read_to_string(path).unwrap()
}

pub(crate) fn section<'a>(value: &'a Value, key: &str) -> &'a Mapping {
    static EMPTY: std::sync::OnceLock<Mapping> = std::sync::OnceLock::new();
    value.get(key).and_then(Value::as_mapping).unwrap_or_else(|| EMPTY.get_or_init(Mapping::new))
}

pub(crate) fn text(value: &Value) -> &str {
    value.as_str().unwrap()
}
