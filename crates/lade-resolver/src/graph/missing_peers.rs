//! Peers nobody provides: pnpm collects the peers each subtree misses, level by level, and
//! installs the required ones (and optional ones some version of which is already in the graph)
//! as dependencies of the project (auto-install-peers, `hoistPeers`).

use std::collections::HashMap;
use std::rc::Rc;

use indexmap::IndexMap;

use super::build::{Builder, Parent, Task};
use super::{Address, MergedPeer, NodeKind, PeerRequests, Target};
use crate::ResolveError;
use crate::dep_manifest::WantedDependency;
use crate::metadata::MetadataSource;
use crate::semver::{self, Range, SemVer};

/// What a parent sees from an alias: a resolved dependency, or just a name that is taken.
#[derive(Clone, Debug)]
enum Visible {
    Taken,
    Address(Address),
}

type Aliases = HashMap<String, Visible>;

#[derive(Debug, Default)]
struct Report {
    missing: PeerRequests,
    resolved: IndexMap<String, Address>,
}

impl<S: MetadataSource> Builder<S> {
    pub(crate) async fn hoist_missing_peers(&mut self) -> Result<(), ResolveError> {
        let importer_count = self.graph.importers.len();
        let mut aliases: Vec<Aliases> = self
            .graph
            .importers
            .iter()
            .map(|i| i.wanted.iter().map(|w| (w.alias.clone(), Visible::Taken)).collect())
            .collect();
        let mut reports: Vec<Report> = (0..importer_count)
            .map(|i| {
                let addresses = self.graph.importers[i].addresses.clone();
                self.level_report(&addresses, &aliases[i], true)
            })
            .collect();
        loop {
            let mut optional_by_importer: Vec<IndexMap<String, Vec<String>>> = Vec::new();
            for i in 0..importer_count {
                let optional = self.hoist_required(i, &mut aliases[i], &mut reports[i]).await?;
                optional_by_importer.push(optional);
            }
            let mut added = false;
            for (i, optional) in optional_by_importer.into_iter().enumerate() {
                let hoistable = self.hoistable_optional_peers(&optional);
                if hoistable.is_empty() {
                    continue;
                }
                added = true;
                let wanted = hoistable
                    .into_iter()
                    .map(|(alias, specifier)| WantedDependency {
                        alias,
                        specifier,
                        optional: true,
                        dev: false,
                        locked: None,
                        to_latest: false,
                    })
                    .collect();
                reports[i] = self.resolve_at_importer(i, wanted, &aliases[i]).await?;
            }
            if !added {
                return Ok(());
            }
        }
    }

    /// One importer's loop of installing required missing peers; returns the optional ones.
    async fn hoist_required(
        &mut self,
        importer: usize,
        aliases: &mut Aliases,
        report: &mut Report,
    ) -> Result<IndexMap<String, Vec<String>>, ResolveError> {
        let mut optional: IndexMap<String, Vec<String>> = IndexMap::new();
        loop {
            for address in &self.graph.importers[importer].addresses {
                aliases.insert(address.alias.clone(), Visible::Taken);
            }
            let mut required = Vec::new();
            for (name, peer) in &report.missing {
                if peer.optional {
                    let ranges = optional.entry(name.clone()).or_default();
                    if !ranges.contains(&peer.range) {
                        ranges.push(peer.range.clone());
                    }
                } else {
                    required.push((name.clone(), peer.range.clone()));
                    aliases.insert(name.clone(), Visible::Taken);
                }
            }
            if self.auto_install_peers() {
                for (name, address) in &report.resolved {
                    if !aliases.contains_key(name) {
                        self.graph.importers[importer].addresses.push(address.clone());
                    }
                }
            }
            if required.is_empty() {
                return Ok(optional);
            }
            let dependencies = self.hoist_peers(&required);
            if dependencies.is_empty() {
                return Ok(optional);
            }
            let wanted = dependencies
                .into_iter()
                .map(|(alias, specifier)| WantedDependency {
                    alias,
                    specifier,
                    optional: false,
                    dev: false,
                    locked: None,
                    to_latest: false,
                })
                .collect();
            *report = self.resolve_at_importer(importer, wanted, aliases).await?;
        }
    }

