//! `workspace:` and `link:` dependencies of a project: symlinks to directories, resolved
//! against the workspace's projects instead of the registry.

use lade_types::PkgName;

use super::build::{Builder, Task};
use super::{Address, LinkTarget, Target};
use crate::dep_manifest::WantedDependency;
use crate::metadata::MetadataSource;
use crate::specifier::Selector;
use crate::{ResolveError, semver};

impl<S: MetadataSource> Builder<S> {
    pub(super) fn link_workspace(
        &mut self,
        task: &Task,
        dep: &WantedDependency,
        name: &PkgName,
        selector: &Selector,
    ) -> Result<Address, ResolveError> {
        let importer = self.graph.importers[task.importer].id.to_string();
        let candidates = self.workspace.get(name.as_str()).ok_or_else(|| {
            ResolveError::WorkspacePackageNotFound {
                project: importer.clone(),
                package: name.to_string(),
                specifier: dep.specifier.clone(),
            }
        })?;
        let chosen = candidates
            .iter()
            .filter(|(version, _)| match selector {
                Selector::Version(exact) => version == exact,
                Selector::Tag(_) => true,
                Selector::Range(range) => {
                    let include_prerelease = range == "*";
                    let range = semver::Range::parse(range, true, include_prerelease);
                    semver::SemVer::parse(version, true)
                        .is_some_and(|v| range.is_some_and(|r| r.test(&v)))
                }
            })
            .max_by(|a, b| semver::compare_loose(&a.0, &b.0))
            .ok_or_else(|| ResolveError::NoMatchingWorkspaceVersion {
                project: importer.clone(),
                package: name.to_string(),
                specifier: dep.specifier.clone(),
            })?;
        let (version, dir) = chosen.clone();
        Ok(link_address(dep, &importer, &dir, Some(version)))
    }

    pub(super) fn link_path(&mut self, task: &Task, dep: &WantedDependency, path: &str) -> Address {
        let importer = self.graph.importers[task.importer].id.to_string();
        let dir = join_relative(&importer, path);
        let version = self
            .workspace
            .values()
            .flatten()
            .find(|(_, project_dir)| *project_dir == dir)
            .map(|(version, _)| version.clone());
        link_address(dep, &importer, &dir, version)
    }
}

fn link_address(
    dep: &WantedDependency,
    importer: &str,
    dir: &str,
    version: Option<String>,
) -> Address {
    Address {
        alias: dep.alias.clone(),
        target: Target::Link(LinkTarget {
            dir: dir.to_owned(),
            reference: relative_path(importer, dir),
            version,
        }),
        pkg: None,
        is_new: false,
        reports_children_peers: false,
        normalized_specifier: Some(dep.specifier.clone()),
        locked: None,
    }
}

/// `base/path` normalized (`.` and `..` segments applied), with `/` separators.
pub(crate) fn join_relative(base: &str, path: &str) -> String {
    let mut parts: Vec<&str> = base.split('/').filter(|p| !p.is_empty() && *p != ".").collect();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    if parts.is_empty() { ".".to_owned() } else { parts.join("/") }
}

/// The path from directory `from` to `to`, both relative to the same root.
pub(crate) fn relative_path(from: &str, to: &str) -> String {
    let split = |p: &str| -> Vec<String> {
        p.split('/').filter(|s| !s.is_empty() && *s != ".").map(str::to_owned).collect()
    };
    let (from, to) = (split(from), split(to));
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_owned(); from.len() - common];
    parts.extend(to[common..].iter().cloned());
    parts.join("/")
}
