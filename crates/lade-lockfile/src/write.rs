//! `Lockfile` → pnpm-lock.yaml text, ordered and trimmed as pnpm's `sortLockfileKeys` and
//! `normalizeLockfile` (lockfile/fs) leave it before dumping.

use std::borrow::Cow;
use std::cmp::Ordering;

use serde_json::Value;

use crate::lockfile::{
    LockfileSettings, PackageInfo, PatchedDependency, ProjectSnapshot, SnapshotEntry,
};
use crate::yaml_emit::{Node, dump};
use crate::{Lockfile, Resolution};

const ROOT_KEYS: &[&str] = &[
    "lockfileVersion",
    "settings",
    "catalogs",
    "overrides",
    "packageExtensionsChecksum",
    "pnpmfileChecksum",
    "patchedDependencies",
    "importers",
    "packages",
];

/// pnpm's `ORDERED_KEYS` for `packages` and `snapshots` entries (applied at every depth).
const PACKAGE_KEYS: &[&str] = &[
    "resolution",
    "id",
    "name",
    "version",
    "engines",
    "cpu",
    "os",
    "libc",
    "deprecated",
    "hasBin",
    "prepare",
    "requiresBuild",
    "bundleDependencies",
    "peerDependencies",
    "peerDependenciesMeta",
    "dependencies",
    "optionalDependencies",
    "transitivePeerDependencies",
    "dev",
    "optional",
];

/// The default pnpm leaves out of `settings`.
const DEFAULT_PEERS_SUFFIX_MAX_LENGTH: u64 = 1000;

impl Lockfile {
    /// The main document as pnpm writes it (the content of node_modules/.pnpm/lock.yaml).
    pub fn to_yaml_string(&self) -> String {
        dump(&self.to_node())
    }

    /// The whole pnpm-lock.yaml: the env document, when the lockfile had one, then the main one.
    pub fn to_file_string(&self) -> String {
        match &self.env_document {
            Some(env) => format!("---\n{env}\n---\n{}", self.to_yaml_string()),
            None => self.to_yaml_string(),
        }
    }

    fn to_node(&self) -> Node<'_> {
        let mut root: Vec<(Cow<str>, Node)> =
            vec![("lockfileVersion".into(), str(self.lockfile_version.as_str()))];
        if let Some(settings) = &self.settings {
            root.push(("settings".into(), settings_node(settings)));
        }
        if let Some(catalogs) = self.catalogs.as_ref().filter(|c| !c.is_empty()) {
            let catalogs = catalogs.iter().map(|(name, entries)| {
                let entries = entries.iter().map(|(dep, entry)| {
                    let fields = vec![
                        ("specifier".into(), str(entry.specifier.as_str())),
                        ("version".into(), str(&entry.version)),
                    ];
                    (Cow::Borrowed(dep.as_str()), Node::Map(fields))
                });
                (Cow::Borrowed(name.as_str()), Node::Map(entries.collect()))
            });
            root.push(("catalogs".into(), sorted(Node::Map(catalogs.collect()), &[], true)));
        }
        if let Some(overrides) = self.overrides.as_ref().filter(|o| !o.is_empty()) {
            root.push((
                "overrides".into(),
                string_map(overrides.iter().map(|(k, v)| (k.as_str(), v.as_str()))),
            ));
        }
        if let Some(checksum) =
            self.package_extensions_checksum.as_deref().filter(|c| !c.is_empty())
        {
            root.push(("packageExtensionsChecksum".into(), str(checksum)));
        }
        if let Some(checksum) = self.pnpmfile_checksum.as_deref().filter(|c| !c.is_empty()) {
            root.push(("pnpmfileChecksum".into(), str(checksum)));
        }
        if let Some(patched) = self.patched_dependencies.as_ref().filter(|p| !p.is_empty()) {
            let entries =
                patched.iter().map(|(key, patch)| (Cow::Borrowed(key.as_str()), patch_node(patch)));
            root.push(("patchedDependencies".into(), sort_direct(entries.collect())));
        }
        let importers = self.importers.iter().map(|(id, importer)| {
            (Cow::Borrowed(id.as_str()), sorted(importer_node(importer), ROOT_KEYS, true))
        });
        root.push(("importers".into(), sort_direct(importers.collect())));
        if !self.packages.is_empty() {
            let packages = self.packages.iter().map(|(key, package)| {
                (Cow::Borrowed(key.as_str()), sorted(package_node(package), PACKAGE_KEYS, true))
            });
            root.push(("packages".into(), sort_direct(packages.collect())));
        }
        if let Some(ignored) = self.ignored_optional_dependencies.as_ref().filter(|i| !i.is_empty())
        {
            root.push((
                "ignoredOptionalDependencies".into(),
                Node::Seq(ignored.iter().map(|s| str(s)).collect()),
            ));
        }
        if !self.snapshots.is_empty() {
            let snapshots = self.snapshots.iter().map(|(key, snapshot)| {
                (Cow::Borrowed(key.as_str()), sorted(snapshot_node(snapshot), PACKAGE_KEYS, true))
            });
            root.push(("snapshots".into(), sort_direct(snapshots.collect())));
        }
        if let Some(time) = &self.time {
            root.push((
                "time".into(),
                sort_direct(
                    time.iter().map(|(k, v)| (Cow::Borrowed(k.as_str()), str(v))).collect(),
                ),
            ));
        }
        sorted(Node::Map(root), ROOT_KEYS, false)
    }
}