    async fn resolve_at_importer(
        &mut self,
        importer: usize,
        wanted: Vec<WantedDependency>,
        aliases: &Aliases,
    ) -> Result<Report, ResolveError> {
        let task = Task {
            parent: Parent::Importer,
            importer,
            wanted,
            preferred: self.graph.importers[importer].preferred.clone(),
            depth: 0,
            chain: Rc::new(Vec::new()),
            top: false,
        };
        let added = self.run(vec![task]).await?.pop().unwrap_or_default();
        self.graph.importers[importer].addresses.extend(added.iter().cloned());
        let report = self.level_report(&added, aliases, false);
        Ok(filter_missing(report, aliases))
    }

    /// pnpm's `hoistPeers`: which specifier to install each missing required peer with.
    fn hoist_peers(&self, required: &[(String, String)]) -> Vec<(String, String)> {
        let root = self.graph.importers.iter().position(|i| i.id.as_str() == ".");
        let root_deps: &[Address] = match root {
            Some(root) if self.resolve_peers_from_workspace_root() => {
                &self.graph.importers[root].addresses
            }
            _ => &[],
        };
        let mut dependencies = Vec::new();
        for (name, range) in required {
            let by_alias = root_deps.iter().find(|d| &d.alias == name);
            let by_name = || {
                let mut matching: Vec<&Address> = root_deps
                    .iter()
                    .filter(|d| d.pkg.is_some_and(|p| self.graph.package(p).name.as_str() == name))
                    .collect();
                matching.sort_by(|a, b| a.alias.cmp(&b.alias));
                matching.first().copied()
            };
            if let Some(spec) =
                by_alias.or_else(by_name).and_then(|d| d.normalized_specifier.clone())
            {
                dependencies.push((name.clone(), spec));
                continue;
            }
            if let Some(versions) = self.graph.resolved_versions.get(name) {
                let exact = SemVer::parse(range, false).is_some();
                let max = |r: &str| {
                    let r = Range::parse(r, false, true)?;
                    versions
                        .iter()
                        .filter_map(|v| SemVer::parse(v, false).map(|s| (s, v)))
                        .filter(|(s, _)| r.test(s))
                        .max_by(|a, b| a.0.cmp(&b.0))
                        .map(|(_, v)| v.clone())
                };
                let satisfying = if exact { max(range) } else { None };
                if let Some(version) = satisfying {
                    dependencies.push((name.clone(), version));
                } else if exact && self.auto_install_peers() {
                    dependencies.push((name.clone(), range.clone()));
                } else if let Some(version) = max("*") {
                    dependencies.push((name.clone(), version));
                }
            } else if self.auto_install_peers() {
                dependencies.push((name.clone(), range.clone()));
            }
        }
        dependencies
    }

    /// `getHoistableOptionalPeers`: the highest version already in the graph satisfying every
    /// range asked for.
    fn hoistable_optional_peers(
        &self,
        optional: &IndexMap<String, Vec<String>>,
    ) -> Vec<(String, String)> {
        let mut hoistable = Vec::new();
        for (name, ranges) in optional {
            let Some(versions) = self.graph.resolved_versions.get(name) else { continue };
            let ranges: Vec<Option<Range>> =
                ranges.iter().map(|r| Range::parse(r, false, false)).collect();
            let best = versions
                .iter()
                .filter_map(|v| SemVer::parse(v, false).map(|s| (s, v)))
                .filter(|(s, _)| ranges.iter().all(|r| r.as_ref().is_some_and(|r| r.test(s))))
                .max_by(|a, b| a.0.cmp(&b.0));
            if let Some((_, version)) = best {
                hoistable.push((name.clone(), version.clone()));
            }
        }
        hoistable
    }

