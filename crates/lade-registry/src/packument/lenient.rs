//! Deserializers that read a malformed field as absent instead of failing the document: the
//! public registry still serves decade-old versions with `"os": "darwin"`, `"engines": ["node"]`
//! or `"deprecated": false`.

use std::collections::BTreeMap;

use indexmap::IndexMap;

use lade_types::Version;
use serde::{Deserialize, Deserializer};
use serde_json::Value;

use super::{Bin, BundledDependencies, Directories, Dist, PeerDependencyMeta};

pub fn string_map<'de, D: Deserializer<'de>>(d: D) -> Result<IndexMap<String, String>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Object(map) => map
            .into_iter()
            .filter_map(|(key, value)| Some((key, value.as_str()?.to_owned())))
            .collect(),
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
    Ok(match Value::deserialize(d)? {
        Value::Array(items) => items
            .into_iter()
            .enumerate()
            .filter_map(|(index, value)| Some((index.to_string(), value.as_str()?.to_owned())))
            .collect(),
        other => string_map(other).unwrap_or_default(),
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
    Ok(match Value::deserialize(d)? {
        Value::String(single) => vec![single],
        Value::Array(items) => {
            items.into_iter().filter_map(|v| v.as_str().map(str::to_owned)).collect()
        }
        _ => Vec::new(),
    })
}

pub fn string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(Value::deserialize(d)?.as_str().map(str::to_owned))
}

pub fn deprecated<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(string(d)?.filter(|message| !message.is_empty()))
}

pub fn boolean<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Ok(Value::deserialize(d)?.as_bool().unwrap_or(false))
}

pub fn bin<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Bin>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::String(path) => Some(Bin::Single(path)),
        value @ Value::Object(_) => {
            let map = sorted_string_map(value).unwrap_or_default();
            (!map.is_empty()).then_some(Bin::Map(map))
        }
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

pub fn dist<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Dist>, D::Error> {
    Ok(Dist::deserialize(Value::deserialize(d)?).ok())
}
