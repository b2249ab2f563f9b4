//! The resolution pass: pnpm's `resolveDependencyTree`, run breadth-first. Each level's
//! packuments are fetched together; a package's children are resolved once, where it is first
//! met, with the versions its parent and the parent's siblings picked as preferred.

use std::collections::{HashMap, HashSet};
use std::rc::Rc;
use std::sync::Arc;

use indexmap::{IndexMap, IndexSet};
use lade_lockfile::ImporterId;
use lade_types::PkgName;

use super::fetch::Fetcher;
use super::publish_policy::PublishPolicy;
use super::{Address, Node, NodeId, NodeKind, Package, PackageId, Target};
use crate::ResolveError;
use crate::dep_manifest::{DepManifest, WantedDependency};
use crate::hooks::Hooks;
use crate::locked::Locked;
use crate::metadata::MetadataSource;
use crate::options::{ResolutionMode, ResolveInput, Update};
use crate::pick::RangeCache;
use crate::preferred::{
    DIRECT_DEPENDENCY_WEIGHT, Preferred, PreferredSelector, SelectorKind, SelectorMap,
};
use crate::specifier::{Selector, Wanted};

/// The outcome of the resolution pass.
#[derive(Debug, Default)]
pub(crate) struct Graph {
    pub packages: Vec<Package>,
    pub nodes: Vec<Node>,
    pub importers: Vec<ImporterState>,
    /// Every name some package declares as a peer (pnpm's `allPeerDepNames`).
    pub peer_names: HashSet<String>,
    /// Every version resolved per package name (pnpm's `allPreferredVersions`).
    pub resolved_versions: HashMap<String, IndexSet<String>>,
    /// (name, version) picked though younger than `minimumReleaseAge`, as no older version
    /// matched.
    pub immature: IndexSet<(String, String)>,
    /// Packages whose metadata has no publish times, picked without the age check.
    pub missing_time: IndexSet<String>,
}

#[derive(Debug)]
pub(crate) struct ImporterState {
    pub id: ImporterId,
    pub manifest: DepManifest,
    pub wanted: Vec<WantedDependency>,
    /// Direct dependencies, in resolution order; auto-installed peers are appended.
    pub addresses: Vec<Address>,
    /// Alias → (catalog, specifier) for `catalog:` dependencies.
    pub catalog_lookups: IndexMap<String, (String, String)>,
    pub preferred: Preferred,
}

impl Graph {
    pub(crate) fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id.0 as usize]
    }

    pub(crate) fn package(&self, id: PackageId) -> &Package {
        &self.packages[id.0 as usize]
    }
}

pub(crate) enum Parent {
    Importer,
    Node(NodeId),
}

/// One `resolveDependencies` call: the dependencies of one parent.
pub(crate) struct Task {
    pub parent: Parent,
    pub importer: usize,
    pub wanted: Vec<WantedDependency>,
    pub preferred: Preferred,
    pub depth: u32,
    pub chain: Rc<Vec<PackageId>>,
    /// The importer's own first level, whose versions are preferred with a direct weight.
    pub top: bool,
}

pub(crate) struct Builder<S> {
    pub fetcher: Fetcher<S>,
    pub graph: Graph,
    pub(super) ranges: RangeCache,
    pub(super) hooks: Hooks,
    pub(super) by_id: HashMap<String, PackageId>,
    /// Workspace project name → (version, directory) of each project with that name.
    pub(super) workspace: HashMap<String, Vec<(String, String)>>,
    auto_install_peers: bool,
    resolve_peers_from_root: bool,
    pub(super) lowest_direct: bool,
    pub(super) block_exotic_subdeps: bool,
    pub(super) publish: PublishPolicy,
    locked: Locked,
}

/// Resolves every project's dependencies, then the peers they miss.
pub(crate) async fn build_graph<S: MetadataSource>(
    source: Arc<S>,
    input: &ResolveInput,
) -> Result<Graph, ResolveError> {
    let mut builder = Builder::new(source, input)?;
    let tasks = builder.importer_tasks(input)?;
    let direct = builder.run(tasks).await?;
    for (importer, addresses) in direct.into_iter().enumerate() {
        builder.graph.importers[importer].addresses = addresses;
    }
    builder.hoist_missing_peers().await?;
    Ok(builder.graph)
}

