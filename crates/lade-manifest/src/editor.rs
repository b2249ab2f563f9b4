//! Editing a package.json the way pnpm rewrites one: every field and key order kept, dependency
//! fields sorted by name (and dropped when emptied), the author's indentation and final newline
//! reused, and nothing written when the edit changed nothing.

use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::ser::{PrettyFormatter, Serializer};
use serde_json::{Map, Value};

use crate::{ManifestError, PackageManifest, detect_indent, ends_with_newline};

/// The fields pnpm sorts when it writes a manifest.
const DEPENDENCY_FIELDS: [&str; 4] =
    ["dependencies", "devDependencies", "optionalDependencies", "peerDependencies"];

/// A package.json in memory, with what is needed to write it back in its own style.
#[derive(Clone, Debug)]
pub struct ManifestEditor {
    path: PathBuf,
    original: Map<String, Value>,
    edited: Map<String, Value>,
    indent: String,
    final_newline: bool,
}

impl ManifestEditor {
    /// Reads `path` for editing.
    pub fn open(path: &Path) -> Result<Self, ManifestError> {
        let text = match fs_err::read_to_string(path) {
            Ok(text) => text,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                return Err(ManifestError::NotFound {
                    dir: path.parent().map(Path::to_path_buf).unwrap_or_default(),
                });
            }
            Err(source) => return Err(ManifestError::Read { path: path.to_path_buf(), source }),
        };
        Self::from_str(&text, path)
    }

    /// Parses `text`; `path` names the file in errors and is where [`ManifestEditor::save`]
    /// writes. The manifest must be valid as a [`PackageManifest`].
    pub fn from_str(text: &str, path: &Path) -> Result<Self, ManifestError> {
        PackageManifest::from_str(text, path)?;
        let body = text.strip_prefix('\u{feff}').unwrap_or(text);
        let object: Map<String, Value> =
            serde_json::from_str(body).map_err(|err| ManifestError::Syntax {
                path: path.to_path_buf(),
                line: err.line(),
                column: err.column(),
                message: err.to_string(),
            })?;
        Ok(ManifestEditor {
            path: path.to_path_buf(),
            original: object.clone(),
            edited: object,
            indent: detect_indent(body).map(|indent| indent.as_string()).unwrap_or_default(),
            final_newline: ends_with_newline(body),
        })
    }

    /// The specifier of `name` in `field` (`dependencies`, `peerDependencies`, …).
    pub fn specifier(&self, field: &str, name: &str) -> Option<&str> {
        self.edited.get(field)?.as_object()?.get(name)?.as_str()
    }

    /// The dependency field that lists `name` first, in pnpm's order (optional, production,
    /// development, then peer).
    pub fn field_of(&self, name: &str) -> Option<&'static str> {
        ["optionalDependencies", "dependencies", "devDependencies", "peerDependencies"]
            .into_iter()
            .find(|field| self.specifier(field, name).is_some())
    }

    /// Sets `name` to `specifier` in `field`, creating the field at the end when missing.
    pub fn set_dependency(&mut self, field: &str, name: &str, specifier: &str) {
        let entry =
            self.edited.entry(field.to_owned()).or_insert_with(|| Value::Object(Map::new()));
        if !entry.is_object() {
            *entry = Value::Object(Map::new());
        }
        if let Value::Object(deps) = entry {
            deps.insert(name.to_owned(), Value::String(specifier.to_owned()));
        }
    }

    /// Removes `name` from `field`; whether it was there.
    pub fn remove_dependency(&mut self, field: &str, name: &str) -> bool {
        let Some(Value::Object(deps)) = self.edited.get_mut(field) else { return false };
        deps.shift_remove(name).is_some()
    }

    /// The edited manifest, as the resolver reads manifests.
    pub fn manifest(&self) -> Result<PackageManifest, ManifestError> {
        PackageManifest::from_str(&self.to_text(), &self.path)
    }

    /// Whether the edit changed the manifest (after pnpm's normalization).
    pub fn is_changed(&self) -> bool {
        normalize(&self.original) != normalize(&self.edited)
    }

    /// The file as pnpm would write it: `JSON.stringify` with the file's indentation, plus the
    /// final newline when the file had one.
    pub fn to_text(&self) -> String {
        let value = Value::Object(normalize(&self.edited));
        let mut bytes = Vec::new();
        if self.indent.is_empty() {
            let _ = serde_json::to_writer(&mut bytes, &value);
        } else {
            let formatter = PrettyFormatter::with_indent(self.indent.as_bytes());
            let _ = value.serialize(&mut Serializer::with_formatter(&mut bytes, formatter));
        }
        let mut text = String::from_utf8_lossy(&bytes).into_owned();
        if self.final_newline {
            text.push('\n');
        }
        text
    }

    /// Writes the file when the edit changed it; whether it did.
    pub fn save(&self) -> Result<bool, ManifestError> {
        if !self.is_changed() {
            return Ok(false);
        }
        let temp = self.path.with_extension(format!("json.{}.tmp", std::process::id()));
        let written =
            fs_err::write(&temp, self.to_text()).and_then(|()| fs_err::rename(&temp, &self.path));
        written.map_err(|source| ManifestError::Write { path: self.path.clone(), source })?;
        Ok(true)
    }
}

/// pnpm's manifest normalization: dependency fields sorted by name, empty ones removed.
fn normalize(manifest: &Map<String, Value>) -> Map<String, Value> {
    let mut normalized = Map::new();
    for (key, value) in manifest {
        match value {
            Value::Object(deps) if DEPENDENCY_FIELDS.contains(&key.as_str()) => {
                if deps.is_empty() {
                    continue;
                }
                let mut names: Vec<&String> = deps.keys().collect();
                names.sort_by(|a, b| a.encode_utf16().cmp(b.encode_utf16()));
                let sorted = names.into_iter().map(|name| (name.clone(), deps[name].clone()));
                normalized.insert(key.clone(), Value::Object(sorted.collect()));
            }
            _ => {
                normalized.insert(key.clone(), value.clone());
            }
        }
    }
    normalized
}

#[cfg(test)]
mod tests;