    /// The peers missed and found below one level of siblings (`startResolvingPeers`).
    fn level_report(&mut self, addresses: &[Address], incoming: &Aliases, top: bool) -> Report {
        let mut current: IndexMap<String, Address> = IndexMap::new();
        for address in addresses {
            current.entry(address.alias.clone()).or_insert_with(|| address.clone());
        }
        let mut visible = incoming.clone();
        for (alias, address) in &current {
            visible.insert(alias.clone(), Visible::Address(address.clone()));
        }
        let mut resolved = IndexMap::new();
        let mut missing_lists: Vec<PeerRequests> = Vec::new();
        let mut later_lists: Vec<PeerRequests> = Vec::new();
        for address in addresses.iter().filter(|a| a.is_new) {
            let Some(report) = self.children_report(address, &visible) else { continue };
            let report = filter_missing(report, &visible);
            resolved.extend(report.resolved);
            later_lists.push(report.missing);
        }
        for address in addresses.iter().filter(|a| a.reports_children_peers) {
            let Some(pkg) = address.pkg else { continue };
            let Some(missing) = self.graph.package(pkg).missing_peers_of_children.clone() else {
                continue;
            };
            let filter_by = if top { &visible } else { incoming };
            let report = filter_missing(
                Report { missing: (*missing).clone(), resolved: IndexMap::new() },
                filter_by,
            );
            resolved.extend(report.resolved);
            later_lists.push(report.missing);
        }
        for address in addresses {
            let Some(pkg) = address.pkg else { continue };
            let mut own = PeerRequests::new();
            for (peer, range) in self.graph.package(pkg).manifest.declared_peers() {
                match current.get(&peer) {
                    Some(provider) => {
                        resolved.insert(peer, provider.clone());
                    }
                    None => {
                        own.insert(
                            peer,
                            MergedPeer { range: range.range, optional: range.optional },
                        );
                    }
                }
            }
            missing_lists.push(own);
        }
        missing_lists.extend(later_lists);
        Report { missing: merge_requests(&missing_lists), resolved }
    }

    /// The report of the level below a package's first resolution, remembered on the package.
    fn children_report(&mut self, address: &Address, visible: &Aliases) -> Option<Report> {
        let (Some(pkg), Target::Node(node)) = (address.pkg, &address.target) else { return None };
        let NodeKind::Expanded { children, .. } = &self.graph.node(*node).kind else { return None };
        let children: Vec<Address> = children
            .iter()
            .filter_map(|(alias, target)| self.child_address(alias, target))
            .collect();
        let report = self.level_report(&children, visible, false);
        self.graph.packages[pkg.0 as usize].missing_peers_of_children =
            Some(Rc::new(report.missing.clone()));
        Some(report)
    }

    fn child_address(&self, alias: &str, target: &Target) -> Option<Address> {
        let Target::Node(node) = target else { return None };
        let node_ref = self.graph.node(*node);
        let package = self.graph.package(node_ref.pkg);
        let is_new = package.first_node == Some(*node);
        Some(Address {
            alias: alias.to_owned(),
            target: target.clone(),
            pkg: Some(node_ref.pkg),
            is_new,
            reports_children_peers: !is_new && package.first_depth >= node_ref.depth,
            normalized_specifier: None,
            locked: None,
        })
    }
}

fn filter_missing(report: Report, aliases: &Aliases) -> Report {
    let mut out = Report { missing: PeerRequests::new(), resolved: report.resolved };
    for (peer, request) in report.missing {
        match aliases.get(&peer) {
            Some(Visible::Address(address)) => {
                out.resolved.insert(peer, address.clone());
            }
            Some(Visible::Taken) => {}
            None => {
                out.missing.insert(peer, request);
            }
        }
    }
    out
}

/// `mergePkgsDeps`: one request per peer, the ranges intersected (dropped when they cannot all
/// be met), optional only if every asker said so.
fn merge_requests(lists: &[PeerRequests]) -> PeerRequests {
    let mut grouped: IndexMap<&str, (Vec<&str>, bool)> = IndexMap::new();
    for list in lists {
        for (name, request) in list {
            let entry = grouped.entry(name).or_insert((Vec::new(), request.optional));
            entry.1 &= request.optional;
            entry.0.push(&request.range);
        }
    }
    let mut merged = PeerRequests::new();
    for (name, (ranges, optional)) in grouped {
        if let Some(range) = intersect_all(&ranges) {
            merged.insert(name.to_owned(), MergedPeer { range, optional });
        }
    }
    merged
}

fn intersect_all(ranges: &[&str]) -> Option<String> {
    let first = ranges.first()?;
    let mut combined = Range::parse(first, false, false)?;
    if ranges.iter().all(|r| r == first) {
        return Some((*first).to_owned());
    }
    for range in &ranges[1..] {
        combined = combined.intersect(&Range::parse(range, false, false)?)?;
    }
    let text = combined.to_string();
    Some(semver::valid(&text, false).unwrap_or(text))
}