impl<S: MetadataSource> Builder<S> {
    fn new(source: Arc<S>, input: &ResolveInput) -> Result<Self, ResolveError> {
        let mut workspace: HashMap<String, Vec<(String, String)>> = HashMap::new();
        for project in &input.projects {
            if let (Some(name), Some(version)) = (&project.manifest.name, &project.manifest.version)
            {
                workspace
                    .entry(name.clone())
                    .or_default()
                    .push((version.clone(), project.id.as_str().to_owned()));
            }
        }
        let mut graph = Graph::default();
        if let Some(existing) = &input.existing_lockfile {
            for key in existing.packages.keys() {
                graph
                    .resolved_versions
                    .entry(key.name().to_owned())
                    .or_default()
                    .insert(key.version().to_owned());
            }
        }
        let publish = PublishPolicy::new(&input.settings)?;
        Ok(Builder {
            fetcher: Fetcher::new(source, publish.documents()),
            graph,
            ranges: RangeCache::default(),
            hooks: Hooks::new(input)?,
            by_id: HashMap::new(),
            workspace,
            auto_install_peers: input.settings.auto_install_peers,
            resolve_peers_from_root: input.settings.resolve_peers_from_workspace_root,
            lowest_direct: matches!(
                input.settings.resolution_mode,
                ResolutionMode::LowestDirect | ResolutionMode::TimeBased
            ),
            block_exotic_subdeps: input.settings.block_exotic_subdeps,
            publish,
            locked: Locked::new(input.existing_lockfile.as_ref(), &input.update),
        })
    }

    fn importer_tasks(&mut self, input: &ResolveInput) -> Result<Vec<Task>, ResolveError> {
        let base = base_preferred(input);
        let mut tasks = Vec::new();
        for (index, project) in input.projects.iter().enumerate() {
            let mut manifest = DepManifest::from_project(&project.manifest);
            let name = project.manifest.name.clone().unwrap_or_default();
            let version = project.manifest.version.clone().unwrap_or_default();
            self.hooks.apply(&name, &version, &mut manifest);
            let mut wanted = manifest.wanted_of_project(self.auto_install_peers);
            let mut catalog_lookups = IndexMap::new();
            for dep in &mut wanted {
                if let Some(raw) = raw_specifier(&project.manifest, &dep.alias) {
                    dep.locked = self.locked.of_importer(project.id.as_str(), &dep.alias, raw);
                }
                dep.to_latest = input.update_to_latest && updates(&input.update, &dep.alias);
                let Some(rest) = dep.specifier.strip_prefix("catalog:") else { continue };
                let catalog = if rest.is_empty() { "default" } else { rest };
                let specifier =
                    input.catalogs.get(catalog).and_then(|c| c.get(&dep.alias)).ok_or_else(
                        || ResolveError::CatalogEntryNotFound {
                            project: project.id.to_string(),
                            package: dep.alias.clone(),
                            catalog: catalog.to_owned(),
                        },
                    )?;
                catalog_lookups.insert(dep.alias.clone(), (catalog.to_owned(), specifier.clone()));
                dep.specifier = specifier.clone();
            }
            self.graph.importers.push(ImporterState {
                id: project.id.clone(),
                manifest,
                wanted: wanted.clone(),
                addresses: Vec::new(),
                catalog_lookups,
                preferred: base.clone(),
            });
            tasks.push(Task {
                parent: Parent::Importer,
                importer: index,
                wanted,
                preferred: base.clone(),
                depth: 0,
                chain: Rc::new(Vec::new()),
                top: true,
            });
        }
        Ok(tasks)
    }

    /// Resolves `tasks` and everything below them; returns the addresses of each task.
    pub(crate) async fn run(
        &mut self,
        tasks: Vec<Task>,
    ) -> Result<Vec<Vec<Address>>, ResolveError> {
        let mut firsts: Option<Vec<Vec<Address>>> = None;
        let mut level = tasks;
        while !level.is_empty() {
            for task in &level {
                for dep in &task.wanted {
                    if let Some(Wanted::Registry { name, .. }) =
                        parse_wanted(&dep.alias, &dep.specifier)
                    {
                        self.fetcher.request(&name);
                    }
                }
            }
            self.fetcher.settle().await;
            let mut next = Vec::new();
            let mut outputs = Vec::new();
            for task in &level {
                let addresses = self.resolve_task(task, &mut next)?;
                outputs.push(addresses);
            }
            if firsts.is_none() {
                let times: Vec<i64> = outputs
                    .iter()
                    .flatten()
                    .filter_map(|address| address.pkg)
                    .filter_map(|pkg| self.graph.package(pkg).facts.published_at.as_deref())
                    .filter_map(crate::publish_time::parse_millis)
                    .collect();
                self.publish.settle_direct(times.into_iter());
                firsts = Some(outputs);
            }
            level = next;
        }
        Ok(firsts.unwrap_or_default())
    }

