//! pnpm-workspace.yaml: project globs, catalogs, the structured settings, and every other
//! top-level key as a camelCase setting that overrides `.npmrc` and the environment.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use lade_types::PkgName;
use serde_yaml_ng::{Mapping, Value};

use crate::ConfigError;
use crate::ConfigWarning;
use crate::env_replace::{env_replace, has_placeholder};
use crate::layers::{Entry, Layer, RawValue, SourceKind};
use crate::pnpm_settings::PnpmSettingsFile;

/// Catalog name (`default` for `catalog:`) → package → version spec.
pub type Catalogs = IndexMap<String, IndexMap<PkgName, String>>;

pub(crate) struct WorkspaceManifest {
    pub(crate) path: PathBuf,
    pub(crate) packages: Option<Vec<String>>,
    pub(crate) catalogs: Catalogs,
    pub(crate) settings: PnpmSettingsFile,
    pub(crate) layer: Layer,
}

/// Keys read as structured settings or workspace data rather than as plain settings.
const STRUCTURED_KEYS: [&str; 3] = ["packages", "catalog", "catalogs"];

/// Settings whose values choose where requests go: pnpm drops them when they use `${VAR}`.
const REQUEST_DESTINATIONS: [&str; 6] =
    ["registry", "httpProxy", "httpsProxy", "noProxy", "proxy", "noproxy"];

pub(crate) fn read_workspace_manifest(
    path: &Path,
    env: &HashMap<String, String>,
    warnings: &mut Vec<ConfigWarning>,
) -> Result<Option<WorkspaceManifest>, ConfigError> {
    let text = match fs_err::read_to_string(path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(ConfigError::io(path, error)),
    };
    let invalid = |message: String| ConfigError::InvalidWorkspaceManifest {
        path: path.to_path_buf(),
        message,
    };
    let document: Value = serde_yaml_ng::from_str(&text).map_err(|e| invalid(e.to_string()))?;
    let mapping = match document {
        Value::Null => Mapping::new(),
        Value::Mapping(mapping) => mapping,
        Value::Sequence(_) => return Err(invalid("expected an object but found an array".into())),
        other => {
            return Err(invalid(format!("expected an object but found {}", type_name(&other))));
        }
    };
    let settings = if mapping.is_empty() {
        PnpmSettingsFile::default()
    } else {
        serde_yaml_ng::from_str(&text).map_err(|e| invalid(e.to_string()))?
    };
    let packages = read_packages(&mapping).map_err(invalid)?;
    let catalogs = read_catalogs(&mapping, path)?;
    let layer = settings_layer(&mapping, &text, path, env, warnings)?;
    Ok(Some(WorkspaceManifest { path: path.to_path_buf(), packages, catalogs, settings, layer }))
}

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Sequence(_) => "array",
        Value::Mapping(_) => "object",
        Value::Tagged(_) => "tagged value",
    }
}

fn read_packages(mapping: &Mapping) -> Result<Option<Vec<String>>, String> {
    let Some(packages) = mapping.get("packages").filter(|value| !value.is_null()) else {
        return Ok(None);
    };
    let Value::Sequence(items) = packages else {
        return Err("packages field is not an array".to_owned());
    };
    items
        .iter()
        .map(|item| match item {
            Value::String(pattern) if !pattern.is_empty() => Ok(pattern.clone()),
            Value::String(_) | Value::Null => Err("missing or empty package".to_owned()),
            other => Err(format!("invalid package type - {}", type_name(other))),
        })
        .collect::<Result<_, _>>()
        .map(Some)
}

fn read_catalogs(mapping: &Mapping, path: &Path) -> Result<Catalogs, ConfigError> {
    let invalid = |message: String| ConfigError::InvalidWorkspaceManifest {
        path: path.to_path_buf(),
        message,
    };
    let mut catalogs = Catalogs::new();
    let default = mapping.get("catalog").filter(|value| !value.is_null());
    let named = match mapping.get("catalogs").filter(|value| !value.is_null()) {
        None => None,
        Some(Value::Mapping(named)) => Some(named),
        Some(other) => {
            return Err(invalid(format!(
                "expected catalogs to be an object, found {}",
                type_name(other)
            )));
        }
    };
    if default.is_some()
        && named.is_some_and(|named| named.get("default").is_some_and(|v| !v.is_null()))
    {
        return Err(ConfigError::DefaultCatalogDefinedTwice { path: path.to_path_buf() });
    }
    if let Some(default) = default {
        catalogs.insert("default".to_owned(), read_catalog("default", default).map_err(invalid)?);
    }
    for (name, catalog) in named.into_iter().flatten() {
        let name =
            scalar_text(name).ok_or_else(|| invalid("catalog names must be strings".into()))?;
        let catalog = read_catalog(&name, catalog).map_err(invalid)?;
        catalogs.insert(name, catalog);
    }
    Ok(catalogs)
}

