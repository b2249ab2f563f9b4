//! `lade install` from a lockfile, as a table of contents.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use lade_fetch::Fetcher;
use lade_linker::{Layout, NodeId, WorkspacePackage, hoist};
use lade_lockfile::Lockfile;
use lade_registry::RegistryClient;
use lade_store::{PackageFilesIndex, StoreDir, StoreIndex, decode_package_files_index};
use rayon::prelude::*;
use tracing::info_span;

use crate::cold::{ColdFetch, fetch_and_link};
use crate::graph::{self, InstallGraph};
use crate::gvs;
use crate::index_writer::IndexWriter;
use crate::link::{Linked, Linker, link_all_bins};
use crate::plan::{self, InstallPlan};
use crate::progress::Counters;
use crate::project::Workspace;
use crate::project_lock::ProjectLock;
use crate::prune::{Pruning, modules_cache_max_age};
use crate::resolve::lockfile_for_install;
use crate::settings::InstallSettings;
use crate::state::{self, CurrentState};
use crate::store_session;
use crate::summary;
use crate::{Event, InstallError, InstallOptions, InstallSummary, Progress, Reporter};

/// Store rows by node id; `None` for a package the store does not describe.
pub(crate) type NodeRows = Vec<Option<Arc<PackageFilesIndex>>>;

pub fn install(
    options: &InstallOptions,
    reporter: &dyn Reporter,
) -> Result<InstallSummary, InstallError> {
    let started = Instant::now();
    let workspace = info_span!("config").in_scope(|| Workspace::load(options))?;
    for warning in &workspace.config.warnings {
        reporter.report(Event::Warning(&warning.to_string()));
    }
    let settings = InstallSettings::resolve(&workspace)?;
    let lockfile =
        &lockfile_for_install(&workspace, options.lockfile_mode, &settings.network, reporter)?;
    if options.lockfile_only {
        let resolved = lockfile.packages.len();
        reporter.report(Event::ProgressDone(Progress { resolved, ..Progress::default() }));
        let summary = summary::unchanged(started);
        reporter.report(Event::Summary(&summary));
        return Ok(summary);
    }
    let layout = gvs::layout(&workspace);
    let _project_lock = ProjectLock::acquire(&layout, reporter)?;
    let current = CurrentState::read(&layout)?;
    let lockfile_text = lockfile.to_file_string();
    let mut modules = settings.modules_yaml(&workspace);
    modules.virtual_store_dir = layout.recorded_virtual_store_dir();
    if current.is_up_to_date(&lockfile_text, &modules) {
        reporter.report(Event::AlreadyUpToDate);
        return Ok(summary::unchanged(started));
    }

    let mut graph =
        info_span!("graph").in_scope(|| graph::build(lockfile, &settings.graph_options()))?;
    let builds = gvs::BuildPolicy::new(&workspace.config.pnpm.builds);
    let staging = layout.global_virtual_store_dir().map(|_| gvs::SlotStaging::new(&builds));
    if staging.is_some() {
        info_span!("slots")
            .in_scope(|| gvs::assign_slots(&mut graph, lockfile, &workspace, &settings, &builds))?;
    }
    let store = StoreDir::new(&workspace.config.dirs.store);
    let _store_lock = store_session::hold(&store, &workspace.lockfile_dir, reporter)?;
    let plan = info_span!("plan").in_scope(|| {
        let plan = || plan_install(&workspace, lockfile, &graph, &store, &layout, &current);
        match plan() {
            Err(error) if store_session::is_corrupt_index(&error) => {
                store_session::set_aside_corrupt_index(&store, reporter)?;
                plan()
            }
            planned => planned,
        }
    })?;
    let workspace_packages = workspace_packages(&workspace);
    let hoisting = info_span!("hoist").in_scope(|| {
        hoist(&graph.deps, &graph.importers, &workspace_packages, &settings.hoist_patterns)
    });
    let previous = current.lockfile();
    let pruning = Pruning::plan(
        &layout,
        previous.as_ref(),
        current.modules.as_ref(),
        &graph,
        &hoisting,
        settings.virtual_store_dir_max_length,
        modules_cache_max_age(&workspace.config),
    );
    reporter.report(Event::PackagesToAdd {
        added: graph.deps.len() - plan.unchanged.len(),
        removed: pruning.removed_packages(),
    });
    info_span!("prune").in_scope(|| pruning.apply())?;

    let counters = Counters::new(reporter, graph.deps.len());
    let linker = Linker {
        layout: &layout,
        graph: &graph,
        store: &store,
        import: settings.import_options(),
        counters: &counters,
        slots: staging.as_ref(),
    };
    // Symlinks need no package contents, so they are made while the packages are imported.
    let link_tops = || {
        let dirs: Vec<_> = workspace_packages.iter().map(|package| package.dir.clone()).collect();
        linker.link_importers()?;
        linker.link_hoisted(&hoisting, &dirs)
    };
    std::fs::create_dir_all(layout.virtual_store_dir())
        .map_err(|error| InstallError::io("create", layout.virtual_store_dir(), error))?;
    lade_store::spread_subdirectories(layout.virtual_store_dir());
    let rows = fill_virtual_store(&linker, &workspace, &settings, plan, link_tops)?;
    if let Some(staging) = &staging {
        let row_of = |id: NodeId| rows[id.index()].as_deref();
        info_span!("slots_finish").in_scope(|| staging.finish(&linker, &row_of))?;
    }
    info_span!("bins").in_scope(|| {
        let row_of = |id: NodeId| rows[id.index()].as_deref();
        let extra = layout.extra_node_paths(&settings.hoist_patterns.private);
        link_all_bins(&linker, &hoisting, &row_of, &extra, settings.bins_plan_options())
    })?;
    counters.done();

    modules.pruned_at = pruning.pruned_at(current.modules.as_ref(), modules.pruned_at);
    modules.hoisted_dependencies = hoisting.hoisted_dependencies;
    modules.skipped = graph.skipped.iter().cloned().collect();
    modules.pending_builds = summary::pending_builds(&graph, &rows);
    if !modules.pending_builds.is_empty() {
        reporter.report(Event::SkippedBuilds(&modules.pending_builds));
    }
    state::write(&layout, &lockfile_text, &modules)?;
    let summary = summary::of_install(lockfile, &graph, started);
    reporter.report(Event::Summary(&summary));
    Ok(summary)
}

