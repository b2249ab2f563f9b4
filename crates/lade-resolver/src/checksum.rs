//! The checksums a lockfile records about the settings it was resolved under, computed as pnpm
//! 10 computes them: `packageExtensionsChecksum` hashes the setting with the `object-hash`
//! library (sha256, base64, keys and arrays sorted, types not respected), and each patch file
//! is hashed as its text with CRLF line ends normalized.

use indexmap::IndexMap;
use lade_types::hash_object;
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
    Some(format!("sha256-{}", hash_object(&Value::Object(value))))
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

#[cfg(test)]
mod tests {
    use super::*;

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
