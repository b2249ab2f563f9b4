//! The lockfile an install uses: the one on disk when it satisfies every package.json, else a new
//! resolution of the workspace (its manifests, catalogs, overrides and package extensions, with
//! the old lockfile's versions preferred), written to pnpm-lock.yaml only when its bytes change.

pub(crate) mod input;
mod warnings;

use std::path::Path;
use std::sync::Arc;

use lade_lockfile::{Lockfile, ProjectForCheck, check_freshness};
use lade_registry::{MetadataCache, NetworkSettings, RegistryClient};
use lade_resolver::{RegistryMetadata, Resolved, Update};
use url::Url;

use crate::lockfile_settings::{expected_lockfile_settings, metadata_cache_dir};
use crate::project::{LOCKFILE_NAME, Workspace};
use crate::settings::registry_auth;
use crate::{Event, InstallError, LockfileMode, Reporter};

/// The lockfile to install: checked for freshness, resolved again when stale or missing (unless
/// frozen), and written back when it changed.
pub(crate) fn lockfile_for_install(
    workspace: &Workspace,
    mode: LockfileMode,
    network: &NetworkSettings,
    reporter: &dyn Reporter,
) -> Result<Lockfile, InstallError> {
    refuse_patches(workspace)?;
    let expected = expected_lockfile_settings(workspace)?;
    let freshness = workspace.lockfile.as_ref().map(|lockfile| {
        let projects: Vec<ProjectForCheck> = workspace
            .projects
            .iter()
            .map(|project| ProjectForCheck { id: &project.id, manifest: &project.manifest })
            .collect();
        check_freshness(lockfile, &projects, &expected)
    });
    match (freshness, mode) {
        (Some(Ok(())), LockfileMode::Frozen | LockfileMode::PreferFrozen) => {
            if let Some(lockfile) = workspace.lockfile.clone() {
                reporter.report(Event::LockfileUpToDate);
                return Ok(lockfile);
            }
        }
        (Some(Err(outdated)), LockfileMode::Frozen) => return Err(outdated.into()),
        (None, LockfileMode::Frozen) => {
            return Err(InstallError::NoLockfile { dir: workspace.lockfile_dir.clone() });
        }
        _ => {}
    }
    let resolved = resolve_workspace(workspace, network, &ResolveRequest::default(), reporter)?;
    if workspace.config.install.lockfile {
        write_if_changed(&workspace.lockfile_dir.join(LOCKFILE_NAME), &resolved.lockfile)?;
    }
    Ok(resolved.lockfile)
}

/// What a resolution is asked to change beyond what the manifests say.
#[derive(Debug, Default)]
pub(crate) struct ResolveRequest {
    pub update: Update,
    pub update_to_latest: bool,
}

/// Resolves the workspace as loaded (its manifests possibly edited in memory), keeping the
/// lockfile's versions unless its recorded settings changed, and reports the warnings.
pub(crate) fn resolve_workspace(
    workspace: &Workspace,
    network: &NetworkSettings,
    request: &ResolveRequest,
    reporter: &dyn Reporter,
) -> Result<Resolved, InstallError> {
    refuse_patches(workspace)?;
    let expected = expected_lockfile_settings(workspace)?;
    // Settings the old lockfile was resolved under no longer hold: pnpm resolves from scratch.
    let reusable = workspace
        .lockfile
        .as_ref()
        .filter(|lockfile| check_freshness(lockfile, &[], &expected).is_ok());
    let mut input = input::resolve_input(workspace, reusable.cloned())?;
    input.update = request.update.clone();
    input.update_to_latest = request.update_to_latest;
    let resolved = run_resolver(workspace, network, &input)?;
    warnings::report(workspace, &resolved, reporter);
    Ok(resolved)
}

/// Patches are not applied yet, so a project that asks for them (in its settings or its
/// lockfile) is refused rather than installed unpatched.
fn refuse_patches(workspace: &Workspace) -> Result<(), InstallError> {
    let configured = workspace.config.pnpm.patched_dependencies.len();
    let locked = workspace
        .lockfile
        .as_ref()
        .and_then(|lockfile| lockfile.patched_dependencies.as_ref())
        .map_or(0, |patches| patches.len());
    let count = configured.max(locked);
    if count > 0 {
        return Err(InstallError::PatchesUnsupported { count });
    }
    Ok(())
}

fn run_resolver(
    workspace: &Workspace,
    network: &NetworkSettings,
    input: &lade_resolver::ResolveInput,
) -> Result<Resolved, InstallError> {
    let config = &workspace.config;
    let client = Arc::new(RegistryClient::new(network.clone())?);
    let mut cache = MetadataCache::new(metadata_cache_dir(config))
        .prefer_offline(config.network.prefer_offline);
    // A document cached after the cutoff has every version old enough to pick; when the pick
    // needs a younger one, the resolver asks the registry again (pnpm's publishedBy shortcut).
    let age = std::time::Duration::from_secs(config.install.minimum_release_age * 60);
    if !age.is_zero()
        && let Some(cutoff) = std::time::SystemTime::now().checked_sub(age)
    {
        cache = cache.fresh_after(cutoff);
    }
    let default = config.registries.default.as_url().clone();
    let mut source = RegistryMetadata::new(client, default.clone(), Some(cache));
    let mut registries: Vec<Url> = vec![default];
    for (scope, url) in &config.registries.scoped {
        source = source.with_scope_registry(scope, url.as_url().clone());
        registries.push(url.as_url().clone());
    }
    for registry in &registries {
        if let Some(auth) = registry_auth(config, registry) {
            source = source.with_auth(registry, auth);
        }
    }
    let runtime =
        tokio::runtime::Builder::new_multi_thread().enable_all().build().map_err(|error| {
            InstallError::Internal(format!("cannot start the async runtime: {error}"))
        })?;
    let _span = tracing::info_span!("resolve", projects = input.projects.len()).entered();
    Ok(runtime.block_on(lade_resolver::resolve(Arc::new(source), input))?)
}

/// Writes `lockfile` unless the file already holds exactly these bytes, so an up-to-date project
/// is left untouched.
pub(crate) fn write_if_changed(path: &Path, lockfile: &Lockfile) -> Result<bool, InstallError> {
    let text = lockfile.to_file_string();
    match std::fs::read(path) {
        Ok(existing) if existing == text.as_bytes() => return Ok(false),
        Ok(_) => {}
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
        Err(error) => return Err(InstallError::io("read", path, error)),
    }
    crate::state::write_atomic(path, text.as_bytes())?;
    Ok(true)
}
