//! The resolver's input from the loaded workspace: projects, settings, catalogs, overrides,
//! package extensions and the lockfile whose versions are kept.

use indexmap::IndexMap;
use lade_config::{Config, ResolutionMode};
use lade_lockfile::{ImporterId, Lockfile};
use lade_resolver::{PackageExtension, Project, ResolveInput, ResolveSettings};

use crate::InstallError;
use crate::lockfile_settings::catalogs;
use crate::project::Workspace;

pub(super) fn resolve_input(
    workspace: &Workspace,
    existing_lockfile: Option<Lockfile>,
) -> Result<ResolveInput, InstallError> {
    let config = &workspace.config;
    let projects = workspace
        .projects
        .iter()
        .map(|project| Project {
            id: ImporterId::new(project.id.clone()),
            manifest: project.manifest.clone(),
        })
        .collect();
    Ok(ResolveInput {
        projects,
        settings: resolve_settings(config),
        catalogs: catalogs(config),
        overrides: config.pnpm.overrides.clone(),
        package_extensions: package_extensions(config),
        ignored_optional_dependencies: config.pnpm.ignored_optional_dependencies.clone(),
        existing_lockfile,
        update: lade_resolver::Update::None,
        update_to_latest: false,
    })
}

fn resolve_settings(config: &Config) -> ResolveSettings {
    let install = &config.install;
    let defaults = ResolveSettings::default();
    ResolveSettings {
        auto_install_peers: install.auto_install_peers,
        dedupe_peer_dependents: install.dedupe_peer_dependents,
        dedupe_peers: install.dedupe_peers,
        resolve_peers_from_workspace_root: install.resolve_peers_from_workspace_root,
        exclude_links_from_lockfile: raw_bool(config, "exclude-links-from-lockfile")
            .unwrap_or(defaults.exclude_links_from_lockfile),
        peers_suffix_max_length: u64::from(config.layout.peers_suffix_max_length),
        resolution_mode: match install.resolution_mode {
            ResolutionMode::Highest => lade_resolver::ResolutionMode::Highest,
            ResolutionMode::TimeBased => lade_resolver::ResolutionMode::TimeBased,
            ResolutionMode::LowestDirect => lade_resolver::ResolutionMode::LowestDirect,
        },
        ignore_compatibility_db: raw_bool(config, "ignore-compatibility-db")
            .unwrap_or(defaults.ignore_compatibility_db),
        minimum_release_age_minutes: install.minimum_release_age,
        minimum_release_age_exclude: install.minimum_release_age_exclude.clone(),
        minimum_release_age_strict: install.minimum_release_age_strict,
        minimum_release_age_ignore_missing_time: install.minimum_release_age_ignore_missing_time,
        block_exotic_subdeps: install.block_exotic_subdeps,
    }
}

/// A boolean setting lade-config keeps only in its raw form.
pub(crate) fn raw_bool(config: &Config, key: &str) -> Option<bool> {
    match config.raw.get(key)? {
        lade_config::RawValue::Bool(value) => Some(*value),
        lade_config::RawValue::Str(text) => text.parse().ok(),
        _ => None,
    }
}

pub(crate) fn package_extensions(config: &Config) -> IndexMap<String, PackageExtension> {
    config
        .pnpm
        .package_extensions
        .iter()
        .map(|(selector, extension)| {
            let converted = PackageExtension {
                dependencies: extension.dependencies.clone(),
                optional_dependencies: extension.optional_dependencies.clone(),
                peer_dependencies: extension.peer_dependencies.clone(),
                peer_dependencies_meta: extension
                    .peer_dependencies_meta
                    .iter()
                    .map(|(name, meta)| (name.clone(), meta.optional))
                    .collect(),
            };
            (selector.clone(), converted)
        })
        .collect()
}
