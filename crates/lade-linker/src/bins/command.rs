//! The commands a package declares (pkg-manager/package-bins `getBinsFromPackageManifest`).

use std::fmt;
use std::path::{Component, Path, PathBuf};

use serde_json::Value;

use crate::js_compat::sort_like_object_keys;
use crate::symlink::{is_subdir, normalize};

/// A command name that is safe as a file name in `.bin`: what `encodeURIComponent` leaves
/// unchanged (ASCII letters, digits and `-_.!~*'()`), or `$`; never `.` or `..`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BinName(String);

impl BinName {
    /// `None` for names pnpm refuses to link, such as `../evil`, `a/b` or `a\b`.
    pub fn new(name: &str) -> Option<Self> {
        let unreserved = |c: char| c.is_ascii_alphanumeric() || "-_.!~*'()".contains(c);
        let safe = name == "$" || (!name.is_empty() && name.chars().all(unreserved));
        (safe && name != "." && name != "..").then(|| BinName(name.to_owned()))
    }

    /// A file found under `directories.bin`: pnpm takes its base name as is, so only path
    /// separators and dot names are refused.
    fn from_file_name(name: &str) -> Option<Self> {
        let safe = !name.is_empty() && name != "." && name != ".." && !name.contains(['/', '\\']);
        safe.then(|| BinName(name.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for BinName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A command to link: `.bin/<name>` runs `path`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Command {
    pub name: BinName,
    /// The file to run, under the package location the `.bin` directory sees (which may be a
    /// symlink such as `node_modules/.pnpm/node_modules/<alias>`).
    pub path: PathBuf,
    /// The same file under the package's physical directory; NODE_PATH is derived from it.
    pub real_path: PathBuf,
    /// The manifest's `name` and `version`, which decide conflicts.
    pub package_name: String,
    pub package_version: String,
    /// The command is named like its package.
    pub own_name: bool,
}

/// The commands declared by `manifest` (a parsed package.json) of the package seen at `location`
/// and physically at `real_location`. `files` lists the package's files relative to its root
/// (`/`-separated); it is read only for `directories.bin`.
///
/// Names with a scope lose it (`@scope/tool` → `tool`); unsafe names and targets that resolve
/// outside the package are dropped, as pnpm does since its 2025 bin-path advisories.
pub fn commands_of_package<'a>(
    manifest: &Value,
    location: &Path,
    real_location: &Path,
    files: impl IntoIterator<Item = &'a str>,
) -> Vec<Command> {
    let package_name = manifest.get("name").and_then(Value::as_str).unwrap_or_default();
    let package_version = manifest.get("version").and_then(Value::as_str).unwrap_or_default();
    let declared = match manifest.get("bin") {
        Some(bin) if is_truthy(bin) => bin_field_entries(bin, package_name, location),
        _ => match manifest.get("directories").and_then(|d| d.get("bin")).and_then(Value::as_str) {
            Some(dir) if !dir.is_empty() => directory_entries(dir, location, files),
            _ => Vec::new(),
        },
    };
    declared
        .into_iter()
        .map(|(name, path)| {
            let real_path = match path.strip_prefix(normalize(location)) {
                Ok(inside) => normalize(real_location).join(inside),
                Err(_) => path.clone(),
            };
            Command {
                own_name: name.as_str() == package_name,
                name,
                path,
                real_path,
                package_name: package_name.to_owned(),
                package_version: package_version.to_owned(),
            }
        })
        .collect()
}

fn is_truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0 && !f.is_nan()),
        Value::String(s) => !s.is_empty(),
        Value::Array(_) | Value::Object(_) => true,
    }
}

/// `bin` as a string (named after the package) or as a map of name → path.
fn bin_field_entries(bin: &Value, package_name: &str, location: &Path) -> Vec<(BinName, PathBuf)> {
    let mut entries: Vec<(String, &str)> = match bin {
        Value::String(path) if !package_name.is_empty() => {
            vec![(package_name.to_owned(), path.as_str())]
        }
        Value::Object(map) => {
            map.iter().filter_map(|(k, v)| Some((k.clone(), v.as_str()?))).collect()
        }
        Value::Array(items) => items
            .iter()
            .enumerate()
            .filter_map(|(i, v)| Some((i.to_string(), v.as_str()?)))
            .collect(),
        _ => Vec::new(),
    };
    sort_like_object_keys(&mut entries, |(name, _)| name.as_str());
    entries
        .into_iter()
        .filter_map(|(command, relative)| {
            let unscoped = match command.strip_prefix('@') {
                Some(rest) => rest.split_once('/').map_or(command.as_str(), |(_, name)| name),
                None => command.as_str(),
            };
            let name = BinName::new(unscoped)?;
            let path = join_inside(location, relative)?;
            Some((name, path))
        })
        .collect()
}

/// Every non-hidden file under `directories.bin`, named by its base name.
fn directory_entries<'a>(
    dir: &str,
    location: &Path,
    files: impl IntoIterator<Item = &'a str>,
) -> Vec<(BinName, PathBuf)> {
    let Some(bin_dir) = join_inside(location, dir) else { return Vec::new() };
    let Ok(bin_dir_relative) = bin_dir.strip_prefix(normalize(location)) else { return Vec::new() };
    let mut found: Vec<(BinName, PathBuf)> = files
        .into_iter()
        .filter_map(|file| {
            let inside = Path::new(file).strip_prefix(bin_dir_relative).ok()?;
            let hidden = inside
                .components()
                .any(|c| matches!(c, Component::Normal(s) if s.to_string_lossy().starts_with('.')));
            if hidden || inside.as_os_str().is_empty() {
                return None;
            }
            let name = BinName::from_file_name(inside.file_name()?.to_str()?)?;
            Some((name, bin_dir.join(inside)))
        })
        .collect();
    found.sort_by(|a, b| a.1.cmp(&b.1));
    found
}

/// `path.join(location, relative)`, when the result stays inside `location` (is-subdir).
fn join_inside(location: &Path, relative: &str) -> Option<PathBuf> {
    let mut joined = location.to_path_buf();
    for segment in relative.split('/').filter(|s| !s.is_empty()) {
        joined.push(segment);
    }
    let joined = normalize(&joined);
    is_subdir(location, &joined).then_some(joined)
}

#[cfg(test)]
mod tests;
