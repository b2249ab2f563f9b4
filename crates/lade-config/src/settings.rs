//! Typed reads of layered settings. A value of the wrong type is an error naming the setting
//! and where it was written; `null` resets a setting to its default.

use std::path::{Path, PathBuf};

use crate::ConfigError;
use crate::layers::{Found, Layers, RawValue};

pub(crate) struct SettingReader<'a> {
    pub(crate) layers: &'a Layers,
}

fn invalid(key: &str, found: &Found<'_>, expected: &'static str) -> ConfigError {
    let value = match found.value {
        RawValue::Str(text) => text.clone(),
        RawValue::Bool(flag) => flag.to_string(),
        RawValue::List(items) => items.join(","),
        RawValue::Null => "null".to_owned(),
    };
    ConfigError::InvalidValue { key: key.to_owned(), value, expected, origin: found.origin.clone() }
}

impl SettingReader<'_> {
    fn found(&self, key: &str) -> Option<Found<'_>> {
        self.layers.get(key).filter(|found| *found.value != RawValue::Null)
    }

    pub(crate) fn opt_bool(&self, key: &str) -> Result<Option<bool>, ConfigError> {
        let Some(found) = self.found(key) else { return Ok(None) };
        match found.value {
            RawValue::Bool(flag) => Ok(Some(*flag)),
            // npm-conf reads an empty value of a boolean setting as `true`.
            RawValue::Str(text) if text.is_empty() => Ok(Some(true)),
            _ => Err(invalid(key, &found, "true or false")),
        }
    }

    pub(crate) fn bool(&self, key: &str, default: bool) -> Result<bool, ConfigError> {
        Ok(self.opt_bool(key)?.unwrap_or(default))
    }

    pub(crate) fn opt_number(&self, key: &str) -> Result<Option<u64>, ConfigError> {
        let Some(found) = self.found(key) else { return Ok(None) };
        let RawValue::Str(text) = found.value else {
            return Err(invalid(key, &found, "a non-negative number"));
        };
        let number: f64 =
            text.trim().parse().map_err(|_| invalid(key, &found, "a non-negative number"))?;
        if !number.is_finite() || number < 0.0 {
            return Err(invalid(key, &found, "a non-negative number"));
        }
        // JavaScript numbers: a fractional value is used as is by pnpm; lade rounds down.
        Ok(Some(number as u64))
    }

    pub(crate) fn number(&self, key: &str, default: u64) -> Result<u64, ConfigError> {
        Ok(self.opt_number(key)?.unwrap_or(default))
    }

    pub(crate) fn u32(&self, key: &str, default: u32) -> Result<u32, ConfigError> {
        let number = self.number(key, u64::from(default))?;
        Ok(u32::try_from(number).unwrap_or(u32::MAX))
    }

    pub(crate) fn string(&self, key: &str) -> Option<String> {
        match self.found(key)?.value {
            RawValue::Str(text) => Some(text.clone()),
            RawValue::List(items) => items.last().cloned(),
            RawValue::Bool(_) | RawValue::Null => None,
        }
    }

    pub(crate) fn path(&self, key: &str) -> Option<PathBuf> {
        self.string(key).filter(|text| !text.is_empty()).map(PathBuf::from)
    }

    /// A list setting; a single value is a one-element list.
    pub(crate) fn list(&self, key: &str) -> Result<Option<Vec<String>>, ConfigError> {
        let Some(found) = self.found(key) else { return Ok(None) };
        match found.value {
            RawValue::List(items) => Ok(Some(items.clone())),
            RawValue::Str(text) => Ok(Some(vec![text.clone()])),
            _ => Err(invalid(key, &found, "a list of strings")),
        }
    }

    pub(crate) fn choice<T>(
        &self,
        key: &str,
        default: T,
        parse: fn(&str) -> Option<T>,
        expected: &'static str,
    ) -> Result<T, ConfigError> {
        let Some(found) = self.found(key) else { return Ok(default) };
        match found.value {
            RawValue::Str(text) => parse(text).ok_or_else(|| invalid(key, &found, expected)),
            _ => Err(invalid(key, &found, expected)),
        }
    }
}

/// `~/x` under `home`, else `path` relative to `base`.
pub(crate) fn resolve_dir(path: &Path, base: &Path, home: Option<&Path>) -> PathBuf {
    let text = path.to_string_lossy();
    let without_tilde = text.strip_prefix("~/").or_else(|| text.strip_prefix("~\\"));
    match (without_tilde, home) {
        (Some(rest), Some(home)) => home.join(rest),
        _ => base.join(path),
    }
}
