//! A registry in memory and a one-project workspace to resolve against it.

use std::sync::{Arc, Mutex};

use indexmap::IndexMap;
use lade_lockfile::{ImporterId, Lockfile};
use lade_manifest::PackageManifest;
use lade_registry::{Packument, PackumentKind};
use lade_resolver::{
    InMemoryMetadata, MetadataSource, Project, ResolveError, ResolveInput, Resolved, resolve,
};
use lade_types::PkgName;
use serde_json::{Map, Value, json};
use url::Url;

pub const REGISTRY: &str = "https://registry.example.test/";

/// Packages by name, each version's manifest fields, and dist-tags.
#[derive(Default)]
pub struct Registry {
    packages: IndexMap<String, Map<String, Value>>,
}

impl Registry {
    pub fn new() -> Self {
        Registry::default()
    }

    /// Publishes `name@version` with extra manifest `fields` (dependencies, peerDependencies, …);
    /// `latest` follows the last version published, as with npm publish.
    pub fn publish(mut self, name: &str, version: &str, fields: Value) -> Self {
        let document = self.packages.entry(name.to_owned()).or_insert_with(|| {
            let mut doc = Map::new();
            doc.insert("name".into(), name.into());
            doc.insert("dist-tags".into(), json!({}));
            doc.insert("versions".into(), json!({}));
            doc.insert("time".into(), json!({}));
            doc
        });
        let mut manifest = fields.as_object().cloned().unwrap_or_default();
        manifest.insert("name".into(), name.into());
        manifest.insert("version".into(), version.into());
        manifest.insert(
            "dist".into(),
            json!({
                "tarball": format!("{REGISTRY}{name}/-/{}-{version}.tgz", name.rsplit('/').next().unwrap_or(name)),
                "integrity": integrity(name, version),
            }),
        );
        document["versions"][version] = Value::Object(manifest);
        document["dist-tags"]["latest"] = version.into();
        let count = document["time"].as_object().map_or(0, Map::len);
        document["time"][version] = format!("2020-01-{:02}T00:00:00.000Z", count + 1).into();
        self
    }

    /// Points `tag` at `version`.
    pub fn tag(mut self, name: &str, tag: &str, version: &str) -> Self {
        if let Some(doc) = self.packages.get_mut(name) {
            doc["dist-tags"][tag] = version.into();
        }
        self
    }

    /// Sets when `name@version` was published (ISO 8601).
    pub fn published(mut self, name: &str, version: &str, time: &str) -> Self {
        if let Some(doc) = self.packages.get_mut(name) {
            doc["time"][version] = time.into();
        }
        self
    }

    /// Drops the publish times of `name`, as registries that strip `time` do.
    pub fn without_times(mut self, name: &str) -> Self {
        if let Some(doc) = self.packages.get_mut(name) {
            doc.remove("time");
        }
        self
    }

    /// The registry as a server sends it: abbreviated documents (no `time`, the newest publish
    /// time as `modified`) unless the full one is asked for, each full request recorded.
    pub fn documents(&self) -> Documents {
        let full = self.metadata();
        let mut abbreviated = InMemoryMetadata::new(Url::parse(REGISTRY).unwrap());
        for document in self.packages.values() {
            let mut document = document.clone();
            let times = document.remove("time").unwrap_or_default();
            let newest = times.as_object().and_then(|t| t.values().filter_map(Value::as_str).max());
            if let Some(newest) = newest {
                document.insert("modified".into(), newest.into());
            }
            let bytes = serde_json::to_vec(&Value::Object(document)).unwrap();
            abbreviated.insert(Packument::parse(bytes).unwrap());
        }
        Documents { abbreviated, full, full_requests: Mutex::default() }
    }

    pub fn metadata(&self) -> InMemoryMetadata {
        let mut metadata = InMemoryMetadata::new(Url::parse(REGISTRY).unwrap());
        for document in self.packages.values() {
            let bytes = serde_json::to_vec(&Value::Object(document.clone())).unwrap();
            let packument = Packument::parse(bytes).unwrap();
            metadata.insert(packument);
        }
        metadata
    }
}

