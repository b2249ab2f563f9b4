//! pnpm 10's `satisfiesPackageManifest` (lockfile/verification): whether an importer still
//! records what its package.json asks for. Maps mimic JavaScript objects: a spread keeps a key's
//! first position and its last value, as `IndexMap::insert` does.

use indexmap::IndexMap;
use lade_manifest::{DependencyField, DependencyMap, PackageManifest};

use crate::{DependencyRef, ExpectedSettings, ProjectSnapshot};

type Specs<'a> = IndexMap<&'a str, &'a str>;

fn specs(map: Option<&DependencyMap>) -> Specs<'_> {
    map.into_iter()
        .flat_map(|m| m.iter().map(|(name, spec)| (name.as_str(), spec.as_str())))
        .collect()
}

/// `{...first, ...second, …}`.
fn spread<'a>(maps: &[&Specs<'a>]) -> Specs<'a> {
    let mut merged = Specs::new();
    for map in maps {
        merged.extend(map.iter().map(|(k, v)| (*k, *v)));
    }
    merged
}

/// JavaScript truthiness of `object[name]` for a string-valued object.
fn has(map: &Specs, name: &str) -> bool {
    map.get(name).is_some_and(|value| !value.is_empty())
}

fn without_links(mut map: Specs) -> Specs {
    map.retain(|_, spec| !spec.starts_with("link:"));
    map
}

pub(super) fn satisfies_manifest(
    importer: Option<&ProjectSnapshot>,
    manifest: &PackageManifest,
    expected: &ExpectedSettings,
) -> Result<(), String> {
    // pnpm's install context gives every project without an importer an empty one, so a missing
    // importer reads as one whose dependencies were all added.
    let empty = ProjectSnapshot::default();
    let importer = importer.unwrap_or(&empty);
    let optional = specs(manifest.optional_dependencies.as_ref());
    let dev = specs(manifest.dev_dependencies.as_ref());
    let mut dependencies = specs(manifest.dependencies.as_ref());
    let mut existing = spread(&[&dev, &dependencies, &optional]);
    if expected.auto_install_peers {
        let peers = specs(manifest.peer_dependencies.as_ref());
        let missing_peers: Specs = peers
            .iter()
            .filter(|(name, _)| !existing.contains_key(*name))
            .map(|(k, v)| (*k, *v))
            .collect();
        dependencies = spread(&[&missing_peers, &dependencies]);
        existing = spread(&[&peers, &existing]);
    }
    // The lockfile's specifiers across fields, in the order pnpm's reader collects them.
    let recorded: Specs = [
        DependencyField::Dependencies,
        DependencyField::DevDependencies,
        DependencyField::OptionalDependencies,
    ]
    .into_iter()
    .flat_map(|field| importer.dependency_field(field).into_iter().flatten())
    .map(|(name, dep)| (name.as_str(), dep.specifier.as_str()))
    .collect();
    let (compared_recorded, compared_existing) = if expected.exclude_links_from_lockfile {
        (without_links(recorded.clone()), without_links(existing))
    } else {
        (recorded.clone(), existing)
    };
    let diff = spec_diff(&compared_recorded, &compared_existing);
    if !diff.is_empty() {
        return Err(format!(
            "specifiers in the lockfile don't match specifiers in package.json:\n{diff}"
        ));
    }
    if importer.publish_directory.as_deref() != manifest.publish_directory() {
        return Err(format!(
            "\"publishDirectory\" in the lockfile ({}) doesn't match \"publishConfig.directory\" in package.json ({})",
            importer.publish_directory.as_deref().unwrap_or("undefined"),
            manifest.publish_directory().unwrap_or("undefined"),
        ));
    }
    let no_meta = IndexMap::new();
    if manifest.dependencies_meta.as_ref().unwrap_or(&no_meta)
        != importer.dependencies_meta.as_ref().unwrap_or(&no_meta)
    {
        return Err(format!(
            "importer dependencies meta ({}) doesn't match package manifest dependencies meta ({})",
            json_or_undefined(importer.dependencies_meta.as_ref()),
            json_or_undefined(manifest.dependencies_meta.as_ref()),
        ));
    }
    for field in DependencyField::ALL {
        let wanted = match field {
            DependencyField::OptionalDependencies => &optional,
            DependencyField::Dependencies => &dependencies,
            DependencyField::DevDependencies => &dev,
        };
        let wanted = if expected.exclude_links_from_lockfile {
            without_links(wanted.clone())
        } else {
            wanted.clone()
        };
        let names: Vec<&str> = wanted
            .keys()
            .copied()
            .filter(|name| match field {
                DependencyField::OptionalDependencies => true,
                DependencyField::Dependencies => !has(&optional, name),
                DependencyField::DevDependencies => {
                    !has(&optional, name) && !has(&dependencies, name)
                }
            })
            .collect();
        check_field(field, importer, &recorded, &wanted, &names)?;
    }
    Ok(())
}