fn plan_install(
    workspace: &Workspace,
    wanted: &Lockfile,
    graph: &InstallGraph,
    store: &StoreDir,
    layout: &Layout,
    current: &CurrentState,
) -> Result<InstallPlan, InstallError> {
    let sources = plan::store_sources(graph, &workspace.config.registries)?;
    // A complete global slot needs no row: its commands are read from its package.json.
    let complete = gvs::complete_slots(graph, layout);
    let keys: Vec<&str> = sources
        .iter()
        .enumerate()
        .filter(|(index, _)| !complete.get(*index).is_some_and(|done| *done))
        .map(|(_, (key, _))| key.as_str())
        .collect();
    let rows = read_store_rows(store, &keys)?;
    let previous = current.lockfile();
    let unchanged = |id: NodeId| {
        if layout.global_virtual_store_dir().is_some() {
            return complete[id.index()];
        }
        let node = graph.deps.node(id);
        let Some(previous) = &previous else { return false };
        plan::same_as_current(wanted, previous, &node.dep_path) && layout.package_dir(node).exists()
    };
    Ok(plan::plan(graph, sources, rows, unchanged))
}

/// One batched read of every row the install needs, decoded in parallel.
fn read_store_rows(
    store: &StoreDir,
    keys: &[&str],
) -> Result<HashMap<String, Arc<PackageFilesIndex>>, InstallError> {
    if keys.is_empty() {
        return Ok(HashMap::new());
    }
    let Some(index) = StoreIndex::open_readonly(store)? else { return Ok(HashMap::new()) };
    let mut unique: Vec<String> = keys.iter().map(|key| (*key).to_owned()).collect();
    unique.sort_unstable();
    unique.dedup();
    let raw = index.get_many_raw(&unique)?;
    Ok(raw
        .into_par_iter()
        .filter_map(|(key, bytes)| match decode_package_files_index(&bytes) {
            Ok(row) => Some((key, Arc::new(row))),
            Err(error) => {
                // An undecodable row is a cache miss: the package is fetched again.
                tracing::debug!(key, %error, "skipping undecodable store row");
                None
            }
        })
        .collect())
}

/// Imports warm packages in one parallel pass, then fetches cold ones (and any warm package
/// whose store files turned out stale) through the download pipeline.
fn fill_virtual_store(
    linker: &Linker,
    workspace: &Workspace,
    settings: &InstallSettings,
    plan: InstallPlan,
    link_tops: impl FnOnce() -> Result<(), InstallError> + Send,
) -> Result<NodeRows, InstallError> {
    let InstallPlan { keys, mut rows, warm, mut cold, unchanged: _ } = plan;
    let (stale, tops) = info_span!("link_warm", packages = warm.len()).in_scope(|| {
        linker.counters.reused(warm.len());
        let import_warm = || {
            warm.par_iter()
                .map(|id| match linker.link_package(*id, &rows[&keys[id.index()]])? {
                    Linked::Done => Ok(None),
                    Linked::NeedsRefetch => Ok(Some(*id)),
                })
                .collect::<Result<Vec<Option<NodeId>>, InstallError>>()
        };
        rayon::join(import_warm, link_tops)
    });
    let stale = stale?;
    tops?;
    let stale: Vec<NodeId> = stale.into_iter().flatten().collect();
    for id in &stale {
        rows.remove(&keys[id.index()]);
    }
    cold.extend(plan::refetch(linker.graph, &workspace.config.registries, &stale)?);
    if !cold.is_empty() {
        let fetched = info_span!("fetch_cold", packages = cold.len())
            .in_scope(|| fetch_cold(linker, workspace, settings, cold))?;
        rows.extend(fetched);
    }
    Ok(keys.iter().map(|key| rows.get(key).cloned()).collect())
}

fn fetch_cold(
    linker: &Linker,
    workspace: &Workspace,
    settings: &InstallSettings,
    cold: Vec<plan::ColdPackage>,
) -> Result<HashMap<String, Arc<PackageFilesIndex>>, InstallError> {
    let client = RegistryClient::new(settings.network.clone())?;
    let fetcher = Fetcher::new(client, linker.store);
    let writer = IndexWriter::start(linker.store)?;
    let config = &workspace.config;
    let auth = |url: &url::Url| crate::settings::registry_auth(config, url);
    let fetch = ColdFetch {
        fetcher: &fetcher,
        linker,
        auth: &auth,
        concurrency: settings.network.network_concurrency,
        rows: writer.sender(),
    };
    let fetched = fetch_and_link(cold, &fetch);
    drop(fetch);
    let written = writer.finish();
    let fetched = fetched?;
    written?;
    Ok(fetched)
}

/// The workspace's projects as hoisting sees them: every named project but the root.
fn workspace_packages(workspace: &Workspace) -> Vec<WorkspacePackage> {
    workspace
        .projects
        .iter()
        .filter(|project| project.id != ".")
        .filter_map(|project| {
            Some(WorkspacePackage {
                importer: lade_linker::ImporterId::new(project.id.clone()),
                name: project.manifest.pkg_name()?,
                dir: project.dir.clone(),
            })
        })
        .collect()
}
