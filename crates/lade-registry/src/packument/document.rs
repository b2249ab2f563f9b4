//! The document behind a [`Packument`]: parsed once for the package's summary, then scanned again
//! for each version manifest asked for (the scan skips the other versions without building
//! them, which is several times faster than reading every manifest).

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::{Arc, Mutex};

use lade_types::{PkgName, Version};
use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use super::{INSTALL_SCRIPTS, Packument, PackumentVersion, VersionSummary, lenient};

pub(super) struct Document {
    bytes: Box<[u8]>,
    /// Where the JSON starts in `bytes` (a cache entry's validators line comes first).
    start: usize,
    manifests: Mutex<HashMap<Version, Arc<PackumentVersion>>>,
}

impl fmt::Debug for Document {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Document").field("bytes", &self.bytes.len()).finish_non_exhaustive()
    }
}

/// The fields read up front.
#[derive(Deserialize)]
struct Summary {
    name: PkgName,
    #[serde(rename = "dist-tags", default, deserialize_with = "lenient::version_map")]
    dist_tags: BTreeMap<String, Version>,
    #[serde(default)]
    versions: BTreeMap<Version, VersionSummary>,
    #[serde(default, deserialize_with = "lenient::sorted_string_map")]
    time: BTreeMap<String, String>,
    #[serde(default, deserialize_with = "lenient::string")]
    modified: Option<String>,
}

impl Packument {
    /// Reads a metadata document.
    pub fn parse(bytes: impl Into<Box<[u8]>>) -> Result<Packument, serde_json::Error> {
        Packument::parse_from(bytes.into(), 0)
    }

    /// Reads the document that starts at `start` in `bytes`.
    pub(crate) fn parse_from(
        bytes: Box<[u8]>,
        start: usize,
    ) -> Result<Packument, serde_json::Error> {
        let summary: Summary = serde_json::from_slice(&bytes[start..])?;
        let manifests = Mutex::new(HashMap::new());
        let document = Arc::new(Document { bytes, start, manifests });
        Ok(Packument {
            name: summary.name,
            dist_tags: summary.dist_tags,
            versions: summary.versions,
            time: summary.time,
            modified: summary.modified,
            unrevalidated: false,
            document,
        })
    }

    /// The manifest of a published version, read from the document the first time it is asked
    /// for; `None` for a version the document does not have (or cannot give).
    pub fn manifest(&self, version: &Version) -> Option<Arc<PackumentVersion>> {
        if !self.versions.contains_key(version) {
            return None;
        }
        let mut manifests = self.document.manifests.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(manifest) = manifests.get(version) {
            return Some(manifest.clone());
        }
        let json = &self.document.bytes[self.document.start..];
        let mut deserializer = serde_json::Deserializer::from_slice(json);
        let manifest = Arc::new(OneVersion(version.as_str()).deserialize(&mut deserializer).ok()??);
        manifests.insert(version.clone(), manifest.clone());
        Some(manifest)
    }

    /// Every version's manifest, read in one pass over the document (asking [`Self::manifest`]
    /// for each would scan it once per version: quadratic in the size of packages that publish
    /// thousands). A manifest that cannot be read is left out, as `manifest` leaves it out.
    fn every_manifest(&self) -> Vec<(Version, Arc<PackumentVersion>)> {
        let json = &self.document.bytes[self.document.start..];
        let mut deserializer = serde_json::Deserializer::from_slice(json);
        let Ok(raw) = AllVersions.deserialize(&mut deserializer) else { return Vec::new() };
        let mut manifests = self.document.manifests.lock().unwrap_or_else(|p| p.into_inner());
        let mut every = Vec::with_capacity(self.versions.len());
        for version in self.versions.keys() {
            let manifest = match manifests.get(version) {
                Some(manifest) => manifest.clone(),
                None => {
                    let Some(text) = raw.get(version.as_str()) else { continue };
                    let Ok(manifest) = serde_json::from_str::<PackumentVersion>(text.get()) else {
                        continue;
                    };
                    let manifest = Arc::new(manifest);
                    manifests.insert(version.clone(), manifest.clone());
                    manifest
                }
            };
            every.push((version.clone(), manifest));
        }
        every
    }

