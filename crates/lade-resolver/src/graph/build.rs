//! The resolution pass: pnpm's `resolveDependencyTree`, run breadth-first. Each level's
//! packuments are fetched together; a package's children are resolved once, where it is first
//! met, with the versions its parent and the parent's siblings picked as preferred.

use std::collections::{HashMap, HashSet};
use std::rc::Rc;
use std::sync::Arc;

use indexmap::{IndexMap, IndexSet};
use lade_lockfile::ImporterId;
use lade_registry::{BundledDependencies, PackumentVersion};
use lade_types::PkgName;

use super::fetch::Fetcher;
use super::{
    Address, LinkTarget, Node, NodeId, NodeKind, Package, PackageFacts, PackageId, Target,
};
use crate::dep_manifest::{DepManifest, WantedDependency};
use crate::hooks::Hooks;
use crate::metadata::MetadataSource;
use crate::options::{ResolutionMode, ResolveInput};
use crate::pick::{RangeCache, pick};
use crate::preferred::{
    DIRECT_DEPENDENCY_WEIGHT, Preferred, PreferredSelector, SelectorKind, SelectorMap,
};
use crate::specifier::{Selector, Wanted};
use crate::{ResolveError, semver};

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
    ranges: RangeCache,
    hooks: Hooks,
    by_id: HashMap<String, PackageId>,
    workspace: HashMap<String, Vec<(String, String)>>,
    auto_install_peers: bool,
    resolve_peers_from_root: bool,
    lowest_direct: bool,
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
        Ok(Builder {
            fetcher: Fetcher::new(source),
            graph,
            ranges: RangeCache::default(),
            hooks: Hooks::new(input)?,
            by_id: HashMap::new(),
            workspace,
            auto_install_peers: input.settings.auto_install_peers,
            resolve_peers_from_root: input.settings.resolve_peers_from_workspace_root,
            lowest_direct: input.settings.resolution_mode == ResolutionMode::LowestDirect,
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
            let wanted = self.graph.package(pkg).manifest.wanted_of_package();
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

    fn resolve_dependency(
        &mut self,
        task: &Task,
        dep: &WantedDependency,
    ) -> Result<Option<Address>, ResolveError> {
        let parent_name = || match task.parent {
            Parent::Importer => self.graph.importers[task.importer].id.to_string(),
            Parent::Node(n) => self.graph.package(self.graph.node(n).pkg).id.clone(),
        };
        let Some(wanted) = parse_wanted(&dep.alias, &dep.specifier) else {
            if dep.optional {
                return Ok(None);
            }
            return Err(ResolveError::InvalidSpecifier {
                parent: parent_name(),
                package: dep.alias.clone(),
                specifier: dep.specifier.clone(),
            });
        };
        let (name, selector) = match wanted {
            Wanted::Registry { name, selector } => (name, selector),
            Wanted::Workspace { name, selector } if task.depth == 0 => {
                return self.link_workspace(task, dep, &name, &selector).map(Some);
            }
            Wanted::Link { path } if task.depth == 0 => {
                return Ok(Some(self.link_path(task, dep, &path)));
            }
            _ if dep.optional => return Ok(None),
            _ => {
                return Err(ResolveError::UnsupportedSpecifier {
                    parent: parent_name(),
                    package: dep.alias.clone(),
                    specifier: dep.specifier.clone(),
                });
            }
        };
        let meta = match self.fetcher.get(&name) {
            Ok(meta) => meta,
            Err(_) if dep.optional => return Ok(None),
            Err(Some(error)) => return Err(error),
            Err(None) => return Ok(None),
        };
        let preferred = task.preferred.get(name.as_str());
        let lowest = self.lowest_direct && task.top;
        let Some(version) = pick(&meta, &selector, preferred, lowest, &mut self.ranges) else {
            if dep.optional {
                return Ok(None);
            }
            return Err(ResolveError::NoMatchingVersion {
                package: dep.alias.clone(),
                specifier: dep.specifier.clone(),
            });
        };
        let id = format!("{}@{}", meta.packument.name, version.version);
        self.graph
            .resolved_versions
            .entry(meta.packument.name.to_string())
            .or_default()
            .insert(version.version.to_string());
        let existing = self.by_id.get(&id).copied();
        let parent_pkg = task.chain.last().copied();
        if let Some(pkg) = existing {
            let in_chain = parent_pkg
                .is_some_and(|p| p == pkg || super::chain_contains_sequence(&task.chain, p, pkg));
            if in_chain {
                return Ok(None);
            }
        }
        let normalized_specifier =
            (task.depth == 0).then(|| pinned_specifier(&dep.specifier, version.version.as_str()));
        let (pkg, is_new) = match existing {
            Some(pkg) => (pkg, false),
            None => (self.add_package(&meta.packument.name, version, id, task.depth), true),
        };
        let target = self.node_for(pkg, is_new, task);
        let first_depth = self.graph.package(pkg).first_depth;
        let reports_children_peers =
            !is_new && !task.chain.contains(&pkg) && first_depth >= task.depth;
        Ok(Some(Address {
            alias: dep.alias.clone(),
            target: Target::Node(target),
            pkg: Some(pkg),
            is_new,
            reports_children_peers,
            normalized_specifier,
        }))
    }

    fn node_for(&mut self, pkg: PackageId, is_new: bool, task: &Task) -> NodeId {
        let package = self.graph.package(pkg);
        if package.is_leaf {
            if let Some(id) = package.leaf_node {
                let node = &mut self.graph.nodes[id.0 as usize];
                node.depth = node.depth.min(task.depth);
                return id;
            }
            let id = self.push_node(Node { pkg, depth: task.depth, kind: NodeKind::Leaf });
            self.graph.packages[pkg.0 as usize].leaf_node = Some(id);
            return id;
        }
        let kind = if is_new {
            NodeKind::Expanded { children: Vec::new() }
        } else {
            NodeKind::Pending { chain: task.chain.clone() }
        };
        let node = self.push_node(Node { pkg, depth: task.depth, kind });
        if is_new {
            self.graph.packages[pkg.0 as usize].first_node = Some(node);
        }
        node
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

    fn add_package(
        &mut self,
        name: &PkgName,
        version: &PackumentVersion,
        id: String,
        depth: u32,
    ) -> PackageId {
        let mut manifest = DepManifest::from_registry(version);
        self.hooks.apply(name.as_str(), version.version.as_str(), &mut manifest);
        if self.auto_install_peers {
            manifest.drop_peers_from_dependencies();
        }
        self.graph.peer_names.extend(manifest.peer_dependencies.keys().cloned());
        self.graph.peer_names.extend(manifest.peer_dependencies_meta.keys().cloned());
        let package = Package {
            id: id.clone(),
            name: name.clone(),
            version: version.version.to_string(),
            peers: manifest.peers_without_own(name.as_str()),
            is_leaf: manifest.is_leaf(),
            manifest,
            facts: facts(version),
            children: Vec::new(),
            first_depth: depth,
            leaf_node: None,
            first_node: None,
            missing_peers_of_children: None,
        };
        self.graph.packages.push(package);
        let pkg = PackageId((self.graph.packages.len() - 1) as u32);
        self.by_id.insert(id, pkg);
        pkg
    }

    fn link_workspace(
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

    fn link_path(&mut self, task: &Task, dep: &WantedDependency, path: &str) -> Address {
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
    }
}

pub(crate) fn parse_wanted(alias: &str, specifier: &str) -> Option<Wanted> {
    let alias = PkgName::parse(alias).ok()?;
    Wanted::parse(&alias, specifier)
}

/// pnpm's `calcSpecifier` for a direct dependency: the version pinned as the old specifier was.
fn pinned_specifier(specifier: &str, version: &str) -> String {
    if semver::SemVer::parse(version, true).is_some_and(|v| v.is_prerelease()) {
        return version.to_owned();
    }
    let bare = specifier
        .rsplit_once('@')
        .filter(|_| specifier.starts_with("npm:"))
        .map_or(specifier, |(_, r)| r);
    if bare.starts_with('~') {
        format!("~{version}")
    } else if semver::valid(bare, true).is_some() {
        version.to_owned()
    } else {
        format!("^{version}")
    }
}

/// The preferred versions every resolution starts from: the projects' specifiers (direct weight)
/// and the versions of the existing lockfile.
fn base_preferred(input: &ResolveInput) -> Preferred {
    let mut maps: HashMap<String, SelectorMap> = HashMap::new();
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

fn facts(version: &PackumentVersion) -> PackageFacts {
    let dist = version.dist.as_ref();
    PackageFacts {
        integrity: dist.and_then(|d| d.integrity().ok().flatten()).map(|i| i.to_string()),
        tarball: dist.map(|d| d.tarball.clone()),
        engines: version
            .engines
            .iter()
            .filter(|(_, v)| *v != "*")
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        cpu: version.cpu.clone(),
        os: version.os.clone(),
        libc: version.libc.clone(),
        deprecated: version.deprecated.clone(),
        has_bin: version.has_bin(),
        bundled: version.bundled_dependencies.as_ref().map(|bundled| match bundled {
            BundledDependencies::All => None,
            BundledDependencies::Names(names) => Some(names.clone()),
        }),
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