fn check_field(
    field: DependencyField,
    importer: &ProjectSnapshot,
    recorded: &Specs,
    wanted: &Specs,
    names: &[&str],
) -> Result<(), String> {
    let resolved: IndexMap<&str, &DependencyRef> = importer
        .dependency_field(field)
        .into_iter()
        .flat_map(|deps| deps.iter().map(|(name, dep)| (name.as_str(), &dep.version)))
        .collect();
    let non_linked = resolved
        .values()
        .filter(|r| !r.as_str().contains("link:") && !r.as_str().contains("file:"))
        .count();
    if names.len() != resolved.len() && names.len() != non_linked {
        let resolved_json: IndexMap<&str, &str> =
            resolved.iter().map(|(k, v)| (*k, v.as_str())).collect();
        return Err(format!(
            "\"{}\" in the lockfile ({}) doesn't match the same field in package.json ({})",
            field.as_str(),
            serde_json::to_string(&resolved_json).unwrap_or_default(),
            serde_json::to_string(wanted).unwrap_or_default(),
        ));
    }
    for &name in names {
        let specifier = recorded.get(name).copied();
        let reference = resolved.get(name).filter(|r| !r.as_str().is_empty());
        let Some(reference) = reference.filter(|_| specifier == wanted.get(name).copied()) else {
            return Err(format!(
                "importer {}.{name} specifier {} don't match package manifest specifier ({})",
                field.as_str(),
                specifier.unwrap_or("undefined"),
                wanted.get(name).copied().unwrap_or("undefined"),
            ));
        };
        let Some(range) = specifier.and_then(|s| node_semver::Range::parse(s).ok()) else {
            continue;
        };
        let version = reference.without_peers();
        if let Ok(parsed) = node_semver::Version::parse(version)
            && !range.satisfies(&parsed)
        {
            return Err(format!(
                "The importer resolution is broken at dependency \"{name}\": version \"{version}\" doesn't satisfy range \"{}\"",
                specifier.unwrap_or_default(),
            ));
        }
    }
    Ok(())
}

/// pnpm's `displaySpecDiff` of `diffFlatRecords(lockfile, manifest)`; empty when they agree.
fn spec_diff(recorded: &Specs, wanted: &Specs) -> String {
    let removed: Vec<String> = recorded
        .iter()
        .filter(|(k, _)| !wanted.contains_key(*k))
        .map(|(k, v)| format!("{k}@{v}"))
        .collect();
    let modified: Vec<String> = recorded
        .iter()
        .filter_map(|(k, v)| {
            wanted
                .get(k)
                .filter(|w| *w != v)
                .map(|w| format!("  - {k} (lockfile: {v}, manifest: {w})\n"))
        })
        .collect();
    let added: Vec<String> = wanted
        .iter()
        .filter(|(k, _)| !recorded.contains_key(*k))
        .map(|(k, v)| format!("{k}@{v}"))
        .collect();
    let mut out = String::new();
    if !added.is_empty() {
        out += &format!("* {} dependencies were added: {}\n", added.len(), added.join(", "));
    }
    if !removed.is_empty() {
        out += &format!("* {} dependencies were removed: {}\n", removed.len(), removed.join(", "));
    }
    if !modified.is_empty() {
        out += &format!("* {} dependencies are mismatched:\n{}", modified.len(), modified.concat());
    }
    out
}

fn json_or_undefined<T: serde::Serialize>(value: Option<&T>) -> String {
    value.and_then(|v| serde_json::to_string(v).ok()).unwrap_or_else(|| "undefined".to_owned())
}
