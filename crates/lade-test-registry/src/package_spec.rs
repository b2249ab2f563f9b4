use serde_json::{Map, Value, json};

use crate::TarballBuilder;

/// One published version of a package, described declaratively. Building it yields a real
/// `.tgz` whose entries sit under `package/`, with a `package.json` generated from the spec
/// (unless the spec supplies its own `package.json` file or raw tarball bytes).
#[derive(Clone, Debug)]
pub struct PackageSpec {
    name: String,
    version: String,
    manifest: Map<String, Value>,
    files: TarballBuilder,
    raw_tarball: Option<Vec<u8>>,
    dist_tags: Vec<(String, String)>,
    published: Option<String>,
}

impl PackageSpec {
    pub fn new(name: &str, version: &str) -> Self {
        let mut manifest = Map::new();
        manifest.insert("name".into(), name.into());
        manifest.insert("version".into(), version.into());
        PackageSpec {
            name: name.to_owned(),
            version: version.to_owned(),
            manifest,
            files: TarballBuilder::new(),
            raw_tarball: None,
            dist_tags: Vec::new(),
            published: None,
        }
    }

    /// A spec whose manifest is the given `package.json` object; `None` when it lacks a string
    /// `name` or `version`.
    pub fn from_manifest(manifest: Map<String, Value>) -> Option<Self> {
        let name = manifest.get("name")?.as_str()?.to_owned();
        let version = manifest.get("version")?.as_str()?.to_owned();
        Some(PackageSpec {
            name,
            version,
            manifest,
            files: TarballBuilder::new(),
            raw_tarball: None,
            dist_tags: Vec::new(),
            published: None,
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn version(&self) -> &str {
        &self.version
    }

    /// The manifest as the packument's version entry shows it (before `dist` is added).
    pub fn manifest(&self) -> &Map<String, Value> {
        &self.manifest
    }

    pub(crate) fn dist_tags(&self) -> &[(String, String)] {
        &self.dist_tags
    }

    /// Sets the publish time the packument's `time` shows (ISO 8601); versions default to
    /// moments of 2020-01-01, in publishing order.
    pub fn published(mut self, time: &str) -> Self {
        self.published = Some(time.to_owned());
        self
    }

    pub(crate) fn published_time(&self) -> Option<&str> {
        self.published.as_deref()
    }

    pub fn dependency(self, name: &str, range: &str) -> Self {
        self.map_entry("dependencies", name, range.into())
    }

    pub fn dev_dependency(self, name: &str, range: &str) -> Self {
        self.map_entry("devDependencies", name, range.into())
    }

    pub fn optional_dependency(self, name: &str, range: &str) -> Self {
        self.map_entry("optionalDependencies", name, range.into())
    }

    pub fn peer(self, name: &str, range: &str) -> Self {
        self.map_entry("peerDependencies", name, range.into())
    }

    /// A peer dependency marked optional in `peerDependenciesMeta`.
    pub fn optional_peer(self, name: &str, range: &str) -> Self {
        self.peer(name, range).map_entry("peerDependenciesMeta", name, json!({ "optional": true }))
    }

    /// A `bin` entry. When the tarball has no file at `path`, a small node script is added there.
    pub fn bin(self, name: &str, path: &str) -> Self {
        self.map_entry("bin", name, path.into())
    }

    pub fn script(self, name: &str, command: &str) -> Self {
        self.map_entry("scripts", name, command.into())
    }

    pub fn engine(self, name: &str, range: &str) -> Self {
        self.map_entry("engines", name, range.into())
    }

    pub fn os<'a>(self, values: impl IntoIterator<Item = &'a str>) -> Self {
        self.field("os", values.into_iter().collect::<Vec<_>>().into())
    }

    pub fn cpu<'a>(self, values: impl IntoIterator<Item = &'a str>) -> Self {
        self.field("cpu", values.into_iter().collect::<Vec<_>>().into())
    }

    pub fn libc<'a>(self, values: impl IntoIterator<Item = &'a str>) -> Self {
        self.field("libc", values.into_iter().collect::<Vec<_>>().into())
    }

    pub fn deprecated(self, message: &str) -> Self {
        self.field("deprecated", message.into())
    }

    /// Any other manifest field, verbatim.
    pub fn field(mut self, key: &str, value: Value) -> Self {
        self.manifest.insert(key.to_owned(), value);
        self
    }

