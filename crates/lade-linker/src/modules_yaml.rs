//! `node_modules/.modules.yaml`, pnpm's record of how a `node_modules` was laid out
//! (pkg-manager/modules-yaml/src/index.ts). pnpm writes it as `JSON.stringify(manifest, null, 2)`,
//! which YAML readers accept, with the fields in the order of the object literal in
//! pkg-manager/headless `install` — the order of the struct below.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use indexmap::IndexMap;
use lade_types::{DepPath, PkgName};
use serde::{Deserialize, Serialize};

use crate::LinkerError;
use crate::js_compat::{is_array_index, utf16_cmp};
use crate::virtual_store_name::DEFAULT_MAX_LENGTH;

pub const MODULES_FILENAME: &str = ".modules.yaml";

/// pnpm's `LAYOUT_VERSION`; a different value makes pnpm 10 purge `node_modules`.
pub const LAYOUT_VERSION: u32 = 5;

/// Where a hoisted alias was linked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum HoistKind {
    /// `node_modules/.pnpm/node_modules/<alias>`
    Private,
    /// `node_modules/<alias>`
    Public,
}

/// `hoistedDependencies`: dependency path → alias → kind, in the order hoisting found them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct HoistedDependencies(IndexMap<String, IndexMap<String, HoistKind>>);

impl HoistedDependencies {
    pub fn insert(&mut self, dep_path: &DepPath, alias: &PkgName, kind: HoistKind) {
        let aliases = self.0.entry(dep_path.as_str().to_owned()).or_default();
        let alias = alias.as_str();
        if aliases.contains_key(alias) || !is_array_index(alias) {
            aliases.insert(alias.to_owned(), kind);
            return;
        }
        // JavaScript enumerates array-index keys first, ascending.
        let position = aliases
            .keys()
            .position(|key| {
                !is_array_index(key) || (key.len(), key.as_str()) > (alias.len(), alias)
            })
            .unwrap_or(aliases.len());
        aliases.shift_insert(position, alias.to_owned(), kind);
    }