/// [`Registry::documents`].
pub struct Documents {
    abbreviated: InMemoryMetadata,
    full: InMemoryMetadata,
    pub full_requests: Mutex<Vec<String>>,
}

impl MetadataSource for Documents {
    async fn packument(
        &self,
        name: &PkgName,
        kind: PackumentKind,
    ) -> Result<Arc<Packument>, ResolveError> {
        match kind {
            PackumentKind::Abbreviated => self.abbreviated.packument(name, kind).await,
            PackumentKind::Full => {
                self.full_requests.lock().unwrap().push(name.to_string());
                self.full.packument(name, kind).await
            }
        }
    }

    fn registry_for(&self, name: &PkgName) -> &Url {
        self.full.registry_for(name)
    }
}

/// A well-formed sha512 integrity, distinct per package version.
fn integrity(name: &str, version: &str) -> String {
    lade_types::Integrity::sha512_of(format!("{name}@{version}").as_bytes()).to_string()
}

/// A workspace of one project with this package.json.
pub fn project(manifest: Value) -> ResolveInput {
    ResolveInput { projects: vec![importer(".", manifest)], ..ResolveInput::default() }
}

pub fn importer(id: &str, manifest: Value) -> Project {
    let text = manifest.to_string();
    Project {
        id: ImporterId::new(id),
        manifest: PackageManifest::from_str(&text, std::path::Path::new("package.json")).unwrap(),
    }
}

pub fn run(registry: &Registry, input: &ResolveInput) -> Result<Resolved, ResolveError> {
    run_against(Arc::new(registry.metadata()), input)
}

pub fn run_against<S: MetadataSource>(
    source: Arc<S>,
    input: &ResolveInput,
) -> Result<Resolved, ResolveError> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(resolve(source, input))
}

pub fn resolve_ok(registry: &Registry, input: &ResolveInput) -> Resolved {
    match run(registry, input) {
        Ok(resolved) => resolved,
        Err(error) => panic!("{:?}", miette::Report::new(error)),
    }
}

/// The `snapshots` keys, sorted as the lockfile file lists them.
pub fn snapshot_keys(lockfile: &Lockfile) -> Vec<String> {
    let mut keys: Vec<String> =
        lockfile.snapshots.keys().map(|key| key.as_str().to_owned()).collect();
    keys.sort();
    keys
}

/// The version reference the root importer records for `alias`.
pub fn direct_version(lockfile: &Lockfile, alias: &str) -> String {
    direct(lockfile).into_iter().find(|(a, _, _)| a == alias).map(|(_, _, v)| v).unwrap_or_default()
}

/// `(alias, specifier, version reference)` of the root importer's dependencies of every kind.
pub fn direct(lockfile: &Lockfile) -> Vec<(String, String, String)> {
    let Some(root) = lockfile.importer(".") else { return Vec::new() };
    [&root.dependencies, &root.dev_dependencies, &root.optional_dependencies]
        .into_iter()
        .flatten()
        .flat_map(|deps| deps.iter())
        .map(|(alias, dep)| {
            (alias.to_string(), dep.specifier.as_str().to_owned(), dep.version.as_str().to_owned())
        })
        .collect()
}

/// The text of one `snapshots` entry as written, without its key line.
pub fn snapshot_text(lockfile: &Lockfile, key: &str) -> String {
    let text = lockfile.to_yaml_string();
    let start = text.find("\nsnapshots:\n").map_or(0, |at| at);
    let section = &text[start..];
    let header = format!("\n  {key}:");
    let Some(at) = section.find(&header) else { return String::new() };
    let rest = &section[at + header.len()..];
    let end = rest.find("\n\n").unwrap_or(rest.len());
    rest[..end].trim_end().to_owned()
}
