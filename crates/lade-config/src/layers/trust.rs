//! pnpm 10's two guards on where credentials may travel: committed `.npmrc` files cannot pull
//! credentials or request destinations from the environment, and unscoped credentials are pinned
//! to the registry of the source that defines them.

use std::collections::HashMap;

use crate::ConfigWarning;
use crate::auth::nerf_dart;
use crate::env_replace::{env_replace, has_placeholder};
use crate::layers::{Entry, Layer, RawValue};
use crate::npmrc::NpmrcFile;
use crate::registry::RegistryUrl;

const AUTH_VALUE_NAMES: [&str; 7] =
    ["_authToken", "_auth", "_password", "username", "tokenHelper", "cert", "key"];

/// Unscoped settings that pnpm moves under `//registry/:`. Same names, checked in this order.
const RESCOPED_NAMES: [&str; 7] =
    ["_authToken", "_auth", "username", "_password", "tokenHelper", "cert", "key"];

fn is_registry_key(key: &str) -> bool {
    key == "registry" || (key.starts_with('@') && key.ends_with(":registry"))
}

fn is_destination_key(key: &str) -> bool {
    is_registry_key(key) || key.starts_with("//")
}

fn is_destination_value_key(key: &str) -> bool {
    is_registry_key(key) || matches!(key, "https-proxy" | "http-proxy" | "proxy")
}

fn is_auth_value_key(key: &str) -> bool {
    AUTH_VALUE_NAMES
        .iter()
        .any(|name| key == *name || key.strip_suffix(name).is_some_and(|k| k.ends_with(':')))
}

/// Removes from a project or workspace `.npmrc` every setting whose credential or destination
/// came from a `${VAR}`, with a warning naming it.
pub(crate) fn drop_untrusted_env_expansions(
    file: &mut NpmrcFile,
    env: &HashMap<String, String>,
    warnings: &mut Vec<ConfigWarning>,
) {
    let Some(path) = file.layer.path.clone() else { return };
    for written in &file.written {
        let mut key = written.key.clone();
        if has_placeholder(&written.key) {
            let Ok(expanded) = env_replace(&written.key, env) else { continue };
            key = expanded;
            let raw = written.key.as_str();
            let bad = |check: fn(&str) -> bool| check(raw) || check(&key);
            if bad(is_destination_key) || bad(is_auth_value_key) {
                file.layer.entries.shift_remove(&key);
                let key = written.key.clone();
                warnings
                    .push(ConfigWarning::IgnoredRepositoryExpansion { path: path.clone(), key });
                continue;
            }
        }
        let RawValue::Str(value) = &written.value else { continue };
        if has_placeholder(value) && (is_destination_value_key(&key) || is_auth_value_key(&key)) {
            file.layer.entries.shift_remove(&key);
            warnings.push(ConfigWarning::IgnoredRepositoryExpansion { path: path.clone(), key });
        }
    }
}

