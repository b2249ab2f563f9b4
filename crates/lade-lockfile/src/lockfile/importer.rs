use std::fmt;

use indexmap::IndexMap;
use lade_manifest::{DependencyField, DependencyMeta, Specifier};
use lade_types::PkgName;
use serde::{Deserialize, Serialize};

use crate::DependencyRef;

/// An `importers` key: the project's directory relative to the lockfile's, `.` for the root.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ImporterId(String);

impl ImporterId {
    pub fn new(id: impl Into<String>) -> Self {
        ImporterId(id.into())
    }

    pub fn root() -> Self {
        ImporterId(".".to_owned())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::borrow::Borrow<str> for ImporterId {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ImporterId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for ImporterId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

/// One direct dependency of an importer: what package.json asked for and what it resolved to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImporterDependency {
    pub specifier: Specifier,
    pub version: DependencyRef,
}

pub type ImporterDependencies = IndexMap<PkgName, ImporterDependency>;

/// An `importers` entry.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProjectSnapshot {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dependencies: Option<ImporterDependencies>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub optional_dependencies: Option<ImporterDependencies>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dev_dependencies: Option<ImporterDependencies>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dependencies_meta: Option<IndexMap<String, DependencyMeta>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publish_directory: Option<String>,
}

impl ProjectSnapshot {
    pub fn dependency_field(&self, field: DependencyField) -> Option<&ImporterDependencies> {
        match field {
            DependencyField::OptionalDependencies => self.optional_dependencies.as_ref(),
            DependencyField::Dependencies => self.dependencies.as_ref(),
            DependencyField::DevDependencies => self.dev_dependencies.as_ref(),
        }
    }

    /// Every direct dependency with the field it is listed in, in pnpm's field order.
    pub fn all_dependencies(
        &self,
    ) -> impl Iterator<Item = (DependencyField, &PkgName, &ImporterDependency)> {
        DependencyField::ALL.into_iter().flat_map(move |field| {
            self.dependency_field(field)
                .into_iter()
                .flatten()
                .map(move |(name, dep)| (field, name, dep))
        })
    }
}
