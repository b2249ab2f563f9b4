use std::collections::HashMap;
use std::sync::Arc;

use lade_types::Integrity;
use serde_json::{Map, Value, json};
use sha1::{Digest, Sha1};

use crate::PackageSpec;

const FULL_CONTENT_TYPE: &str = "application/json";
const ABBREVIATED_CONTENT_TYPE: &str = "application/vnd.npm.install-v1+json";

/// The version fields an abbreviated ("corgi") packument keeps, per the npm registry's docs.
const ABBREVIATED_FIELDS: &[&str] = &[
    "name",
    "version",
    "deprecated",
    "dependencies",
    "optionalDependencies",
    "devDependencies",
    "bundleDependencies",
    "peerDependencies",
    "peerDependenciesMeta",
    "acceptDependencies",
    "bin",
    "directories",
    "engines",
    "os",
    "cpu",
    "libc",
    "funding",
];

/// Where a published version's tarball is and the hashes its packument advertises.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dist {
    pub tarball: String,
    /// `sha512-<base64>`, as `dist.integrity`.
    pub integrity: String,
    /// Hex SHA-1, as `dist.shasum`.
    pub shasum: String,
}

/// A response body the server can send, with its validator.
#[derive(Clone, Debug)]
pub(crate) struct Resource {
    pub body: Arc<[u8]>,
    pub etag: String,
    pub content_type: &'static str,
}

impl Resource {
    fn new(body: Vec<u8>, content_type: &'static str) -> Self {
        let etag = format!("\"{}\"", hex::encode(Sha1::digest(&body)));
        Resource { body: body.into(), etag, content_type }
    }
}

#[derive(Debug)]
pub(crate) struct Packument {
    pub full: Resource,
    pub abbreviated: Resource,
}

/// A fixture rendered for one server URL: packuments by package name, files by request path.
#[derive(Debug, Default)]
pub(crate) struct Catalog {
    pub packuments: HashMap<String, Packument>,
    pub files: HashMap<String, Resource>,
    pub dists: HashMap<(String, String), Dist>,
}

impl Catalog {
    pub fn add_package(&mut self, registry_url: &str, versions: &[PackageSpec]) {
        let Some(first) = versions.first() else { return };
        let name = first.name();
        let mut full_versions = Map::new();
        let mut abbreviated_versions = Map::new();
        let mut time = Map::new();
        let mut dist_tags = Map::new();
        for (index, spec) in versions.iter().enumerate() {
            let tarball = spec.build_tarball();
            let path = tarball_path(name, spec.version());
            let dist = Dist {
                tarball: format!("{}{}", registry_url.trim_end_matches('/'), path),
                integrity: Integrity::sha512_of(&tarball).to_string(),
                shasum: hex::encode(Sha1::digest(&tarball)),
            };
            self.add_file(&path, tarball, "application/octet-stream");
            let full = version_entry(spec, &dist);
            abbreviated_versions.insert(spec.version().to_owned(), abbreviate(&full));
            full_versions.insert(spec.version().to_owned(), full);
            let published = spec.published_time().map_or_else(|| timestamp(index), str::to_owned);
            time.insert(spec.version().to_owned(), published.into());
            dist_tags.insert("latest".to_owned(), spec.version().into());
            self.dists.insert((name.to_owned(), spec.version().to_owned()), dist);
        }
        for (tag, version) in versions.iter().flat_map(|spec| spec.dist_tags()) {
            dist_tags.insert(tag.clone(), version.clone().into());
        }
        let newest = time.values().filter_map(Value::as_str).max().map(str::to_owned);
        let modified =
            newest.into_iter().chain([timestamp(versions.len())]).max().unwrap_or_default();
        time.insert("created".to_owned(), timestamp(0).into());
        time.insert("modified".to_owned(), modified.clone().into());
        let full = json!({
            "_id": name,
            "name": name,
            "dist-tags": dist_tags,
            "versions": full_versions,
            "time": time,
        });
        let abbreviated = json!({
            "name": name,
            "dist-tags": dist_tags,
            "modified": modified,
            "versions": abbreviated_versions,
        });
        self.packuments.insert(
            name.to_owned(),
            Packument {
                full: Resource::new(full.to_string().into_bytes(), FULL_CONTENT_TYPE),
                abbreviated: Resource::new(
                    abbreviated.to_string().into_bytes(),
                    ABBREVIATED_CONTENT_TYPE,
                ),
            },
        );
    }

    pub fn add_raw_packument(&mut self, name: &str, document: String) {
        let resource = Resource::new(document.into_bytes(), FULL_CONTENT_TYPE);
        let packument = Packument { full: resource.clone(), abbreviated: resource };
        self.packuments.insert(name.to_owned(), packument);
    }