    /// A file under `package/` (mode 0644). A file named `package.json` replaces the generated one.
    pub fn file(mut self, path: &str, contents: impl Into<Vec<u8>>) -> Self {
        self.files = self.files.file(format!("package/{path}"), contents);
        self
    }

    /// A file under `package/` with mode 0755.
    pub fn executable_file(mut self, path: &str, contents: impl Into<Vec<u8>>) -> Self {
        self.files = self.files.executable_file(format!("package/{path}"), contents);
        self
    }

    /// Serve these bytes as the tarball instead of building one (see [`TarballBuilder`] for
    /// hostile archives). The packument's integrity is computed from them.
    pub fn tarball_bytes(mut self, bytes: impl Into<Vec<u8>>) -> Self {
        self.raw_tarball = Some(bytes.into());
        self
    }

    /// Point a dist-tag of this package at `version`. Without any, `latest` is the version
    /// added last.
    pub fn dist_tag(mut self, tag: &str, version: &str) -> Self {
        self.dist_tags.push((tag.to_owned(), version.to_owned()));
        self
    }

    fn map_entry(mut self, field: &str, key: &str, value: Value) -> Self {
        let entry =
            self.manifest.entry(field.to_owned()).or_insert_with(|| Value::Object(Map::new()));
        if !entry.is_object() {
            *entry = Value::Object(Map::new());
        }
        if let Value::Object(map) = entry {
            map.insert(key.to_owned(), value);
        }
        self
    }

    /// The `.tgz` bytes served for this version.
    pub fn build_tarball(&self) -> Vec<u8> {
        if let Some(raw) = &self.raw_tarball {
            return raw.clone();
        }
        let mut files = self.files.clone();
        if !files.has_path(b"package/package.json") {
            let manifest = serde_json::to_vec_pretty(&self.manifest).unwrap_or_default();
            files = files.file("package/package.json", manifest);
        }
        if let Some(Value::Object(bins)) = self.manifest.get("bin") {
            for target in bins.values().filter_map(Value::as_str) {
                let path = format!("package/{}", target.trim_start_matches("./"));
                if !files.has_path(path.as_bytes()) {
                    files = files.file(path, "#!/usr/bin/env node\n");
                }
            }
        }
        files.build()
    }
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use flate2::read::GzDecoder;

    use super::*;

    fn entry(tgz: &[u8], wanted: &str) -> Option<(u32, String)> {
        let mut archive = tar::Archive::new(GzDecoder::new(tgz));
        for entry in archive.entries().unwrap() {
            let mut entry = entry.unwrap();
            if entry.path().unwrap().to_str() == Some(wanted) {
                let mode = entry.header().mode().unwrap();
                let mut text = String::new();
                entry.read_to_string(&mut text).unwrap();
                return Some((mode, text));
            }
        }
        None
    }

    #[test]
    fn generates_package_json_from_the_spec() {
        let spec = PackageSpec::new("foo", "1.0.0")
            .dependency("bar", "^1.0.0")
            .optional_peer("react", "^18")
            .bin("foo", "cli.js")
            .script("postinstall", "node x.js")
            .os(["linux"])
            .executable_file("run.sh", "#!/bin/sh");
        let tgz = spec.build_tarball();
        let (_, text) = entry(&tgz, "package/package.json").unwrap();
        let manifest: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(manifest["dependencies"]["bar"], "^1.0.0");
        assert_eq!(manifest["peerDependenciesMeta"]["react"]["optional"], true);
        assert_eq!(manifest["os"], json!(["linux"]));
        assert_eq!(entry(&tgz, "package/cli.js").unwrap().1, "#!/usr/bin/env node\n");
        assert_eq!(entry(&tgz, "package/run.sh").unwrap().0, 0o755);
    }

    #[test]
    fn a_package_json_file_replaces_the_generated_one() {
        let tgz = PackageSpec::new("foo", "1.0.0").file("package.json", "{broken").build_tarball();
        assert_eq!(entry(&tgz, "package/package.json").unwrap().1, "{broken");
    }

    #[test]
    fn raw_tarball_bytes_are_served_as_given() {
        let spec = PackageSpec::new("foo", "1.0.0").tarball_bytes(b"not a tarball".to_vec());
        assert_eq!(spec.build_tarball(), b"not a tarball");
    }
}
