mod visitor;

use std::path::{Path, PathBuf};

use indexmap::{IndexMap, IndexSet};
use lade_types::{PkgName, Version};
use serde_json::Value;

use crate::fields::BinCommand;
use crate::{
    Bin, BundledDependencies, DependencyMap, DependencyMeta, Directories, Engines, ManifestError,
    PeerDependencyMeta, PlatformList, PublishConfig, Workspaces,
};

/// The dependency fields an importer records in the lockfile, in pnpm's order
/// (`DEPENDENCIES_FIELDS`): optional first, then production, then dev.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DependencyField {
    OptionalDependencies,
    Dependencies,
    DevDependencies,
}

impl DependencyField {
    pub const ALL: [DependencyField; 3] = [
        DependencyField::OptionalDependencies,
        DependencyField::Dependencies,
        DependencyField::DevDependencies,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DependencyField::OptionalDependencies => "optionalDependencies",
            DependencyField::Dependencies => "dependencies",
            DependencyField::DevDependencies => "devDependencies",
        }
    }
}

/// A package.json. Typed fields are the ones lade interprets; every other top-level field is kept
/// in `other`, and the order of top-level keys is remembered, so a writer can reproduce the file.
///
/// `name` and `version` are kept as written: pnpm accepts a project named `""` or versioned
/// `"not a version"`, so they are only validated by [`PackageManifest::pkg_name`] and
/// [`PackageManifest::pkg_version`] when a caller needs them as a package identity.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PackageManifest {
    pub name: Option<String>,
    pub version: Option<String>,
    pub dependencies: Option<DependencyMap>,
    pub dev_dependencies: Option<DependencyMap>,
    pub optional_dependencies: Option<DependencyMap>,
    pub peer_dependencies: Option<DependencyMap>,
    pub peer_dependencies_meta: Option<IndexMap<String, PeerDependencyMeta>>,
    pub dependencies_meta: Option<IndexMap<String, DependencyMeta>>,
    pub bundled_dependencies: Option<BundledDependencies>,
    /// The `bundleDependencies` spelling, kept apart so a rewrite keeps the author's key.
    pub bundle_dependencies: Option<BundledDependencies>,
    pub bin: Option<Bin>,
    pub directories: Option<Directories>,
    pub scripts: Option<IndexMap<String, String>>,
    pub engines: Option<Engines>,
    pub os: Option<PlatformList>,
    pub cpu: Option<PlatformList>,
    pub libc: Option<PlatformList>,
    pub publish_config: Option<PublishConfig>,
    /// The `pnpm` field, interpreted by lade-config.
    pub pnpm: Option<Value>,
    /// Yarn-style `resolutions`, which pnpm reads as overrides; interpreted by lade-config.
    pub resolutions: Option<Value>,
    pub package_manager: Option<String>,
    pub workspaces: Option<Workspaces>,
    /// Every top-level field not listed above, as written.
    pub other: IndexMap<String, Value>,
    key_order: IndexSet<String>,
}

impl PackageManifest {
    /// Reads `path`. A missing file is [`ManifestError::NotFound`] naming its directory, which is
    /// what pnpm reports as `ERR_PNPM_NO_PKG_MANIFEST`.
    pub fn from_path(path: &Path) -> Result<Self, ManifestError> {
        match fs_err::read_to_string(path) {
            Ok(text) => Self::from_str(&text, path),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                Err(ManifestError::NotFound {
                    dir: path.parent().map(Path::to_path_buf).unwrap_or_default(),
                })
            }
            Err(source) => Err(ManifestError::Read { path: path.to_path_buf(), source }),
        }
    }

    /// Parses manifest text; `path` only names the file in errors. A leading BOM is ignored.
    pub fn from_str(text: &str, path: &Path) -> Result<Self, ManifestError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut deserializer = serde_json::Deserializer::from_str(text);
        let manifest = serde_path_to_error::deserialize(&mut deserializer).map_err(|err| {
            let field = err.path().to_string();
            manifest_error(err.into_inner(), Some(field), path)
        })?;
        deserializer.end().map_err(|err| manifest_error(err, None, path))?;
        Ok(manifest)
    }

    /// The top-level keys in the order the file had them.
    pub fn key_order(&self) -> impl Iterator<Item = &str> {
        self.key_order.iter().map(String::as_str)
    }

    pub fn dependency_field(&self, field: DependencyField) -> Option<&DependencyMap> {
        match field {
            DependencyField::OptionalDependencies => self.optional_dependencies.as_ref(),
            DependencyField::Dependencies => self.dependencies.as_ref(),
            DependencyField::DevDependencies => self.dev_dependencies.as_ref(),
        }
    }

    /// `name` when it is a valid package name.
    pub fn pkg_name(&self) -> Option<PkgName> {
        self.name.as_deref().and_then(|name| PkgName::parse(name).ok())
    }

    /// `version` when it is usable as a resolved version.
    pub fn pkg_version(&self) -> Option<Version> {
        self.version.as_deref().and_then(|version| Version::parse(version).ok())
    }

    /// `bundledDependencies`, or its `bundleDependencies` spelling, as pnpm reads them.
    pub fn bundled(&self) -> Option<&BundledDependencies> {
        self.bundled_dependencies.as_ref().or(self.bundle_dependencies.as_ref())
    }

    /// The commands declared by `bin`. When this is empty and `bin` is absent (or an empty
    /// string), pnpm turns every file under [`Directories::bin`] into a command instead.
    pub fn bin_commands(&self) -> Vec<BinCommand> {
        match &self.bin {
            Some(Bin::Single(path)) if path.is_empty() => Vec::new(),
            Some(bin) => bin.commands(self.name.as_deref()),
            None => Vec::new(),
        }
    }

    /// `publishConfig.directory`.
    pub fn publish_directory(&self) -> Option<&str> {
        self.publish_config.as_ref().and_then(PublishConfig::directory)
    }
}

fn manifest_error(err: serde_json::Error, field: Option<String>, path: &Path) -> ManifestError {
    let (line, column) = (err.line(), err.column());
    let path: PathBuf = path.to_path_buf();
    let message = strip_position(&err.to_string());
    match field {
        Some(field) if err.is_data() => {
            let field = if field == "." { "(top level)".to_owned() } else { field };
            ManifestError::InvalidField { path, field, line, column, message }
        }
        _ => ManifestError::Syntax { path, line, column, message },
    }
}

/// serde_json appends " at line L column C"; the error variants carry those separately.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_owned(),
        None => message.to_owned(),
    }
}

#[cfg(test)]
mod tests;
