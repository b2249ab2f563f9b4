use std::collections::BTreeMap;

use indexmap::IndexMap;
use lade_types::{Integrity, PkgName, TypesError, Version};
use std::sync::Arc;

use serde::{Deserialize, Serialize, Serializer};

use document::Document;

mod document;
mod lenient;

/// Which metadata document to ask for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PackumentKind {
    /// `application/vnd.npm.install-v1+json`: what installs need, no `time`, no `scripts`.
    Abbreviated,
    /// The whole document, with `time` and `scripts`.
    Full,
}

/// A registry's metadata document for one package. Fields from the registry that are malformed
/// in old versions (a string where a list belongs, `deprecated: false`, …) read as absent rather
/// than failing the whole document; dependency names and ranges stay text for the resolver to
/// validate when it picks a version.
///
/// Version manifests are read on demand from the document ([`Packument::manifest`]): a
/// resolution picks one or two versions of a package that publishes hundreds.
#[derive(Clone, Debug)]
pub struct Packument {
    pub name: PkgName,
    pub dist_tags: BTreeMap<String, Version>,
    /// Every published version, with what is known without reading its manifest.
    pub versions: BTreeMap<Version, VersionSummary>,
    /// Publish times by version, plus `created` and `modified`; full documents only.
    pub time: BTreeMap<String, String>,
    /// Last change, sent in abbreviated documents.
    pub modified: Option<String>,
    /// Served from the metadata cache without asking the registry (`--prefer-offline`, or
    /// written within the `minimumReleaseAge` window): versions published since may be missing.
    pub unrevalidated: bool,
    document: Arc<Document>,
}

/// What a version is known by before its manifest is read.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct VersionSummary {
    /// The deprecation message; an empty message (npm's "undeprecate") reads as `None`.
    #[serde(default, deserialize_with = "lenient::deprecated")]
    pub deprecated: Option<String>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PackumentVersion {
    pub version: Version,
    /// Dependency maps keep the published order, which decides where a package is first met.
    #[serde(
        default,
        deserialize_with = "lenient::string_map",
        skip_serializing_if = "IndexMap::is_empty"
    )]
    pub dependencies: IndexMap<String, String>,
    #[serde(
        default,
        deserialize_with = "lenient::string_map",
        skip_serializing_if = "IndexMap::is_empty"
    )]
    pub optional_dependencies: IndexMap<String, String>,
    #[serde(
        default,
        deserialize_with = "lenient::string_map",
        skip_serializing_if = "IndexMap::is_empty"
    )]
    pub peer_dependencies: IndexMap<String, String>,
    #[serde(
        default,
        deserialize_with = "lenient::peer_meta_map",
        skip_serializing_if = "IndexMap::is_empty"
    )]
    pub peer_dependencies_meta: IndexMap<String, PeerDependencyMeta>,
    #[serde(default, deserialize_with = "lenient::bin", skip_serializing_if = "Option::is_none")]
    pub bin: Option<Bin>,
    /// `directories.bin` counts as having commands when `bin` is absent.
    #[serde(
        default,
        deserialize_with = "lenient::directories",
        skip_serializing_if = "Directories::is_empty"
    )]
    pub directories: Directories,
    /// An engines list (`["node >= 0.8"]`, an old form) reads as a map keyed `0`, `1`, … as
    /// pnpm records it.
    #[serde(
        default,
        deserialize_with = "lenient::engines",
        skip_serializing_if = "IndexMap::is_empty"
    )]
    pub engines: IndexMap<String, String>,
    #[serde(
        default,
        deserialize_with = "lenient::string_list",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub os: Vec<String>,
    #[serde(
        default,
        deserialize_with = "lenient::string_list",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub cpu: Vec<String>,
    #[serde(
        default,
        deserialize_with = "lenient::string_list",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub libc: Vec<String>,
    /// The deprecation message; an empty message (npm's "undeprecate") reads as `None`.
    #[serde(
        default,
        deserialize_with = "lenient::deprecated",
        skip_serializing_if = "Option::is_none"
    )]
    pub deprecated: Option<String>,
    #[serde(default, deserialize_with = "lenient::dist", skip_serializing_if = "Option::is_none")]
    pub dist: Option<Dist>,
    /// `bundledDependencies`: shipped inside the tarball, so not resolved. See
    /// [`PackumentVersion::bundled`] for either spelling.
    #[serde(
        default,
        deserialize_with = "lenient::bundled",
        skip_serializing_if = "Option::is_none"
    )]
    pub bundled_dependencies: Option<BundledDependencies>,
    /// The `bundleDependencies` spelling (the one abbreviated documents carry).
    #[serde(
        default,
        deserialize_with = "lenient::bundled",
        skip_serializing_if = "Option::is_none"
    )]
    pub bundle_dependencies: Option<BundledDependencies>,
    /// Set in abbreviated documents when a pre/post/install script exists.
    #[serde(
        default,
        deserialize_with = "lenient::boolean",
        skip_serializing_if = "std::ops::Not::not"
    )]
    pub has_install_script: bool,
    /// Full documents only.
    #[serde(
        default,
        deserialize_with = "lenient::sorted_string_map",
        skip_serializing_if = "BTreeMap::is_empty"
    )]
    pub scripts: BTreeMap<String, String>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