fn str(text: &str) -> Node<'_> {
    Node::Str(Cow::Borrowed(text))
}

fn flag(value: bool) -> Node<'static> {
    Node::Raw(Cow::Borrowed(if value { "true" } else { "false" }))
}

fn string_map<'a>(entries: impl Iterator<Item = (&'a str, &'a str)>) -> Node<'a> {
    Node::Map(entries.map(|(k, v)| (Cow::Borrowed(k), str(v))).collect())
}

fn settings_node(settings: &LockfileSettings) -> Node<'_> {
    let mut fields = Vec::new();
    if let Some(value) = settings.auto_install_peers {
        fields.push(("autoInstallPeers".into(), flag(value)));
    }
    if let Some(value) = settings.dedupe_peers {
        fields.push(("dedupePeers".into(), flag(value)));
    }
    if let Some(value) = settings.exclude_links_from_lockfile {
        fields.push(("excludeLinksFromLockfile".into(), flag(value)));
    }
    if let Some(value) =
        settings.peers_suffix_max_length.filter(|&v| v != DEFAULT_PEERS_SUFFIX_MAX_LENGTH)
    {
        fields.push(("peersSuffixMaxLength".into(), Node::Raw(value.to_string().into())));
    }
    if let Some(true) = settings.inject_workspace_packages {
        fields.push(("injectWorkspacePackages".into(), flag(true)));
    }
    Node::Map(fields)
}

fn patch_node(patch: &PatchedDependency) -> Node<'_> {
    match patch {
        PatchedDependency::Hash(hash) => str(hash),
        PatchedDependency::HashAndPath { hash, path } => {
            Node::Map(vec![("hash".into(), str(hash)), ("path".into(), str(path))])
        }
    }
}

fn importer_node(importer: &ProjectSnapshot) -> Node<'_> {
    let mut fields: Vec<(Cow<str>, Node)> = Vec::new();
    if let Some(meta) = importer.dependencies_meta.as_ref().filter(|m| !m.is_empty()) {
        let meta = meta
            .iter()
            .map(|(name, meta)| (Cow::Borrowed(name.as_str()), object_node(meta.fields())));
        fields.push(("dependenciesMeta".into(), Node::Map(meta.collect())));
    }
    for (key, deps) in [
        ("dependencies", &importer.dependencies),
        ("devDependencies", &importer.dev_dependencies),
        ("optionalDependencies", &importer.optional_dependencies),
    ] {
        if let Some(deps) = deps.as_ref().filter(|d| !d.is_empty()) {
            let deps = deps.iter().map(|(name, dep)| {
                let entry = vec![
                    ("specifier".into(), str(dep.specifier.as_str())),
                    ("version".into(), str(dep.version.as_str())),
                ];
                (Cow::Borrowed(name.as_str()), Node::Map(entry))
            });
            fields.push((key.into(), Node::Map(deps.collect())));
        }
    }
    if let Some(dir) = importer.publish_directory.as_deref().filter(|d| !d.is_empty()) {
        fields.push(("publishDirectory".into(), str(dir)));
    }
    Node::Map(fields)
}

