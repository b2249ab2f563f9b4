//! `lade update [pkg…] [--latest]`: the named packages (every package without names) are
//! resolved again at every depth, ignoring the lockfile's versions; the project's matching
//! direct dependencies get their specifiers moved to the new versions.

use lade_resolver::{Update, save_specifier};

use super::Edit;
use crate::resolve::ResolveRequest;
use crate::{InstallError, InstallOptions, InstallSummary, Reporter};

#[derive(Debug, Clone)]
pub struct UpdateOptions {
    pub install: InstallOptions,
    /// Name patterns (`*` wildcards); empty for every dependency.
    pub packages: Vec<String>,
    /// `-L`, `--latest`: to the `latest` dist-tag, whatever the specifier's range says.
    pub latest: bool,
    /// `-w`, `--workspace-root`.
    pub workspace_root: bool,
}

const FIELDS: [&str; 3] = ["optionalDependencies", "dependencies", "devDependencies"];

pub fn update(
    options: &UpdateOptions,
    reporter: &dyn Reporter,
) -> Result<InstallSummary, InstallError> {
    let mut edit = Edit::begin(&options.install, options.workspace_root)?;
    let update = if options.packages.is_empty() {
        Update::All
    } else {
        Update::Matching(options.packages.clone())
    };
    let request = ResolveRequest { update: update.clone(), update_to_latest: options.latest };
    let mut lockfile = edit.resolve(&request, reporter)?;
    let direct: Vec<(String, String)> = FIELDS
        .into_iter()
        .flat_map(|field| {
            let manifest = &edit.workspace.projects[edit.project].manifest;
            manifest
                .dependency_field(field_of(field))
                .into_iter()
                .flat_map(|deps| deps.iter())
                .map(|(name, spec)| (name.to_string(), spec.as_str().to_owned()))
                .collect::<Vec<_>>()
        })
        .filter(|(alias, _)| covers(&update, alias))
        .collect();
    let pin = edit.default_pin(false);
    for (alias, previous) in direct {
        if !is_registry_range(&previous) {
            continue;
        }
        let Some((name, version)) = edit.resolved(&lockfile, &alias) else { continue };
        let saved = save_specifier(&alias, &name, Some(&previous), Some(&previous), &version, pin);
        edit.save_specifier(&mut lockfile, &alias, &saved);
    }
    edit.finish(&lockfile, &options.install, reporter)
}

fn field_of(field: &str) -> lade_manifest::DependencyField {
    match field {
        "optionalDependencies" => lade_manifest::DependencyField::OptionalDependencies,
        "devDependencies" => lade_manifest::DependencyField::DevDependencies,
        _ => lade_manifest::DependencyField::Dependencies,
    }
}

fn covers(update: &Update, alias: &str) -> bool {
    match update {
        Update::None => false,
        Update::All => true,
        Update::Matching(patterns) => patterns.iter().any(|pattern| glob_match(pattern, alias)),
    }
}

/// A `*` wildcard match of a whole name.
fn glob_match(pattern: &str, name: &str) -> bool {
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or_default();
    let Some(mut rest) = name.strip_prefix(first) else { return false };
    let parts: Vec<&str> = parts.collect();
    let Some((last, middle)) = parts.split_last() else { return rest.is_empty() };
    for part in middle {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.ends_with(last)
}

/// Specifiers an update rewrites: registry versions and ranges (also behind `npm:`), not
/// workspace, catalog, link, file, git or URL ones.
fn is_registry_range(specifier: &str) -> bool {
    let bare = specifier.strip_prefix("npm:").map_or(specifier, |rest| {
        rest.get(1..).and_then(|r| r.find('@')).map_or("", |at| &rest[at + 2..])
    });
    !specifier.contains(':') || specifier.starts_with("npm:") && !bare.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrites_only_registry_specifiers() {
        assert!(is_registry_range("^1.0.0"));
        assert!(is_registry_range("latest"));
        assert!(is_registry_range("npm:b@^1"));
        assert!(!is_registry_range("workspace:*"));
        assert!(!is_registry_range("catalog:"));
        assert!(!is_registry_range("link:../a"));
        assert!(glob_match("@types/*", "@types/node") && !glob_match("@types/*", "types"));
    }
}