pub struct PeerDependencyMeta {
    #[serde(default)]
    pub optional: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
pub struct Directories {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bin: Option<String>,
}

impl Directories {
    pub fn is_empty(&self) -> bool {
        self.bin.is_none()
    }
}

/// `bundledDependencies`: a list of names, or `true` for every dependency.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BundledDependencies {
    All,
    Names(Vec<String>),
}

/// `true`, or the list of names, as published.
impl Serialize for BundledDependencies {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            BundledDependencies::All => serializer.serialize_bool(true),
            BundledDependencies::Names(names) => names.serialize(serializer),
        }
    }
}

impl BundledDependencies {
    /// Whether the dependency `name` (of a package with `dependencies`) ships bundled.
    pub fn contains(&self, name: &str, dependencies: &IndexMap<String, String>) -> bool {
        match self {
            BundledDependencies::All => dependencies.contains_key(name),
            BundledDependencies::Names(names) => names.iter().any(|n| n == name),
        }
    }
}

/// `bin` as published: one path named after the package, or a map of command names to paths.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(untagged)]
pub enum Bin {
    Single(String),
    Map(BTreeMap<String, String>),
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
pub struct Dist {
    /// As published; may be relative to the registry on some servers.
    pub tarball: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub integrity: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shasum: Option<String>,
}

impl Dist {
    /// The SRI `integrity`, or else the hex `shasum` as a sha1 integrity; `None` when neither
    /// is published.
    pub fn integrity(&self) -> Result<Option<Integrity>, TypesError> {
        match (&self.integrity, &self.shasum) {
            (Some(sri), _) => Integrity::parse(sri).map(Some),
            (None, Some(shasum)) => Integrity::from_hex_sha1(shasum).map(Some),
            (None, None) => Ok(None),
        }
    }
}

impl PackumentVersion {
    /// pnpm's `bundledDependencies ?? bundleDependencies`.
    pub fn bundled(&self) -> Option<&BundledDependencies> {
        self.bundled_dependencies.as_ref().or(self.bundle_dependencies.as_ref())
    }

    /// pnpm's `hasBin`: a non-empty `bin`, or `directories.bin` when there is no `bin` at all.
    pub fn has_bin(&self) -> bool {
        match &self.bin {
            Some(Bin::Single(path)) => !path.is_empty(),
            Some(Bin::Map(map)) => !map.is_empty(),
            None => self.directories.bin.as_deref().is_some_and(|dir| !dir.is_empty()),
        }
    }

    /// Whether installing runs a lifecycle script: the abbreviated flag, or the scripts of a full
    /// document.
    pub fn requires_build(&self) -> bool {
        self.has_install_script || INSTALL_SCRIPTS.iter().any(|s| self.scripts.contains_key(*s))
    }
}

pub(crate) const INSTALL_SCRIPTS: [&str; 3] = ["preinstall", "install", "postinstall"];

#[cfg(test)]
mod tests;