fn package_node(package: &PackageInfo) -> Node<'_> {
    let mut fields: Vec<(Cow<str>, Node)> =
        vec![("resolution".into(), resolution_node(&package.resolution))];
    for (key, value) in [
        ("id", package.id.as_deref()),
        ("name", package.name.as_ref().map(|name| name.as_str())),
        ("version", package.version.as_ref().map(|version| version.as_str())),
        ("deprecated", package.deprecated.as_deref()),
    ] {
        if let Some(value) = value {
            fields.push((key.into(), str(value)));
        }
    }
    if let Some(engines) = &package.engines {
        fields.push((
            "engines".into(),
            string_map(engines.iter().map(|(k, v)| (k.as_str(), v.as_str()))),
        ));
    }
    for (key, list) in [("cpu", &package.cpu), ("os", &package.os), ("libc", &package.libc)] {
        if let Some(list) = list {
            fields.push((key.into(), Node::Seq(list.iter().map(|v| str(v)).collect())));
        }
    }
    for (key, value) in [
        ("hasBin", package.has_bin),
        ("prepare", package.prepare),
        ("requiresBuild", package.requires_build),
    ] {
        if let Some(value) = value {
            fields.push((key.into(), flag(value)));
        }
    }
    if let Some(bundled) = &package.bundled_dependencies {
        let value = serde_json::to_value(bundled).unwrap_or(Value::Null);
        fields.push(("bundledDependencies".into(), value_node(value)));
    }
    if let Some(peers) = &package.peer_dependencies {
        fields.push((
            "peerDependencies".into(),
            string_map(peers.iter().map(|(k, v)| (k.as_str(), v.as_str()))),
        ));
    }
    if let Some(meta) = &package.peer_dependencies_meta {
        let meta = meta.iter().map(|(name, meta)| {
            (
                Cow::Borrowed(name.as_str()),
                value_node(serde_json::to_value(meta).unwrap_or(Value::Null)),
            )
        });
        fields.push(("peerDependenciesMeta".into(), Node::Map(meta.collect())));
    }
    Node::Map(fields)
}

fn snapshot_node(snapshot: &SnapshotEntry) -> Node<'_> {
    let mut fields: Vec<(Cow<str>, Node)> = Vec::new();
    if let Some(id) = &snapshot.id {
        fields.push(("id".into(), str(id)));
    }
    for (key, deps) in [
        ("dependencies", &snapshot.dependencies),
        ("optionalDependencies", &snapshot.optional_dependencies),
    ] {
        if let Some(deps) = deps {
            fields
                .push((key.into(), string_map(deps.iter().map(|(k, v)| (k.as_str(), v.as_str())))));
        }
    }
    if let Some(peers) = &snapshot.transitive_peer_dependencies {
        fields.push((
            "transitivePeerDependencies".into(),
            Node::Seq(peers.iter().map(|p| str(p)).collect()),
        ));
    }
    for (key, value) in [("optional", snapshot.optional), ("patched", snapshot.patched)] {
        if let Some(value) = value {
            fields.push((key.into(), flag(value)));
        }
    }
    Node::Map(fields)
}

fn resolution_node(resolution: &Resolution) -> Node<'static> {
    object_node(&resolution.to_json())
}

fn object_node(fields: &serde_json::Map<String, Value>) -> Node<'static> {
    Node::Map(fields.iter().map(|(k, v)| (Cow::Owned(k.clone()), value_node(v.clone()))).collect())
}

fn value_node(value: Value) -> Node<'static> {
    match value {
        Value::String(text) => Node::Str(text.into()),
        Value::Bool(b) => flag(b),
        Value::Number(n) => Node::Raw(n.to_string().into()),
        Value::Null => Node::Raw("null".into()),
        Value::Array(items) => Node::Seq(items.into_iter().map(value_node).collect()),
        Value::Object(map) => {
            Node::Map(map.into_iter().map(|(k, v)| (Cow::Owned(k), value_node(v))).collect())
        }
    }
}

/// JavaScript's default string order (UTF-16 code units), which pnpm's `lexCompare` uses.
fn lex_compare(a: &str, b: &str) -> Ordering {
    if a.is_ascii() && b.is_ascii() { a.cmp(b) } else { a.encode_utf16().cmp(b.encode_utf16()) }
}

fn sort_direct<'a>(mut entries: Vec<(Cow<'a, str>, Node<'a>)>) -> Node<'a> {
    entries.sort_by(|(a, _), (b, _)| lex_compare(a, b));
    Node::Map(entries)
}

/// pnpm's `sortKeysByPriority`: keys listed in `priority` first in that order, the rest in lexical
/// order; with `deep`, the same order applies to every nested mapping.
fn sorted<'a>(node: Node<'a>, priority: &[&str], deep: bool) -> Node<'a> {
    match node {
        Node::Map(mut entries) => {
            let rank = |key: &str| priority.iter().position(|p| *p == key);
            entries.sort_by(|(a, _), (b, _)| match (rank(a), rank(b)) {
                (Some(x), Some(y)) => x.cmp(&y),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => lex_compare(a, b),
            });
            if deep {
                entries =
                    entries.into_iter().map(|(k, v)| (k, sorted(v, priority, true))).collect();
            }
            Node::Map(entries)
        }
        Node::Seq(items) if deep => {
            Node::Seq(items.into_iter().map(|item| sorted(item, priority, true)).collect())
        }
        other => other,
    }
}

#[cfg(test)]
mod tests;