    /// The same document with only these versions and dist-tags (a view filtered by date).
    pub fn with_versions(
        &self,
        versions: BTreeMap<Version, VersionSummary>,
        dist_tags: BTreeMap<String, Version>,
    ) -> Packument {
        Packument { versions, dist_tags, ..self.clone() }
    }

    /// The document the metadata cache keeps: the fields lade reads (publish times whenever the
    /// registry sent them, which some do in abbreviated documents too), and only the install
    /// scripts.
    pub(crate) fn to_cached_json(&self) -> Vec<u8> {
        let mut document = Map::new();
        document.insert("name".into(), Value::String(self.name.to_string()));
        let tags = self.dist_tags.iter().map(|(tag, v)| (tag.clone(), v.as_str().into()));
        document.insert("dist-tags".into(), Value::Object(tags.collect()));
        let mut versions = Map::new();
        for (version, manifest) in self.every_manifest() {
            let mut trimmed = (*manifest).clone();
            trimmed.scripts.retain(|name, _| INSTALL_SCRIPTS.contains(&name.as_str()));
            versions.insert(
                version.as_str().to_owned(),
                serde_json::to_value(&trimmed).unwrap_or(Value::Null),
            );
        }
        document.insert("versions".into(), Value::Object(versions));
        let modified = self.modified.clone().or_else(|| self.time.get("modified").cloned());
        if !self.time.is_empty() {
            let times = self.time.iter().map(|(k, v)| (k.clone(), Value::String(v.clone())));
            document.insert("time".into(), Value::Object(times.collect()));
        } else if let Some(modified) = modified {
            document.insert("modified".into(), Value::String(modified));
        }
        serde_json::to_vec(&Value::Object(document)).unwrap_or_default()
    }
}

/// Reads only `versions[<version>]` of a document, skipping everything else.
struct OneVersion<'v>(&'v str);

impl<'de> DeserializeSeed<'de> for OneVersion<'_> {
    type Value = Option<PackumentVersion>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for OneVersion<'_> {
    type Value = Option<PackumentVersion>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a packument")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut found = None;
        while let Some(is_versions) = map.next_key_seed(KeyIs("versions"))? {
            if is_versions {
                found = map.next_value_seed(VersionEntry(self.0))?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(found)
    }
}

/// Inside `versions`: the one wanted entry, deserialized; the others skipped.
struct VersionEntry<'v>(&'v str);

impl<'de> DeserializeSeed<'de> for VersionEntry<'_> {
    type Value = Option<PackumentVersion>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for VersionEntry<'_> {
    type Value = Option<PackumentVersion>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("the versions of a packument")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut found = None;
        while let Some(wanted) = map.next_key_seed(KeyIs(self.0))? {
            if wanted && found.is_none() {
                found = Some(map.next_value::<PackumentVersion>()?);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(found)
    }
}

/// Every entry of `versions`, unparsed (the first of duplicate keys, as [`OneVersion`] reads).
struct AllVersions;

type VersionTexts<'de> = HashMap<String, &'de RawValue>;

impl<'de> DeserializeSeed<'de> for AllVersions {
    type Value = VersionTexts<'de>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for AllVersions {
    type Value = VersionTexts<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a packument")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut found = None;
        while let Some(is_versions) = map.next_key_seed(KeyIs("versions"))? {
            if is_versions && found.is_none() {
                found = Some(map.next_value_seed(EveryEntry)?);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(found.unwrap_or_default())
    }
}

/// Inside `versions`: each entry's text, by version.
struct EveryEntry;

impl<'de> DeserializeSeed<'de> for EveryEntry {
    type Value = VersionTexts<'de>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for EveryEntry {
    type Value = VersionTexts<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("the versions of a packument")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut texts = HashMap::new();
        while let Some((version, text)) = map.next_entry::<String, &'de RawValue>()? {
            texts.entry(version).or_insert(text);
        }
        Ok(texts)
    }
}

/// Whether an object key is this text, compared without allocating the key.
struct KeyIs<'k>(&'k str);

impl<'de> DeserializeSeed<'de> for KeyIs<'_> {
    type Value = bool;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeyIs<'_> {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object key")
    }

    fn visit_str<E: serde::de::Error>(self, key: &str) -> Result<bool, E> {
        Ok(key == self.0)
    }
}