    fn resolve_task(
        &mut self,
        task: &Task,
        next: &mut Vec<Task>,
    ) -> Result<Vec<Address>, ResolveError> {
        let mut addresses = Vec::new();
        for dep in &task.wanted {
            if let Some(address) = self.resolve_dependency(task, dep)? {
                addresses.push(address);
            }
        }
        let weight = if task.top { DIRECT_DEPENDENCY_WEIGHT } else { 1 };
        let picked: Vec<(String, String)> = addresses
            .iter()
            .filter_map(|a| a.pkg)
            .map(|p| {
                (self.graph.package(p).name.to_string(), self.graph.package(p).version.clone())
            })
            .collect();
        let preferred = task
            .preferred
            .with_versions(picked.iter().map(|(n, v)| (n.as_str(), v.as_str())), weight);
        for address in addresses.iter().filter(|a| a.is_new) {
            let (Some(pkg), Target::Node(node)) = (address.pkg, &address.target) else { continue };
            if self.graph.package(pkg).is_leaf {
                continue;
            }
            let mut chain = (*task.chain).clone();
            chain.push(pkg);
            let mut wanted = self.graph.package(pkg).manifest.wanted_of_package();
            if let Some(parent) = &address.locked {
                for dep in &mut wanted {
                    dep.locked = self.locked.of_package(parent, &dep.alias);
                }
            }
            for dep in &wanted {
                if let Some(Wanted::Registry { name, .. }) =
                    parse_wanted(&dep.alias, &dep.specifier)
                {
                    self.fetcher.request(&name);
                }
            }
            next.push(Task {
                parent: Parent::Node(*node),
                importer: task.importer,
                wanted,
                preferred: preferred.clone(),
                depth: task.depth + 1,
                chain: Rc::new(chain),
                top: false,
            });
        }
        if let Parent::Node(node) = task.parent {
            let children: Vec<(String, Target)> =
                addresses.iter().map(|a| (a.alias.clone(), a.target.clone())).collect();
            let pkg = self.graph.node(node).pkg;
            self.graph.packages[pkg.0 as usize].children = children.clone();
            if let NodeKind::Expanded { children: slot, .. } =
                &mut self.graph.nodes[node.0 as usize].kind
            {
                *slot = children;
            }
        }
        Ok(addresses)
    }

    pub(crate) fn auto_install_peers(&self) -> bool {
        self.auto_install_peers
    }

    pub(crate) fn resolve_peers_from_workspace_root(&self) -> bool {
        self.resolve_peers_from_root
    }

    pub(crate) fn push_node(&mut self, node: Node) -> NodeId {
        self.graph.nodes.push(node);
        NodeId((self.graph.nodes.len() - 1) as u32)
    }
}

pub(crate) fn parse_wanted(alias: &str, specifier: &str) -> Option<Wanted> {
    let alias = PkgName::parse(alias).ok()?;
    Wanted::parse(&alias, specifier)
}

/// Whether an update request covers the direct dependency `alias`.
fn updates(update: &Update, alias: &str) -> bool {
    match update {
        Update::None => false,
        Update::All => true,
        Update::Matching(patterns) => {
            let patterns: Vec<_> =
                patterns.iter().map(|p| crate::hooks::NamePattern::new(p)).collect();
            crate::hooks::matches_any(&patterns, alias)
        }
    }
}

/// The specifier a project's manifest gives `alias` (as the lockfile records it: before
/// overrides and catalogs), in the field that wins.
fn raw_specifier<'m>(manifest: &'m lade_manifest::PackageManifest, alias: &str) -> Option<&'m str> {
    [
        &manifest.optional_dependencies,
        &manifest.dependencies,
        &manifest.dev_dependencies,
        &manifest.peer_dependencies,
    ]
    .into_iter()
    .flatten()
    .find_map(|deps| deps.get(alias))
    .map(|spec| spec.as_str())
}

/// The preferred versions every resolution starts from: the projects' specifiers (direct weight)
/// and the versions of the existing lockfile.
fn base_preferred(input: &ResolveInput) -> Preferred {
    let mut maps: HashMap<String, SelectorMap> = HashMap::new();
    if input.update != Update::None {
        return Preferred::from_maps(maps);
    }
    for project in &input.projects {
        let m = &project.manifest;
        for deps in
            [&m.dev_dependencies, &m.dependencies, &m.optional_dependencies].into_iter().flatten()
        {
            for (name, spec) in deps.iter() {
                let kind = match Selector::parse(spec.as_str()) {
                    Some(Selector::Version(_)) => SelectorKind::Version,
                    Some(Selector::Range(_)) => SelectorKind::Range,
                    Some(Selector::Tag(_)) => SelectorKind::Tag,
                    None => continue,
                };
                maps.entry(name.to_string()).or_default().insert(
                    spec.as_str().to_owned(),
                    PreferredSelector { kind, weight: DIRECT_DEPENDENCY_WEIGHT },
                );
            }
        }
    }
    if let Some(existing) = &input.existing_lockfile {
        for key in existing.packages.keys() {
            maps.entry(key.name().to_owned())
                .or_default()
                .entry(key.version().to_owned())
                .or_insert(PreferredSelector { kind: SelectorKind::Version, weight: 1 });
        }
    }
    Preferred::from_maps(maps)
}
