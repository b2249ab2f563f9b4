//! Settings from every source, kept apart in precedence order so that a typed value can name
//! the file and line it came from.

mod env_vars;
mod trust;

use std::fmt;
use std::path::{Path, PathBuf};

use indexmap::IndexMap;

pub(crate) use env_vars::env_layer;
pub(crate) use trust::{drop_untrusted_env_expansions, rescope_unscoped_credentials};

use crate::registry::fmt_redacted;
use crate::secret::is_secret_key;

/// Where a setting was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SourceKind {
    CommandLine,
    WorkspaceManifest,
    Environment,
    ProjectNpmrc,
    WorkspaceNpmrc,
    UserNpmrc,
    GlobalNpmrc,
    PnpmGlobalRc,
    /// The root package.json (its `pnpm` field); never a settings layer.
    PackageJson,
}

impl SourceKind {
    /// The project and workspace `.npmrc` are committed to repositories, so pnpm does not let
    /// them pull secrets or request destinations out of the environment.
    pub(crate) fn is_repository_file(self) -> bool {
        matches!(self, SourceKind::ProjectNpmrc | SourceKind::WorkspaceNpmrc)
    }
}

/// A setting's source, shown in errors: `path:line`, or the kind of source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub kind: SourceKind,
    pub path: Option<PathBuf>,
    pub line: Option<usize>,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.path, self.line) {
            (Some(path), Some(line)) => write!(f, "{}:{line}", path.display()),
            (Some(path), None) => write!(f, "{}", path.display()),
            (None, _) => match self.kind {
                SourceKind::CommandLine => f.write_str("command line"),
                SourceKind::Environment => f.write_str("environment"),
                _ => write!(f, "{:?}", self.kind),
            },
        }
    }
}

/// A setting's value before it is given a type, as npm's ini reader and pnpm's field parser
/// leave it.
#[derive(Clone, PartialEq, Eq)]
pub enum RawValue {
    Str(String),
    Bool(bool),
    List(Vec<String>),
    /// `null` or `undefined`: the setting is reset to its default.
    Null,
}

impl fmt::Debug for RawValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RawValue::Str(text) => fmt::Debug::fmt(text, f),
            RawValue::Bool(flag) => fmt::Debug::fmt(flag, f),
            RawValue::List(items) => fmt::Debug::fmt(items, f),
            RawValue::Null => f.write_str("null"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Entry {
    pub(crate) value: RawValue,
    pub(crate) line: Option<usize>,
}

/// The settings of one source, keyed by their kebab-case (npmrc) names.
#[derive(Debug, Clone)]
pub(crate) struct Layer {
    pub(crate) kind: SourceKind,
    pub(crate) path: Option<PathBuf>,
    pub(crate) entries: IndexMap<String, Entry>,
}

impl Layer {
    pub(crate) fn new(kind: SourceKind, path: Option<&Path>) -> Self {
        Layer { kind, path: path.map(Path::to_path_buf), entries: IndexMap::new() }
    }

    pub(crate) fn origin(&self, line: Option<usize>) -> Origin {
        Origin { kind: self.kind, path: self.path.clone(), line }
    }
}

/// A value found for a key, with its origin.
pub(crate) struct Found<'a> {
    pub(crate) value: &'a RawValue,
    pub(crate) origin: Origin,
}

/// All sources, highest precedence first.
#[derive(Clone, Default)]
pub(crate) struct Layers {
    layers: Vec<Layer>,
}

impl Layers {
    pub(crate) fn new(mut layers: Vec<Layer>) -> Self {
        layers.sort_by_key(|layer| layer.kind);
        Layers { layers }
    }

    pub(crate) fn get(&self, key: &str) -> Option<Found<'_>> {
        self.find(key, |_| true)
    }

    /// Registries and credentials never come from pnpm-workspace.yaml: pnpm 10 computes them
    /// from the npmrc chain before it applies the workspace manifest.
    pub(crate) fn get_network(&self, key: &str) -> Option<Found<'_>> {
        self.find(key, |kind| kind != SourceKind::WorkspaceManifest)
    }

    fn find(&self, key: &str, accept: impl Fn(SourceKind) -> bool) -> Option<Found<'_>> {
        self.layers.iter().filter(|layer| accept(layer.kind)).find_map(|layer| {
            let entry = layer.entries.get(key)?;
            Some(Found { value: &entry.value, origin: layer.origin(entry.line) })
        })
    }

    /// Every key of the npmrc chain with the winning value, for URL-scoped settings.
    pub(crate) fn merged_network(&self) -> IndexMap<&str, Found<'_>> {
        let mut merged = IndexMap::new();
        let npmrc_layers = self.layers.iter().filter(|l| l.kind != SourceKind::WorkspaceManifest);
        for layer in npmrc_layers.rev() {
            for (key, entry) in &layer.entries {
                let found = Found { value: &entry.value, origin: layer.origin(entry.line) };
                merged.insert(key.as_str(), found);
            }
        }
        merged
    }

    /// Every key with its winning value, for settings lade does not interpret.
    pub(crate) fn merged(&self) -> IndexMap<String, RawValue> {
        let mut merged = IndexMap::new();
        for layer in self.layers.iter().rev() {
            for (key, entry) in &layer.entries {
                merged.insert(key.clone(), entry.value.clone());
            }
        }
        merged
    }
}

impl fmt::Debug for Layers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kinds: Vec<_> = self.layers.iter().map(|layer| (layer.kind, &layer.path)).collect();
        f.debug_struct("Layers").field("sources", &kinds).finish_non_exhaustive()
    }
}

fn url_with_password(text: &str) -> Option<url::Url> {
    url::Url::parse(text).ok().filter(|url| url.password().is_some())
}

/// A URL setting (a registry or proxy) shown without its password.
struct RedactedUrl<'a>(&'a str);

impl fmt::Display for RedactedUrl<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match url_with_password(self.0) {
            Some(url) => fmt_redacted(&url, f),
            None => f.write_str(self.0),
        }
    }
}

/// Settings lade does not model, with secret values hidden from Debug.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct RawSettings(pub(crate) IndexMap<String, RawValue>);

impl RawSettings {
    pub fn get(&self, key: &str) -> Option<&RawValue> {
        self.0.get(key)
    }

    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(String::as_str)
    }
}

impl fmt::Debug for RawSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for (key, value) in &self.0 {
            match value {
                _ if is_secret_key(key) => map.entry(key, &format_args!("***")),
                RawValue::Str(text) if url_with_password(text).is_some() => {
                    map.entry(key, &format_args!("{}", RedactedUrl(text)))
                }
                _ => map.entry(key, value),
            };
        }
        map.finish()
    }
}