fn read_catalog(name: &str, value: &Value) -> Result<IndexMap<PkgName, String>, String> {
    let Value::Mapping(entries) = value else {
        return Err(format!(
            "expected catalog {name:?} to be an object, found {}",
            type_name(value)
        ));
    };
    entries
        .iter()
        .map(|(alias, spec)| {
            let alias = scalar_text(alias).unwrap_or_default();
            let Value::String(spec) = spec else {
                return Err(format!(
                    "catalog {name:?} has invalid entry {alias:?}: expected a string specifier, found {}",
                    type_name(spec)
                ));
            };
            let package = PkgName::parse(&alias).map_err(|error| format!("catalog {name:?}: {error}"))?;
            Ok((package, spec.clone()))
        })
        .collect()
}

fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        Value::Bool(flag) => Some(flag.to_string()),
        _ => None,
    }
}

/// Every scalar or list key as a kebab-case setting, `${VAR}` expanded in keys and strings.
fn settings_layer(
    mapping: &Mapping,
    text: &str,
    path: &Path,
    env: &HashMap<String, String>,
    warnings: &mut Vec<ConfigWarning>,
) -> Result<Layer, ConfigError> {
    let mut layer = Layer::new(SourceKind::WorkspaceManifest, Some(path));
    for (key, value) in mapping {
        let Some(raw_key) = scalar_text(key).filter(|key| !STRUCTURED_KEYS.contains(&key.as_str()))
        else {
            continue;
        };
        let line = top_level_key_line(text, &raw_key);
        let unset = |expression| ConfigError::UnsetEnvVar {
            key: raw_key.clone(),
            expression,
            origin: layer.origin(line),
        };
        let key = env_replace(&raw_key, env).map_err(|var| unset(var.0))?;
        let value = match value {
            Value::String(text)
                if REQUEST_DESTINATIONS.contains(&key.as_str()) && has_placeholder(text) =>
            {
                warnings.push(ConfigWarning::IgnoredWorkspaceExpansion { path: path.into(), key });
                continue;
            }
            Value::String(text) => {
                RawValue::Str(env_replace(text, env).map_err(|var| unset(var.0))?)
            }
            Value::Bool(flag) => RawValue::Bool(*flag),
            Value::Number(number) => RawValue::Str(number.to_string()),
            Value::Null => RawValue::Null,
            Value::Sequence(items) => {
                RawValue::List(items.iter().filter_map(scalar_text).collect())
            }
            Value::Mapping(_) | Value::Tagged(_) => continue,
        };
        layer.entries.insert(kebab_case(&key), Entry { value, line });
    }
    Ok(layer)
}

/// The line of `key:` at the start of a line, for error messages.
fn top_level_key_line(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|line| {
            let line = line.trim_end();
            [format!("{key}:"), format!("\"{key}\":"), format!("'{key}':")]
                .iter()
                .any(|prefix| line.starts_with(prefix.as_str()))
        })
        .map(|index| index + 1)
}

/// lodash's `kebabCase` for setting names: `hoistPattern` → `hoist-pattern`,
/// `strictSSL` → `strict-ssl`.
pub(crate) fn kebab_case(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::with_capacity(name.len() + 4);
    for (index, &c) in chars.iter().enumerate() {
        if c == '_' || c == ' ' || c == '-' {
            if !out.is_empty() && !out.ends_with('-') {
                out.push('-');
            }
            continue;
        }
        if c.is_uppercase() && index > 0 {
            let previous = chars[index - 1];
            let next_is_lower = chars.get(index + 1).is_some_and(|next| next.is_lowercase());
            let boundary = previous.is_lowercase()
                || previous.is_ascii_digit()
                || (previous.is_uppercase() && next_is_lower);
            if boundary && !out.ends_with('-') {
                out.push('-');
            }
        }
        out.extend(c.to_lowercase());
    }
    out.trim_end_matches('-').to_owned()
}

#[cfg(test)]
mod tests;