    pub fn add_file(&mut self, path: &str, bytes: Vec<u8>, content_type: &'static str) {
        self.files.insert(path.to_owned(), Resource::new(bytes, content_type));
    }
}

/// The npm convention: `/<name>/-/<name without scope>-<version>.tgz`.
pub(crate) fn tarball_path(name: &str, version: &str) -> String {
    let unscoped = name.rsplit('/').next().unwrap_or(name);
    format!("/{name}/-/{unscoped}-{version}.tgz")
}

fn version_entry(spec: &PackageSpec, dist: &Dist) -> Value {
    let mut entry = spec.manifest().clone();
    entry.insert("_id".into(), format!("{}@{}", spec.name(), spec.version()).into());
    entry.insert(
        "dist".into(),
        json!({ "tarball": dist.tarball, "integrity": dist.integrity, "shasum": dist.shasum }),
    );
    Value::Object(entry)
}

fn abbreviate(full: &Value) -> Value {
    let mut entry = Map::new();
    for field in ABBREVIATED_FIELDS.iter().chain(&["dist"]) {
        if let Some(value) = full.get(field) {
            entry.insert((*field).to_owned(), value.clone());
        }
    }
    let has_install_script =
        full.get("scripts").and_then(Value::as_object).is_some_and(|scripts| {
            ["preinstall", "install", "postinstall"].iter().any(|s| scripts.contains_key(*s))
        });
    if has_install_script {
        entry.insert("hasInstallScript".into(), true.into());
    }
    Value::Object(entry)
}

/// Deterministic publish times: one second apart from 2020-01-01.
fn timestamp(index: usize) -> String {
    let (hours, minutes, seconds) = (index / 3600 % 24, index / 60 % 60, index % 60);
    format!("2020-01-01T{hours:02}:{minutes:02}:{seconds:02}.000Z")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_full_and_abbreviated_packuments() {
        let specs = [
            PackageSpec::new("@s/foo", "1.0.0").script("postinstall", "x"),
            PackageSpec::new("@s/foo", "2.0.0").deprecated("old").dist_tag("next", "2.0.0"),
        ];
        let mut catalog = Catalog::default();
        catalog.add_package("http://127.0.0.1:1/", &specs);
        let packument = &catalog.packuments["@s/foo"];
        let full: Value = serde_json::from_slice(&packument.full.body).unwrap();
        let abbreviated: Value = serde_json::from_slice(&packument.abbreviated.body).unwrap();
        assert_eq!(full["dist-tags"], json!({ "latest": "2.0.0", "next": "2.0.0" }));
        assert_eq!(full["versions"]["1.0.0"]["scripts"]["postinstall"], "x");
        assert!(abbreviated["versions"]["1.0.0"].get("scripts").is_none());
        assert_eq!(abbreviated["versions"]["1.0.0"]["hasInstallScript"], true);
        assert_eq!(abbreviated["versions"]["2.0.0"]["deprecated"], "old");
        let dist = &catalog.dists[&("@s/foo".to_owned(), "1.0.0".to_owned())];
        assert_eq!(dist.tarball, "http://127.0.0.1:1/@s/foo/-/foo-1.0.0.tgz");
        assert_eq!(full["versions"]["1.0.0"]["dist"]["integrity"], dist.integrity.as_str());
        let tarball = &catalog.files["/@s/foo/-/foo-1.0.0.tgz"].body;
        assert_eq!(Integrity::sha512_of(tarball).to_string(), dist.integrity);
        assert_eq!(packument.abbreviated.content_type, ABBREVIATED_CONTENT_TYPE);
    }

    #[test]
    fn publish_times_set_time_and_modified() {
        let specs = [
            PackageSpec::new("foo", "1.0.0"),
            PackageSpec::new("foo", "1.1.0").published("2031-05-06T07:08:09.000Z"),
        ];
        let mut catalog = Catalog::default();
        catalog.add_package("http://127.0.0.1:1/", &specs);
        let packument = &catalog.packuments["foo"];
        let full: Value = serde_json::from_slice(&packument.full.body).unwrap();
        let abbreviated: Value = serde_json::from_slice(&packument.abbreviated.body).unwrap();
        assert_eq!(full["time"]["1.0.0"], "2020-01-01T00:00:00.000Z");
        assert_eq!(full["time"]["1.1.0"], "2031-05-06T07:08:09.000Z");
        assert_eq!(full["time"]["modified"], "2031-05-06T07:08:09.000Z");
        assert_eq!(abbreviated["modified"], "2031-05-06T07:08:09.000Z");
    }
}
