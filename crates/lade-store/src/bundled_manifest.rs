//! The part of `package.json` pnpm keeps in `index.db` (pnpm 11 `normalizeBundledManifest`,
//! pnpm 12 `normalize_bundled_manifest`), and pnpm's `requiresBuild` rule.

use serde_json::{Map, Value};

use crate::PackageFiles;

/// Kept verbatim when present and not null, after `version` and in this order.
const BUNDLED_FIELDS: [&str; 14] = [
    "bin",
    "bundledDependencies",
    "bundleDependencies",
    "cpu",
    "dependencies",
    "devDependencies",
    "directories",
    "engines",
    "libc",
    "name",
    "optionalDependencies",
    "os",
    "peerDependencies",
    "peerDependenciesMeta",
];

/// The scripts pnpm runs on install; no other script survives into the bundled manifest.
const LIFECYCLE_SCRIPTS: [&str; 3] = ["preinstall", "install", "postinstall"];

/// Parses a tarball's `package.json`, ignoring a UTF-8 byte order mark. Unparseable manifests
/// give `None`, as in pnpm: the files are still stored, only the row carries no manifest.
pub(crate) fn parse(bytes: &[u8]) -> Option<Value> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    serde_json::from_slice(bytes).ok()
}

/// The subset pnpm stores: `version` first (as written; pnpm 12 does not clean it), the fields
/// above, and the lifecycle scripts that are set. `None` when nothing is left.
pub(crate) fn bundled(manifest: &Value) -> Option<Value> {
    let source = manifest.as_object()?;
    let mut kept = Map::new();
    for field in std::iter::once("version").chain(BUNDLED_FIELDS) {
        if let Some(value) = source.get(field).filter(|value| !value.is_null()) {
            kept.insert(field.to_owned(), value.clone());
        }
    }
    if let Some(scripts) = source.get("scripts").and_then(Value::as_object) {
        let lifecycle: Map<String, Value> = LIFECYCLE_SCRIPTS
            .iter()
            .filter_map(|name| {
                scripts
                    .get(*name)
                    .filter(|script| is_truthy(script))
                    .map(|s| ((*name).to_owned(), s.clone()))
            })
            .collect();
        if !lifecycle.is_empty() {
            kept.insert("scripts".to_owned(), Value::Object(lifecycle));
        }
    }
    (!kept.is_empty()).then_some(Value::Object(kept))
}

/// JavaScript truthiness, which pnpm 11 applies to script values (an empty script is no script).
fn is_truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(value) => *value,
        Value::Number(number) => number.as_f64().is_some_and(|n| n != 0.0 && !n.is_nan()),
        Value::String(text) => !text.is_empty(),
        Value::Array(_) | Value::Object(_) => true,
    }
}

/// pnpm's `pkgRequiresBuild`: a lifecycle script in the bundled manifest, a `binding.gyp` at the
/// package root (node-gyp builds it implicitly), or a `.hooks/` directory.
pub(crate) fn requires_build(bundled: Option<&Value>, files: &PackageFiles) -> bool {
    let has_script = bundled
        .and_then(|manifest| manifest.get("scripts"))
        .and_then(Value::as_object)
        .is_some_and(|scripts| {
            LIFECYCLE_SCRIPTS.iter().any(|name| scripts.get(*name).is_some_and(is_truthy))
        });
    let has_hooks = files
        .range::<str, _>((std::ops::Bound::Included(".hooks/"), std::ops::Bound::Unbounded))
        .next()
        .is_some_and(|(path, _)| path.starts_with(".hooks/"));
    has_script || files.contains_key("binding.gyp") || has_hooks
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::{FileDigest, FileInfo};

    #[test]
    fn keeps_pnpms_subset_in_pnpms_order() {
        let manifest = json!({
            "name": "x", "description": "dropped", "version": "1.0.0", "main": "dropped",
            "dependencies": {"a": "1"}, "bin": "cli.js", "os": null,
            "scripts": {"test": "dropped", "postinstall": "node x", "install": ""}
        });
        let kept = bundled(&manifest).unwrap();
        let keys: Vec<&str> = kept.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, ["version", "bin", "dependencies", "name", "scripts"]);
        assert_eq!(kept["scripts"], json!({"postinstall": "node x"}));
        assert_eq!(bundled(&json!({"description": "x"})), None);
        assert_eq!(bundled(&json!("not an object")), None);
    }

    #[test]
    fn parses_with_a_byte_order_mark() {
        assert_eq!(parse(b"\xEF\xBB\xBF{\"name\":\"x\"}"), Some(json!({"name": "x"})));
        assert_eq!(parse(b"{oops"), None);
    }

    #[test]
    fn requires_build_like_pnpm() {
        let info = FileInfo { digest: FileDigest::of(b""), mode: 0o644, size: 0, checked_at: None };
        let files = |paths: &[&str]| -> PackageFiles {
            paths.iter().map(|path| ((*path).to_owned(), info)).collect()
        };
        let plain = files(&["index.js", "package.json"]);
        assert!(!requires_build(None, &plain));
        assert!(requires_build(None, &files(&["binding.gyp"])));
        assert!(requires_build(None, &files(&[".hooks/x", "a"])));
        assert!(!requires_build(None, &files(&[".hooksy", "src/binding.gyp"])));
        let scripted = bundled(&json!({"scripts": {"preinstall": "x"}}));
        assert!(requires_build(scripted.as_ref(), &plain));
        let empty_script = bundled(&json!({"name": "x", "scripts": {"install": ""}}));
        assert!(!requires_build(empty_script.as_ref(), &plain));
    }
}
