//! The checksums a lockfile records about the settings it was resolved under, computed as pnpm
//! 10 computes them: `packageExtensionsChecksum` hashes the setting with the `object-hash`
//! library (sha256, base64, keys and arrays sorted, types not respected), and each patch file
//! is hashed as its text with CRLF line ends normalized.

use base64::Engine;
use indexmap::IndexMap;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::PackageExtension;

/// `hashObjectNullableWithPrefix(packageExtensions)`: `None` when there are none.
pub fn package_extensions_checksum(
    extensions: &IndexMap<String, PackageExtension>,
) -> Option<String> {
    if extensions.is_empty() {
        return None;
    }
    let value: Map<String, Value> = extensions
        .iter()
        .map(|(selector, extension)| (selector.clone(), extension_value(extension)))
        .collect();
    Some(format!("sha256-{}", object_hash(&Value::Object(value))))
}

/// `createHexHashFromFile`: the sha256 of the patch text with `\r\n` read as `\n`, in hex.
pub fn patch_file_hash(text: &str) -> String {
    hex::encode(Sha256::digest(text.replace("\r\n", "\n").as_bytes()))
}

/// The extension as its settings file spells it; empty fields are left out, as a file that
/// does not write them would.
fn extension_value(extension: &PackageExtension) -> Value {
    let strings = |map: &IndexMap<String, String>| {
        Value::Object(map.iter().map(|(k, v)| (k.clone(), Value::String(v.clone()))).collect())
    };
    let mut object = Map::new();
    for (field, map) in [
        ("dependencies", &extension.dependencies),
        ("optionalDependencies", &extension.optional_dependencies),
        ("peerDependencies", &extension.peer_dependencies),
    ] {
        if !map.is_empty() {
            object.insert(field.to_owned(), strings(map));
        }
    }
    if !extension.peer_dependencies_meta.is_empty() {
        let meta = extension
            .peer_dependencies_meta
            .iter()
            .map(|(name, optional)| {
                let mut entry = Map::new();
                entry.insert("optional".to_owned(), Value::Bool(*optional));
                (name.clone(), Value::Object(entry))
            })
            .collect();
        object.insert("peerDependenciesMeta".to_owned(), Value::Object(meta));
    }
    Value::Object(object)
}

/// `object-hash` of a JSON value with pnpm's sorting options, base64-encoded.
pub(crate) fn object_hash(value: &Value) -> String {
    let mut text = String::new();
    write_value(value, &mut text);
    base64::engine::general_purpose::STANDARD.encode(Sha256::digest(text.as_bytes()))
}

/// The text `object-hash` streams into the digest.
fn write_value(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("Null"),
        Value::Bool(flag) => out.push_str(if *flag { "bool:true" } else { "bool:false" }),
        Value::Number(number) => {
            out.push_str("number:");
            out.push_str(&number.to_string());
        }
        Value::String(text) => write_string(text, out),
        Value::Array(items) => {
            out.push_str(&format!("array:{}:", items.len()));
            if items.len() <= 1 {
                items.iter().for_each(|item| write_value(item, out));
                return;
            }
            // Unordered arrays: each entry is serialized alone, the texts sorted, then written
            // as an ordered array of strings.
            let mut entries: Vec<String> = items
                .iter()
                .map(|item| {
                    let mut entry = String::new();
                    write_value(item, &mut entry);
                    entry
                })
                .collect();
            entries.sort_by(|a, b| a.encode_utf16().cmp(b.encode_utf16()));
            out.push_str(&format!("array:{}:", entries.len()));
            entries.iter().for_each(|entry| write_string(entry, out));
        }
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort_by(|a, b| a.encode_utf16().cmp(b.encode_utf16()));
            out.push_str(&format!("object:{}:", keys.len()));
            for key in keys {
                write_string(key, out);
                out.push(':');
                write_value(&map[key], out);
                out.push(',');
            }
        }
    }
}

/// Strings are prefixed with their length in UTF-16 code units, as JavaScript counts.
fn write_string(text: &str, out: &mut String) {
    out.push_str(&format!("string:{}:", text.encode_utf16().count()));
    out.push_str(text);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each expected digest was produced by the `object-hash` bundled in pnpm 10.34.9, called
    /// with pnpm's options (`respectType: false`, sha256, base64, unordered arrays/objects).
    #[test]
    fn matches_object_hash_from_pnpm() {
        let cases = [
            (
                r#"{"react-redux@<9":{"peerDependencies":{"react":"*"},"peerDependenciesMeta":{"react":{"optional":true}}},"zeta":{"dependencies":{"b":"1","a":"^2"}}}"#,
                "ZvSXoXmjsu2VhJLOM9S8uO8DYZKuBoQS0hEwJD222ec=",
            ),
            (
                r#"{"ünïcode😀":{"dependencies":{"é":"1"}}}"#,
                "j5aw0t9yqlw2B/ASb4DvrLjCAj4mVoweMTt2x+C7TVo=",
            ),
            (
                r#"{"a":{"b":["z","a","mm"],"n":1.5,"t":true,"x":null}}"#,
                "nn7DD/GryryFMyfKeRVYZEz3oWbAWv7+kARP+yN+PXU=",
            ),
        ];
        for (json, expected) in cases {
            let value: Value = serde_json::from_str(json).unwrap();
            assert_eq!(object_hash(&value), expected, "{json}");
        }
    }

    #[test]
    fn package_extensions_hash_as_pnpm_writes_them() {
        assert_eq!(package_extensions_checksum(&IndexMap::new()), None);
        let mut extensions = IndexMap::new();
        extensions.insert(
            "react-redux@<9".to_owned(),
            PackageExtension {
                peer_dependencies: [("react".to_owned(), "*".to_owned())].into_iter().collect(),
                peer_dependencies_meta: [("react".to_owned(), true)].into_iter().collect(),
                ..PackageExtension::default()
            },
        );
        extensions.insert(
            "zeta".to_owned(),
            PackageExtension {
                dependencies: [("b".to_owned(), "1".to_owned()), ("a".to_owned(), "^2".to_owned())]
                    .into_iter()
                    .collect(),
                ..PackageExtension::default()
            },
        );
        assert_eq!(
            package_extensions_checksum(&extensions).as_deref(),
            Some("sha256-ZvSXoXmjsu2VhJLOM9S8uO8DYZKuBoQS0hEwJD222ec=")
        );
    }

    #[test]
    fn patch_hashes_ignore_crlf() {
        let lf = patch_file_hash("--- a\n+++ b\n");
        assert_eq!(lf, patch_file_hash("--- a\r\n+++ b\r\n"));
        assert_eq!(lf, hex::encode(Sha256::digest(b"--- a\n+++ b\n")));
    }
}