    pub fn get(&self, dep_path: &str) -> Option<&IndexMap<String, HoistKind>> {
        self.0.get(dep_path)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &IndexMap<String, HoistKind>)> {
        self.0.iter().map(|(dep_path, aliases)| (dep_path.as_str(), aliases))
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Which dependency groups were installed (`--prod`, `--dev`, `--no-optional`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IncludedDependencies {
    pub dependencies: bool,
    pub dev_dependencies: bool,
    pub optional_dependencies: bool,
}

impl Default for IncludedDependencies {
    fn default() -> Self {
        IncludedDependencies {
            dependencies: true,
            dev_dependencies: true,
            optional_dependencies: true,
        }
    }
}

/// The contents of `.modules.yaml` for `node-linker=isolated`. Missing fields read as pnpm's
/// reader fills them in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ModulesYaml {
    pub hoisted_dependencies: HoistedDependencies,
    /// Absent when hoisting is off (`hoist=false`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hoist_pattern: Option<Vec<String>>,
    pub included: IncludedDependencies,
    /// Importer id → directories its injected copies were written to.
    pub injected_deps: IndexMap<String, Vec<String>>,
    /// Dependency paths whose build scripts were not allowed to run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ignored_builds: Option<Vec<String>>,
    pub layout_version: u32,
    pub node_linker: String,
    /// `name@version` of the tool that wrote the file. pnpm 10 does not check it (it only reports it
    /// when another tool asks which package manager made the directory) and rewrites it on install.
    pub package_manager: String,
    pub pending_builds: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub public_hoist_pattern: Option<Vec<String>>,
    /// `Date.prototype.toUTCString()` of the last virtual store prune; see [`utc_string`].
    pub pruned_at: String,
    /// `default` and `@scope` → registry URL, exactly as configured.
    pub registries: IndexMap<String, String>,
    /// Dependency paths of optional packages not installed on this platform.
    pub skipped: Vec<String>,
    /// pnpm 10 compares it with its own store path (`<store-dir>/v10`) and purges `node_modules`
    /// when they differ; see [`pnpm10_store_dir`].
    pub store_dir: String,
    /// Relative to `node_modules` (absolute on Windows).
    pub virtual_store_dir: String,
    pub virtual_store_dir_max_length: usize,
}

impl Default for ModulesYaml {
    fn default() -> Self {
        ModulesYaml {
            hoisted_dependencies: HoistedDependencies::default(),
            hoist_pattern: None,
            included: IncludedDependencies::default(),
            injected_deps: IndexMap::new(),
            ignored_builds: None,
            layout_version: LAYOUT_VERSION,
            node_linker: "isolated".to_owned(),
            package_manager: String::new(),
            pending_builds: Vec::new(),
            public_hoist_pattern: None,
            pruned_at: utc_string(SystemTime::now()),
            registries: IndexMap::new(),
            skipped: Vec::new(),
            store_dir: String::new(),
            virtual_store_dir: ".pnpm".to_owned(),
            virtual_store_dir_max_length: DEFAULT_MAX_LENGTH,
        }
    }
}

/// The `storeDir` pnpm 10 expects for a `store-dir` setting: its own layout version's directory.
/// Recording this keeps a later `pnpm install` (10.x) from purging a lade-made `node_modules`.
pub fn pnpm10_store_dir(store_root: &Path) -> PathBuf {
    store_root.join("v10")
}

impl ModulesYaml {
    /// The virtual store directory, resolved against `modules_dir` when recorded relatively.
    pub fn virtual_store_dir(&self, modules_dir: &Path) -> PathBuf {
        modules_dir.join(&self.virtual_store_dir)
    }

    /// The file's text, byte for byte as pnpm 10 writes it (no trailing newline).
    pub fn to_text(&self) -> String {
        let mut sorted = self.clone();
        sorted.skipped.sort_by(|a, b| utf16_cmp(a, b));
        // serde_json's pretty printer uses JSON.stringify(…, null, 2)'s spacing and escapes.
        serde_json::to_string_pretty(&sorted)
            .expect("strings, booleans and integers always serialize")
    }

    /// Reads `<modules_dir>/.modules.yaml`; `None` when there is none.
    pub fn read(modules_dir: &Path) -> Result<Option<ModulesYaml>, LinkerError> {
        let path = modules_dir.join(MODULES_FILENAME);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => return Err(LinkerError::ReadModulesYaml { path, source }),
        };
        let text = text.strip_prefix('\u{FEFF}').unwrap_or(&text);
        if text.trim().is_empty() {
            return Ok(None);
        }
        serde_yaml_ng::from_str(text)
            .map(Some)
            .map_err(|source| LinkerError::ParseModulesYaml { path, source })
    }

    /// Writes `<modules_dir>/.modules.yaml`, creating `modules_dir` if needed.
    pub fn write(&self, modules_dir: &Path) -> Result<(), LinkerError> {
        let path = modules_dir.join(MODULES_FILENAME);
        let error = |source| LinkerError::WriteModulesYaml { path: path.clone(), source };
        std::fs::create_dir_all(modules_dir).map_err(error)?;
        std::fs::write(&path, self.to_text()).map_err(error)
    }
}

/// `new Date(time).toUTCString()`, e.g. `Tue, 24 Nov 2026 05:33:02 GMT`.
pub fn utc_string(time: SystemTime) -> String {
    let seconds = time.duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let days = i64::try_from(seconds / 86_400).unwrap_or(0);
    let rem = seconds % 86_400;
    let (year, month, day) = civil_from_days(days);
    const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] =
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    format!(
        "{}, {day:02} {} {year} {:02}:{:02}:{:02} GMT",
        WEEKDAYS[(days % 7) as usize],
        MONTHS[(month - 1) as usize],
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Days since 1970-01-01 → (year, month 1–12, day 1–31), Howard Hinnant's algorithm.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests;