/// Moves unscoped `_authToken`, `_auth`, `username`, `_password`, `tokenHelper`, `cert` and `key`
/// of one source under the nerf-darted URL of that source's own `registry`, or of `fallback`
/// (the registry npm itself would use) when the source sets none.
pub(crate) fn rescope_unscoped_credentials(
    layer: &mut Layer,
    fallback: impl FnOnce() -> Option<RegistryUrl>,
    warnings: &mut Vec<ConfigWarning>,
) {
    let present: Vec<&str> = RESCOPED_NAMES
        .into_iter()
        .filter(|name| layer.entries.get(*name).is_some_and(|entry| entry.value != RawValue::Null))
        .collect();
    if present.is_empty() {
        return;
    }
    let source = layer.origin(None).to_string();
    let keys = present.iter().map(|name| name.to_string()).collect();
    let own_registry = match layer.entries.get("registry").map(|entry| &entry.value) {
        Some(RawValue::Str(text)) if !text.is_empty() => Some(text.clone()),
        _ => None,
    };
    let registry = match own_registry {
        Some(text) => RegistryUrl::parse(&text).ok(),
        None => fallback(),
    };
    let Some(registry) = registry else {
        for name in &present {
            layer.entries.shift_remove(*name);
        }
        warnings.push(ConfigWarning::DroppedCredentials { source, keys });
        return;
    };
    let scope = nerf_dart(registry.as_url(), true);
    for name in &present {
        let Some(entry) = layer.entries.shift_remove(*name) else { continue };
        let scoped = format!("{scope}:{name}");
        if !layer.entries.contains_key(&scoped) {
            layer.entries.insert(scoped, Entry { value: entry.value, line: entry.line });
        }
    }
    warnings.push(ConfigWarning::RescopedCredentials { source, keys, scope });
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::layers::SourceKind;
    use crate::npmrc::{FieldContext, parse_file};

    fn parse(text: &str, env: &[(&str, &str)]) -> (NpmrcFile, Vec<ConfigWarning>) {
        let env: HashMap<String, String> =
            env.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        let context = FieldContext { env: &env, cwd: Path::new("/p"), home: None };
        let mut warnings = Vec::new();
        let path = Path::new("/p/.npmrc");
        let mut file = parse_file(text, path, SourceKind::ProjectNpmrc, &context, &mut warnings)
            .expect("file parses");
        drop_untrusted_env_expansions(&mut file, &env, &mut warnings);
        (file, warnings)
    }

    #[test]
    fn committed_files_cannot_expand_credentials_or_destinations() {
        let text = "//reg.example.test/:_authToken=${TOKEN}\n\
                    //lit.example.test/:_authToken=literal\n\
                    registry=${REGISTRY}\n\
                    @corp:registry=https://corp.example.test/\n\
                    //${HOST}/:always-auth=true\n\
                    fetch-retries=${RETRIES}\n";
        let env = [
            ("TOKEN", "t"),
            ("REGISTRY", "https://r.example.test/"),
            ("HOST", "h"),
            ("RETRIES", "5"),
        ];
        let (file, warnings) = parse(text, &env);
        let keys: Vec<&str> = file.layer.entries.keys().map(String::as_str).collect();
        assert_eq!(keys, ["//lit.example.test/:_authToken", "@corp:registry", "fetch-retries"]);
        assert_eq!(warnings.len(), 3, "{warnings:?}");
    }

    fn layer_with(entries: &[(&str, &str)]) -> Layer {
        let mut layer = Layer::new(SourceKind::UserNpmrc, Some(Path::new("/home/u/.npmrc")));
        for (key, value) in entries {
            let entry = Entry { value: RawValue::Str(value.to_string()), line: Some(1) };
            layer.entries.insert(key.to_string(), entry);
        }
        layer
    }

    fn registry(text: &str) -> Option<RegistryUrl> {
        RegistryUrl::parse(text).ok()
    }

    #[test]
    fn unscoped_token_is_pinned_to_the_sources_registry() {
        let mut layer =
            layer_with(&[("registry", "https://own.example.test/npm"), ("_authToken", "t")]);
        let mut warnings = Vec::new();
        rescope_unscoped_credentials(
            &mut layer,
            || registry("https://fallback.example.test/"),
            &mut warnings,
        );
        assert!(layer.entries.contains_key("//own.example.test/npm/:_authToken"));
        assert!(!layer.entries.contains_key("_authToken"));
        assert_eq!(warnings.len(), 1);
    }

    #[test]
    fn unscoped_token_without_registry_goes_to_the_fallback() {
        let mut layer = layer_with(&[
            ("_authToken", "unscoped"),
            ("//fallback.example.test/:_authToken", "scoped"),
        ]);
        let mut warnings = Vec::new();
        rescope_unscoped_credentials(
            &mut layer,
            || registry("https://fallback.example.test/"),
            &mut warnings,
        );
        let kept = &layer.entries["//fallback.example.test/:_authToken"].value;
        assert_eq!(kept, &RawValue::Str("scoped".into()));
        assert_eq!(layer.entries.len(), 1);
    }

    #[test]
    fn unscoped_token_with_unusable_registry_is_dropped() {
        let mut layer = layer_with(&[("registry", "not a url"), ("_auth", "x")]);
        let mut warnings = Vec::new();
        rescope_unscoped_credentials(&mut layer, || None, &mut warnings);
        assert!(layer.entries.keys().all(|key| !key.contains("_auth")));
        assert!(matches!(warnings[0], ConfigWarning::DroppedCredentials { .. }));
    }
}
