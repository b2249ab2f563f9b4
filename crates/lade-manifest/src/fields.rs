//! Typed views of the package.json fields lade interprets. Fields whose shape varies in the wild
//! keep the JSON as written, so a manifest can be rewritten without loss, and expose accessors.

use std::fmt;

use indexmap::IndexMap;
use serde::de::{MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

use crate::DependencyMap;

/// `bin`: one path (the command is named after the package) or command name → path.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Bin {
    Single(String),
    Commands(IndexMap<String, String>),
}

/// A command a package puts in `node_modules/.bin`, before its path is checked against the
/// package directory (the linker's job).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BinCommand {
    pub name: String,
    pub path: String,
}

impl Bin {
    /// The commands as pnpm derives them: a string `bin` is named after the package without its
    /// scope, a `@scope/` prefix is dropped from command names, and names that are empty, `.`,
    /// `..`, or not URI-safe (other than `$`) are skipped.
    pub fn commands(&self, package_name: Option<&str>) -> Vec<BinCommand> {
        let pairs: Vec<(&str, &str)> = match self {
            Bin::Single(path) => {
                package_name.map(|name| (name, path.as_str())).into_iter().collect()
            }
            Bin::Commands(map) => {
                map.iter().map(|(name, path)| (name.as_str(), path.as_str())).collect()
            }
        };
        pairs
            .into_iter()
            .filter_map(|(command, path)| {
                let name = match command.strip_prefix('@') {
                    Some(scoped) => scoped.split_once('/').map_or("", |(_, rest)| rest),
                    None => command,
                };
                is_safe_bin_name(name)
                    .then(|| BinCommand { name: name.to_owned(), path: path.to_owned() })
            })
            .collect()
    }
}

/// The characters `encodeURIComponent` leaves alone, which is pnpm's test for a command name.
fn is_safe_bin_name(name: &str) -> bool {
    if name.is_empty() || name == "." || name == ".." {
        return false;
    }
    name == "$" || name.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&b))
}

impl<'de> Deserialize<'de> for Bin {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct BinVisitor;
        impl<'de> Visitor<'de> for BinVisitor {
            type Value = Bin;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a path string or an object mapping command names to paths")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Bin, E> {
                Ok(Bin::Single(v.to_owned()))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Bin, A::Error> {
                let mut commands = IndexMap::new();
                while let Some((name, path)) = map.next_entry::<String, String>()? {
                    commands.insert(name, path);
                }
                Ok(Bin::Commands(commands))
            }
        }
        deserializer.deserialize_any(BinVisitor)
    }
}

/// `bundledDependencies` / `bundleDependencies`: a list of names, or `true` for all dependencies.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum BundledDependencies {
    All(bool),
    Names(Vec<String>),
}

impl BundledDependencies {
    /// The bundled package names; `true` means every entry of `dependencies`.
    pub fn names<'a>(&'a self, dependencies: Option<&'a DependencyMap>) -> Vec<&'a str> {
        match self {
            BundledDependencies::All(true) => dependencies
                .into_iter()
                .flat_map(|deps| deps.iter().map(|(name, _)| name.as_str()))
                .collect(),
            BundledDependencies::All(false) => Vec::new(),
            BundledDependencies::Names(names) => names.iter().map(String::as_str).collect(),
        }
    }
}

/// `os`, `cpu`, `libc`: a list of values (`!value` excludes), or a single string as npm accepts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum PlatformList {
    One(String),
    Many(Vec<String>),
}

impl PlatformList {
    pub fn values(&self) -> &[String] {
        match self {
            PlatformList::One(value) => std::slice::from_ref(value),
            PlatformList::Many(values) => values,
        }
    }
}

impl<'de> Deserialize<'de> for PlatformList {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ListVisitor;
        impl<'de> Visitor<'de> for ListVisitor {
            type Value = PlatformList;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string or an array of strings")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<PlatformList, E> {
                Ok(PlatformList::One(v.to_owned()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<PlatformList, A::Error> {
                let mut values = Vec::new();
                while let Some(value) = seq.next_element::<String>()? {
                    values.push(value);
                }
                Ok(PlatformList::Many(values))
            }
        }
        deserializer.deserialize_any(ListVisitor)
    }
}

/// `engines`. Old packages wrote an array here, which npm ignores; it is kept as written.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Engines(Value);

impl Engines {
    /// The range for one engine (`node`, `npm`, `pnpm`), when it is a string.
    pub fn get(&self, engine: &str) -> Option<&str> {
        self.0.get(engine).and_then(Value::as_str)
    }
}

/// `directories`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Directories(Map<String, Value>);

impl Directories {
    /// `directories.bin`: every file below it becomes a command when `bin` is absent.
    pub fn bin(&self) -> Option<&str> {
        self.0.get("bin").and_then(Value::as_str)
    }
}

/// `publishConfig`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PublishConfig(Map<String, Value>);

impl PublishConfig {
    /// `publishConfig.directory`, recorded in the lockfile as the importer's `publishDirectory`.
    pub fn directory(&self) -> Option<&str> {
        self.0.get("directory").and_then(Value::as_str)
    }
}

/// `workspaces` (npm/yarn): an array of globs or `{ packages: [...] }`. pnpm itself reads
/// pnpm-workspace.yaml instead; this is kept for tools that fall back to it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Workspaces(Value);

impl Workspaces {
    pub fn patterns(&self) -> Vec<&str> {
        let list = match &self.0 {
            Value::Array(_) => Some(&self.0),
            Value::Object(map) => map.get("packages"),
            _ => None,
        };
        list.and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect()
    }
}

/// One `dependenciesMeta` entry (`injected`, `node`, `patch`, …), kept whole because pnpm
/// compares it with the lockfile's copy as a whole value.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DependencyMeta(Map<String, Value>);

impl DependencyMeta {
    pub fn injected(&self) -> bool {
        self.0.get("injected") == Some(&Value::Bool(true))
    }

    pub fn fields(&self) -> &Map<String, Value> {
        &self.0
    }
}

impl From<Map<String, Value>> for DependencyMeta {
    fn from(fields: Map<String, Value>) -> Self {
        DependencyMeta(fields)
    }
}

/// One `peerDependenciesMeta` entry.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PeerDependencyMeta(Map<String, Value>);

impl PeerDependencyMeta {
    pub fn optional(&self) -> bool {
        self.0.get("optional") == Some(&Value::Bool(true))
    }
}
