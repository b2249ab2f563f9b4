use std::fmt;

use indexmap::IndexMap;
use lade_types::PkgName;
use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

/// A dependency specifier exactly as written in a manifest or lockfile: `^1.2.0`, `workspace:*`,
/// `catalog:`, `npm:other@1`, `link:../x`, a URL… Interpreting it is the resolver's job.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Specifier(String);

impl Specifier {
    pub fn new(text: impl Into<String>) -> Self {
        Specifier(text.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Specifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Specifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

/// `dependencies`-style field: package name (or alias) → specifier, in file order.
#[derive(Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct DependencyMap(IndexMap<PkgName, Specifier>);

impl DependencyMap {
    pub fn get(&self, name: &str) -> Option<&Specifier> {
        self.0.get(name)
    }

    pub fn contains(&self, name: &str) -> bool {
        self.0.contains_key(name)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&PkgName, &Specifier)> {
        self.0.iter()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn insert(&mut self, name: PkgName, specifier: Specifier) -> Option<Specifier> {
        self.0.insert(name, specifier)
    }
}

impl FromIterator<(PkgName, Specifier)> for DependencyMap {
    fn from_iter<I: IntoIterator<Item = (PkgName, Specifier)>>(iter: I) -> Self {
        DependencyMap(iter.into_iter().collect())
    }
}

impl fmt::Debug for DependencyMap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.0.iter()).finish()
    }
}

impl<'de> Deserialize<'de> for DependencyMap {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(DependencyMapVisitor)
    }
}

struct DependencyMapVisitor;

impl<'de> Visitor<'de> for DependencyMapVisitor {
    type Value = DependencyMap;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object mapping package names to specifier strings")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<DependencyMap, A::Error> {
        let mut entries = IndexMap::with_capacity(map.size_hint().unwrap_or(0));
        while let Some(name) = map.next_key::<PkgName>()? {
            entries.insert(name, map.next_value::<Specifier>()?);
        }
        Ok(DependencyMap(entries))
    }

    // Some published packages carry `"dependencies": []`; npm and pnpm read it as no dependencies.
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<DependencyMap, A::Error> {
        match seq.next_element::<de::IgnoredAny>()? {
            None => Ok(DependencyMap::default()),
            Some(_) => Err(de::Error::invalid_type(de::Unexpected::Seq, &self)),
        }
    }
}
