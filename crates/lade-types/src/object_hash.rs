//! pnpm's object hashes (`@pnpm/crypto.object-hasher`, built on the `object-hash` library with
//! `respectType: false` and sha256): the lockfile's `packageExtensionsChecksum` and the global
//! virtual store's slot names are digests of the text `object-hash` streams for a JSON value.
//! Both pnpm 10 and pnpm 12 write these to disk, so the text must match byte for byte.

use base64::Engine;
use serde_json::Value;
use sha2::{Digest, Sha256};

/// How a digest is spelled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HashEncoding {
    Base64,
    Hex,
}

/// pnpm's `hashObject`: object keys and array entries sorted, base64.
pub fn hash_object(value: &Value) -> String {
    digest(value, true, HashEncoding::Base64)
}

/// pnpm's `hashObjectWithoutSorting`: keys and entries in their insertion order.
pub fn hash_object_without_sorting(value: &Value, encoding: HashEncoding) -> String {
    digest(value, false, encoding)
}

fn digest(value: &Value, sorted: bool, encoding: HashEncoding) -> String {
    let mut text = String::new();
    write_value(value, sorted, &mut text);
    encode(&text, encoding)
}

fn encode(text: &str, encoding: HashEncoding) -> String {
    let digest = Sha256::digest(text.as_bytes());
    match encoding {
        HashEncoding::Base64 => base64::engine::general_purpose::STANDARD.encode(digest),
        HashEncoding::Hex => hex::encode(digest),
    }
}

/// Writes the `object-hash` text of a value piece by piece, for hot paths that would otherwise
/// build a `serde_json::Value` per hash. The caller writes object keys in the order the hash
/// wants (sorted by UTF-16 code units for [`hash_object`]).
#[derive(Default)]
pub struct ObjectHashWriter {
    text: String,
}

impl ObjectHashWriter {
    /// An object of `len` entries; each entry is a [`Self::key`], a value, then [`Self::end_entry`].
    pub fn object(&mut self, len: usize) -> &mut Self {
        self.text.push_str("object:");
        self.text.push_str(&len.to_string());
        self.text.push(':');
        self
    }

    pub fn key(&mut self, key: &str) -> &mut Self {
        write_string(key, &mut self.text);
        self.text.push(':');
        self
    }

    pub fn string(&mut self, value: &str) -> &mut Self {
        write_string(value, &mut self.text);
        self
    }

    pub fn null(&mut self) -> &mut Self {
        self.text.push_str("Null");
        self
    }

    pub fn end_entry(&mut self) -> &mut Self {
        self.text.push(',');
        self
    }

    pub fn finish(&self, encoding: HashEncoding) -> String {
        encode(&self.text, encoding)
    }
}

/// The text `object-hash` streams into the digest.
fn write_value(value: &Value, sorted: bool, out: &mut String) {
    match value {
        Value::Null => out.push_str("Null"),
        Value::Bool(flag) => out.push_str(if *flag { "bool:true" } else { "bool:false" }),
        Value::Number(number) => {
            out.push_str("number:");
            out.push_str(&number.to_string());
        }
        Value::String(text) => write_string(text, out),
        Value::Array(items) => write_array(items, sorted, out),
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            if sorted {
                keys.sort_by(|a, b| a.encode_utf16().cmp(b.encode_utf16()));
            }
            out.push_str(&format!("object:{}:", keys.len()));
            for key in keys {
                write_string(key, out);
                out.push(':');
                write_value(&map[key], sorted, out);
                out.push(',');
            }
        }
    }
}

fn write_array(items: &[Value], sorted: bool, out: &mut String) {
    out.push_str(&format!("array:{}:", items.len()));
    if !sorted || items.len() <= 1 {
        items.iter().for_each(|item| write_value(item, sorted, out));
        return;
    }
    // Unordered arrays: each entry is serialized alone, the texts sorted, then written as an
    // ordered array of strings.
    let mut entries: Vec<String> = items
        .iter()
        .map(|item| {
            let mut entry = String::new();
            write_value(item, sorted, &mut entry);
            entry
        })
        .collect();
    entries.sort_by(|a, b| a.encode_utf16().cmp(b.encode_utf16()));
    out.push_str(&format!("array:{}:", entries.len()));
    entries.iter().for_each(|entry| write_string(entry, out));
}

/// Strings are prefixed with their length in UTF-16 code units, as JavaScript counts.
fn write_string(text: &str, out: &mut String) {
    out.push_str("string:");
    out.push_str(&text.encode_utf16().count().to_string());
    out.push(':');
    out.push_str(text);
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// Each expected digest was produced by the `object-hash` bundled in pnpm 10.34.9, called
    /// with pnpm's options (`respectType: false`, sha256, base64, unordered arrays/objects).
    #[test]
    fn sorted_hashes_match_pnpm() {
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
            assert_eq!(hash_object(&value), expected, "{json}");
        }
    }

    /// The global virtual store slot pnpm 12.21.0 created for `function-bind@1.1.2` (a package
    /// without dependencies or build scripts): `{engine: null, deps: hashObject({id, deps: {}})}`,
    /// hashed in insertion order, in hex.
    #[test]
    fn unsorted_hex_hash_names_a_pnpm12_slot() {
        let id = "function-bind@1.1.2:sha512-7XHNxH7qX9xG5mIwxkhumTox/MIRNcOgDrxWsMt2pAr23WHp6MrRlN7FBSFpCpr+oVO0F744iUgR82nJMfG2SA==";
        let deps = hash_object(&json!({ "id": id, "deps": {} }));
        let slot = hash_object_without_sorting(
            &json!({ "engine": null, "deps": deps }),
            HashEncoding::Hex,
        );
        assert_eq!(slot, "1ee678fc4cb7ca74adda07d426fb4315247838415d6fbaf0ac6ac13ade3bc4e2");
        let reordered = hash_object_without_sorting(
            &json!({ "deps": deps, "engine": null }),
            HashEncoding::Hex,
        );
        assert_ne!(reordered, slot, "insertion order is part of the unsorted hash");
    }

    #[test]
    fn the_writer_streams_the_same_text() {
        let value =
            json!({ "deps": { "a": "x", "é😀": "y" }, "id": "p@1.0.0:sha512-z", "n": null });
        let mut writer = ObjectHashWriter::default();
        writer.object(3).key("deps").object(2);
        writer.key("a").string("x").end_entry().key("é😀").string("y").end_entry();
        writer.end_entry().key("id").string("p@1.0.0:sha512-z").end_entry();
        writer.key("n").null().end_entry();
        assert_eq!(writer.finish(HashEncoding::Base64), hash_object(&value));
        assert_eq!(
            writer.finish(HashEncoding::Hex),
            hash_object_without_sorting(&value, HashEncoding::Hex)
        );
    }
}
