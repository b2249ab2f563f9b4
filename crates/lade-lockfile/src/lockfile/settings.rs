use std::fmt;

use lade_manifest::Specifier;
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer};

/// `settings`: the install options the lockfile was resolved under.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LockfileSettings {
    #[serde(default)]
    pub auto_install_peers: Option<bool>,
    #[serde(default)]
    pub dedupe_peers: Option<bool>,
    #[serde(default)]
    pub exclude_links_from_lockfile: Option<bool>,
    /// Absent means pnpm's default of 1000.
    #[serde(default)]
    pub peers_suffix_max_length: Option<u64>,
    #[serde(default)]
    pub inject_workspace_packages: Option<bool>,
}

/// One `catalogs.<catalog>.<name>` entry.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct CatalogEntry {
    pub specifier: Specifier,
    pub version: String,
}

/// One `patchedDependencies` entry. pnpm 10 writes `{hash, path}`; pnpm 11 writes the hash alone.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum PatchedDependency {
    HashAndPath { hash: String, path: String },
    Hash(String),
}

impl PatchedDependency {
    pub fn hash(&self) -> &str {
        match self {
            PatchedDependency::HashAndPath { hash, .. } | PatchedDependency::Hash(hash) => hash,
        }
    }
}

/// `lockfileVersion`, as written (`'9.0'`). Older lockfiles wrote it unquoted (`5.4`).
#[derive(Clone, PartialEq, Eq)]
pub struct LockfileVersion(String);

impl LockfileVersion {
    pub fn current() -> Self {
        LockfileVersion("9.0".to_owned())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for LockfileVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for LockfileVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl<'de> Deserialize<'de> for LockfileVersion {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct VersionVisitor;
        impl Visitor<'_> for VersionVisitor {
            type Value = LockfileVersion;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a lockfile version such as '9.0'")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<LockfileVersion, E> {
                Ok(LockfileVersion(v.to_owned()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<LockfileVersion, E> {
                Ok(LockfileVersion(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<LockfileVersion, E> {
                Ok(LockfileVersion(v.to_string()))
            }
        }
        deserializer.deserialize_any(VersionVisitor)
    }
}
