//! Deserializers that read a malformed field as absent instead of failing the document: the
//! public registry still serves decade-old versions with `"os": "darwin"`, `"engines": ["node"]`
//! or `"deprecated": false`.

use std::collections::BTreeMap;

use indexmap::IndexMap;

use lade_types::Version;
use std::fmt;

use serde::de::{self, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

use super::{Bin, BundledDependencies, Directories, Dist, PeerDependencyMeta};

/// Any JSON value, keeping only what the lenient fields read: the string entries of an object,
/// the string items of an array, or a string. Reading through this shape instead of a
/// `serde_json::Value` saves building a tree for every field of every version.
enum Loose {
    Map(IndexMap<String, String>),
    List(Vec<String>),
    Text(String),
    Other,
}

/// One value inside an object or array: a string, or anything else (skipped).
struct MaybeText(Option<String>);

impl<'de> Deserialize<'de> for MaybeText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(MaybeTextVisitor)
    }
}

struct MaybeTextVisitor;

impl<'de> Visitor<'de> for MaybeTextVisitor {
    type Value = MaybeText;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<MaybeText, E> {
        Ok(MaybeText(Some(v.to_owned())))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<MaybeText, E> {
        Ok(MaybeText(Some(v)))
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<MaybeText, E> {
        Ok(MaybeText(None))
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<MaybeText, E> {
        Ok(MaybeText(None))
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<MaybeText, E> {
        Ok(MaybeText(None))
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<MaybeText, E> {
        Ok(MaybeText(None))
    }

    fn visit_unit<E: de::Error>(self) -> Result<MaybeText, E> {
        Ok(MaybeText(None))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<MaybeText, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(MaybeText(None))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<MaybeText, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(MaybeText(None))
    }
}

impl<'de> Deserialize<'de> for Loose {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(LooseVisitor)
    }
}

struct LooseVisitor;

impl<'de> Visitor<'de> for LooseVisitor {
    type Value = Loose;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Loose, E> {
        Ok(Loose::Text(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Loose, E> {
        Ok(Loose::Text(v))
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Loose, E> {
        Ok(Loose::Other)
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Loose, E> {
        Ok(Loose::Other)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Loose, E> {
        Ok(Loose::Other)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Loose, E> {
        Ok(Loose::Other)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Loose, E> {
        Ok(Loose::Other)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Loose, A::Error> {
        let mut items = Vec::new();
        while let Some(MaybeText(item)) = seq.next_element()? {
            items.extend(item);
        }
        Ok(Loose::List(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Loose, A::Error> {
        let mut entries = IndexMap::new();
        while let Some((key, MaybeText(value))) = map.next_entry::<String, MaybeText>()? {
            if let Some(value) = value {
                entries.insert(key, value);
            }
        }
        Ok(Loose::Map(entries))
    }
}

pub fn string_map<'de, D: Deserializer<'de>>(d: D) -> Result<IndexMap<String, String>, D::Error> {
    Ok(match Loose::deserialize(d)? {
        Loose::Map(map) => map,
        _ => IndexMap::new(),
    })
}

pub fn sorted_string_map<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<BTreeMap<String, String>, D::Error> {
    Ok(string_map(d)?.into_iter().collect())
}

/// A map, or a list of strings keyed by position as a JavaScript object spread would key it.
pub fn engines<'de, D: Deserializer<'de>>(d: D) -> Result<IndexMap<String, String>, D::Error> {
    Ok(match Loose::deserialize(d)? {
        Loose::Map(map) => map,
        Loose::List(items) => {
            items.into_iter().enumerate().map(|(index, item)| (index.to_string(), item)).collect()
        }
        _ => IndexMap::new(),
    })
}

pub fn directories<'de, D: Deserializer<'de>>(d: D) -> Result<Directories, D::Error> {
    Ok(Directories::deserialize(Value::deserialize(d)?).unwrap_or_default())
}

pub fn bundled<'de, D: Deserializer<'de>>(d: D) -> Result<Option<BundledDependencies>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Bool(true) => Some(BundledDependencies::All),
        Value::Array(items) => Some(BundledDependencies::Names(
            items.into_iter().filter_map(|v| v.as_str().map(str::to_owned)).collect(),
        )),
        _ => None,
    })
}

pub fn version_map<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeMap<String, Version>, D::Error> {
    Ok(string_map(d)?
        .into_iter()
        .filter_map(|(tag, version)| Some((tag, Version::parse(&version).ok()?)))
        .collect())
}

pub fn string_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    Ok(match Loose::deserialize(d)? {
        Loose::Text(single) => vec![single],
        Loose::List(items) => items,
        _ => Vec::new(),
    })
}

pub fn string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Loose::deserialize(d)? {
        Loose::Text(text) => Some(text),
        _ => None,
    })
}

pub fn deprecated<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(string(d)?.filter(|message| !message.is_empty()))
}

pub fn boolean<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Ok(Value::deserialize(d)?.as_bool().unwrap_or(false))
}

pub fn bin<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Bin>, D::Error> {
    Ok(match Loose::deserialize(d)? {
        Loose::Text(path) => Some(Bin::Single(path)),
        Loose::Map(map) if !map.is_empty() => Some(Bin::Map(map.into_iter().collect())),
        _ => None,
    })
}

pub fn peer_meta_map<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<IndexMap<String, PeerDependencyMeta>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Object(map) => map
            .into_iter()
            .filter_map(|(key, value)| Some((key, PeerDependencyMeta::deserialize(value).ok()?)))
            .collect(),
        _ => IndexMap::new(),
    })
}

/// `dist` needs a `tarball`; its other string fields are optional and the rest (signatures,
/// counts) is not read.
pub fn dist<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Dist>, D::Error> {
    Ok(match Loose::deserialize(d)? {
        Loose::Map(mut fields) => fields.shift_remove("tarball").map(|tarball| Dist {
            tarball,
            integrity: fields.shift_remove("integrity"),
            shasum: fields.shift_remove("shasum"),
        }),
        _ => None,
    })
}
