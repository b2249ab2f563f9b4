//! `npm_config_*` environment variables (any case), as `@pnpm/npm-conf` maps them to settings,
//! plus pnpm 11's `pnpm_config_*`, which pnpm 10 ignores and lade accepts at higher precedence.

use crate::ConfigError;
use crate::env_replace::UnsetVar;
use crate::layers::{Entry, Layer, RawValue, SourceKind};
use crate::npmrc::{FieldContext, FieldError, parse_field};
use crate::secret::is_secret_key;

const PREFIXES: [&str; 2] = ["npm_config_", "pnpm_config_"];

pub(crate) fn env_layer(context: &FieldContext<'_>) -> Result<Layer, ConfigError> {
    let mut variables: Vec<(usize, &str, &str)> = context
        .env
        .iter()
        .filter(|(_, value)| !value.is_empty())
        .filter_map(|(name, value)| Some((prefix_rank(name)?, name.as_str(), value.as_str())))
        .collect();
    // Later entries win: pnpm_config_ over npm_config_, then lowercase over uppercase names.
    variables.sort_unstable();
    let mut layer = Layer::new(SourceKind::Environment, None);
    for (rank, name, value) in variables {
        let suffix = &name[PREFIXES[rank / 2].len()..];
        if suffix.is_empty() {
            continue;
        }
        let key = setting_name(suffix);
        let value =
            parse_field(&key, split_list(&key, value), context).map_err(|error| match error {
                FieldError::Unset(UnsetVar(expression)) => ConfigError::UnsetEnvVar {
                    key: name.to_owned(),
                    expression,
                    origin: layer.origin(None),
                },
                FieldError::BadJson => ConfigError::InvalidValue {
                    key: name.to_owned(),
                    value: if is_secret_key(&key) { "***".to_owned() } else { value.to_owned() },
                    expected: "valid JSON inside the quotes",
                    origin: layer.origin(None),
                },
            })?;
        layer.entries.insert(key, Entry { value, line: None });
    }
    Ok(layer)
}

/// 0/1: npm_config_ upper/lower case; 2/3: pnpm_config_ upper/lower case.
fn prefix_rank(name: &str) -> Option<usize> {
    PREFIXES.iter().enumerate().find_map(|(index, prefix)| {
        let head = name.get(..prefix.len())?;
        head.eq_ignore_ascii_case(prefix).then_some(index * 2 + usize::from(head == *prefix))
    })
}

/// `npm-conf`'s `envKeyToSetting`: text after the first `:` (or all of it) is lowercased with
/// `_` turned into `-` except the first character, and `_authtoken` becomes `_authToken`.
fn setting_name(suffix: &str) -> String {
    match suffix.split_once(':') {
        Some((scope, name)) => format!("{scope}:{}", normalize(name)),
        None => normalize(suffix),
    }
}

fn normalize(name: &str) -> String {
    let lower = name.to_lowercase();
    if lower == "_authtoken" {
        return "_authToken".to_owned();
    }
    let mut chars = lower.chars();
    let first = chars.next().map(String::from).unwrap_or_default();
    first + &chars.map(|c| if c == '_' { '-' } else { c }).collect::<String>()
}

/// Pattern lists are split on blank lines; the comma branch of npm-conf's check only runs when
/// the value starts with a blank line (its `indexOf` test is inverted), so it is kept as is.
fn split_list(key: &str, value: &str) -> RawValue {
    if key != "hoist-pattern" && key != "public-hoist-pattern" {
        return RawValue::Str(value.to_owned());
    }
    let separator = if value.starts_with("\n\n") { "," } else { "\n\n" };
    RawValue::List(value.split(separator).map(str::to_owned).collect())
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::path::Path;

    use super::*;

    fn layer_of(vars: &[(&str, &str)]) -> Result<Layer, ConfigError> {
        let env: HashMap<String, String> =
            vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        env_layer(&FieldContext { env: &env, cwd: Path::new("/work"), home: None })
    }

    fn value<'a>(layer: &'a Layer, key: &str) -> Option<&'a RawValue> {
        layer.entries.get(key).map(|entry| &entry.value)
    }

    #[test]
    fn maps_names_like_npm_conf() {
        assert_eq!(setting_name("FETCH_RETRIES"), "fetch-retries");
        assert_eq!(setting_name("_AUTHTOKEN"), "_authToken");
        assert_eq!(setting_name("_auth"), "_auth");
        assert_eq!(setting_name("@My_Scope:REGISTRY"), "@My_Scope:registry");
        assert_eq!(
            setting_name("//reg.example.test/:_authToken"),
            "//reg.example.test/:_authToken"
        );
    }

    #[test]
    fn reads_any_case_and_skips_empty_values() {
        let layer = layer_of(&[
            ("NPM_CONFIG_NODE_LINKER", "hoisted"),
            ("npm_config_strict_ssl", "false"),
            ("npm_config_registry", ""),
            ("npm_configx", "1"),
        ])
        .unwrap();
        assert_eq!(value(&layer, "node-linker"), Some(&RawValue::Str("hoisted".into())));
        assert_eq!(value(&layer, "strict-ssl"), Some(&RawValue::Bool(false)));
        assert_eq!(layer.entries.len(), 2);
    }

    #[test]
    fn pnpm_prefix_and_lowercase_names_win() {
        let layer = layer_of(&[
            ("npm_config_fetch_retries", "1"),
            ("PNPM_CONFIG_FETCH_RETRIES", "2"),
            ("pnpm_config_fetch_retries", "3"),
        ])
        .unwrap();
        assert_eq!(value(&layer, "fetch-retries"), Some(&RawValue::Str("3".into())));
    }

    #[test]
    fn splits_hoist_patterns_on_blank_lines_only() {
        let layer = layer_of(&[
            ("npm_config_hoist_pattern", "a\n\nb"),
            ("npm_config_public_hoist_pattern", "x,y"),
        ])
        .unwrap();
        let list = |items: &[&str]| RawValue::List(items.iter().map(|s| s.to_string()).collect());
        assert_eq!(value(&layer, "hoist-pattern"), Some(&list(&["a", "b"])));
        assert_eq!(value(&layer, "public-hoist-pattern"), Some(&list(&["x,y"])));
    }

    #[test]
    fn unset_placeholder_in_an_env_value_is_an_error() {
        let error = layer_of(&[("npm_config_registry", "${NOPE}")]).unwrap_err();
        assert!(matches!(error, ConfigError::UnsetEnvVar { .. }), "{error:?}");
    }
}
