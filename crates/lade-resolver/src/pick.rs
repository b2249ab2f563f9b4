//! Choosing a version from a packument: pnpm's `pickPackageFromMeta` with
//! `pickVersionByVersionRange` (resolution-mode=highest) or the lowest version.

use std::collections::HashMap;
use std::sync::Arc;

use lade_registry::{Packument, VersionSummary};
use lade_types::Version;

use crate::preferred::{SelectorKind, SelectorMap};
use crate::semver::{Range, SemVer};
use crate::specifier::Selector;

/// A packument with its versions parsed once.
#[derive(Debug)]
pub(crate) struct IndexedPackument {
    pub packument: Arc<Packument>,
    versions: Vec<(SemVer, String)>,
    positions: HashMap<String, usize>,
}

impl IndexedPackument {
    pub(crate) fn new(packument: Arc<Packument>) -> IndexedPackument {
        let versions = packument
            .versions
            .keys()
            .filter_map(|v| Some((SemVer::parse(v.as_str(), true)?, v.as_str().to_owned())))
            .collect::<Vec<_>>();
        let positions =
            versions.iter().enumerate().map(|(i, (_, text))| (text.clone(), i)).collect();
        IndexedPackument { packument, versions, positions }
    }

    /// The versions published by `limit` (ms since the epoch) or `trusted`, with dist-tags that
    /// pointed past it moved back to the best earlier version, as pnpm's
    /// `filterPkgMetadataByPublishDate`.
    pub(crate) fn published_by(&self, limit: i64, trusted: &[String]) -> IndexedPackument {
        let packument = &self.packument;
        let within = |version: &Version| {
            trusted.iter().any(|t| t == version.as_str())
                || packument
                    .time
                    .get(version.as_str())
                    .and_then(|t| crate::publish_time::parse_millis(t))
                    .is_some_and(|t| t <= limit)
        };
        let versions: std::collections::BTreeMap<_, _> = packument
            .versions
            .iter()
            .filter(|(version, _)| within(version))
            .map(|(version, summary)| (version.clone(), summary.clone()))
            .collect();
        let mut dist_tags = std::collections::BTreeMap::new();
        for (tag, target) in &packument.dist_tags {
            if versions.contains_key(target) {
                dist_tags.insert(tag.clone(), target.clone());
            } else if let Some(best) = best_earlier(tag, target, &versions) {
                dist_tags.insert(tag.clone(), best);
            }
        }
        IndexedPackument::new(Arc::new(packument.with_versions(versions, dist_tags)))
    }

    fn latest(&self) -> Option<&str> {
        self.packument.dist_tags.get("latest").map(|v| v.as_str())
    }

    fn version(&self, text: &str) -> Option<&VersionSummary> {
        Version::parse(text).ok().and_then(|v| self.packument.versions.get(&v))
    }

    fn semver(&self, text: &str) -> Option<&SemVer> {
        self.positions.get(text).map(|&i| &self.versions[i].0)
    }
}

/// A dist-tag's replacement among earlier versions: the same major (any major for `latest`) and
/// prerelease-ness, the highest, non-deprecated ones preferred.
fn best_earlier(
    tag: &str,
    target: &Version,
    versions: &std::collections::BTreeMap<Version, VersionSummary>,
) -> Option<Version> {
    let original = SemVer::parse(target.as_str(), true)?;
    let mut best: Option<(SemVer, &Version, bool)> = None;
    for (version, summary) in versions {
        let Some(candidate) = SemVer::parse(version.as_str(), true) else { continue };
        if (tag != "latest" && candidate.major != original.major)
            || candidate.is_prerelease() != original.is_prerelease()
        {
            continue;
        }
        let deprecated = summary.deprecated.is_some();
        let better = match &best {
            None => true,
            Some((best_version, _, best_deprecated)) => {
                (candidate > *best_version && *best_deprecated == deprecated)
                    || (*best_deprecated && !deprecated)
            }
        };
        if better {
            best = Some((candidate, version, deprecated));
        }
    }
    best.map(|(_, version, _)| version.clone())
}

/// Parsed ranges, shared by every pick of a resolution.
#[derive(Debug, Default)]
pub(crate) struct RangeCache {
    ranges: HashMap<String, Option<Range>>,
}

impl RangeCache {
    pub(crate) fn get(&mut self, text: &str) -> Option<&Range> {
        self.ranges
            .entry(text.to_owned())
            .or_insert_with(|| Range::parse(text, true, false))
            .as_ref()
    }

    fn satisfies(&mut self, version: &SemVer, range: &str) -> bool {
        self.get(range).is_some_and(|r| r.test(version))
    }
}

/// The version `selector` picks (one the packument has), or `None` when nothing matches.
pub(crate) fn pick(
    meta: &IndexedPackument,
    selector: &Selector,
    preferred: Option<&SelectorMap>,
    lowest: bool,
    ranges: &mut RangeCache,
) -> Option<Version> {
    let version = match selector {
        Selector::Version(version) => Some(version.clone()),
        Selector::Tag(tag) => meta.packument.dist_tags.get(tag).map(|v| v.as_str().to_owned()),
        Selector::Range(range) if lowest => pick_lowest(meta, range, preferred, ranges),
        Selector::Range(range) => pick_highest(meta, range, preferred, ranges),
    }?;
    let version = Version::parse(&version).ok()?;
    meta.packument.versions.contains_key(&version).then_some(version)
}

fn max_satisfying<'a>(
    meta: &'a IndexedPackument,
    candidates: impl Iterator<Item = &'a str>,
    range: &str,
    ranges: &mut RangeCache,
) -> Option<String> {
    let range = ranges.get(range)?.clone();
    candidates
        .filter_map(|text| meta.semver(text).map(|v| (v, text)))
        .filter(|(v, _)| range.test(v))
        .max_by(|(a, _), (b, _)| a.cmp(b))
        .map(|(_, text)| text.to_owned())
}

fn pick_highest(
    meta: &IndexedPackument,
    range: &str,
    preferred: Option<&SelectorMap>,
    ranges: &mut RangeCache,
) -> Option<String> {
    let latest = meta.latest();
    let latest_satisfies = |ranges: &mut RangeCache| {
        latest.and_then(|l| meta.semver(l)).is_some_and(|v| ranges.satisfies(v, range))
    };
    if let Some(preferred) = preferred.filter(|p| !p.is_empty()) {
        for group in prioritize(meta, range, preferred, ranges) {
            if latest.is_some_and(|l| group.iter().any(|v| v == l)) && latest_satisfies(ranges) {
                return latest.map(str::to_owned);
            }
            if let Some(version) =
                max_satisfying(meta, group.iter().map(String::as_str), range, ranges)
            {
                return Some(version);
            }
        }
    }
    if latest.is_some() && (range == "*" || latest_satisfies(ranges)) {
        return latest.map(str::to_owned);
    }
    let all = || meta.versions.iter().map(|(_, text)| text.as_str());
    let max = max_satisfying(meta, all(), range, ranges)?;
    let deprecated = meta.version(&max).is_some_and(|v| v.deprecated.is_some());
    if deprecated && meta.versions.len() > 1 {
        let live = all().filter(|t| meta.version(t).is_some_and(|v| v.deprecated.is_none()));
        if let Some(version) = max_satisfying(meta, live, range, ranges) {
            return Some(version);
        }
    }
    Some(max)
}

fn pick_lowest(
    meta: &IndexedPackument,
    range: &str,
    preferred: Option<&SelectorMap>,
    ranges: &mut RangeCache,
) -> Option<String> {
    let min_satisfying = |candidates: Vec<&str>, ranges: &mut RangeCache| {
        let range = ranges.get(range)?.clone();
        candidates
            .into_iter()
            .filter_map(|text| meta.semver(text).map(|v| (v, text)))
            .filter(|(v, _)| range.test(v))
            .min_by(|(a, _), (b, _)| a.cmp(b))
            .map(|(_, text)| text.to_owned())
    };
    if let Some(preferred) = preferred.filter(|p| !p.is_empty()) {
        for group in prioritize(meta, range, preferred, ranges) {
            if let Some(v) = min_satisfying(group.iter().map(String::as_str).collect(), ranges) {
                return Some(v);
            }
        }
    }
    if range == "*" {
        return meta.versions.iter().min_by(|a, b| a.0.cmp(&b.0)).map(|(_, t)| t.clone());
    }
    min_satisfying(meta.versions.iter().map(|(_, t)| t.as_str()).collect(), ranges)
}

/// The preferred versions grouped by total weight, heaviest first.
fn prioritize(
    meta: &IndexedPackument,
    range: &str,
    preferred: &SelectorMap,
    ranges: &mut RangeCache,
) -> Vec<Vec<String>> {
    let mut weights: indexmap::IndexMap<String, u32> = indexmap::IndexMap::new();
    let mut add =
        |version: &str, weight: u32| *weights.entry(version.to_owned()).or_insert(0) += weight;
    for (selector, preference) in preferred {
        if selector == range {
            continue;
        }
        match preference.kind {
            SelectorKind::Tag => {
                if let Some(version) = meta.packument.dist_tags.get(selector) {
                    add(version.as_str(), preference.weight);
                }
            }
            SelectorKind::Range => {
                let Some(parsed) = ranges.get(selector).cloned() else { continue };
                for (version, text) in &meta.versions {
                    if parsed.test(version) {
                        add(text, preference.weight);
                    }
                }
            }
            SelectorKind::Version => {
                if meta.version(selector).is_some() {
                    add(selector, preference.weight);
                }
            }
        }
    }
    let mut by_weight: Vec<(u32, Vec<String>)> = Vec::new();
    for (version, weight) in weights {
        match by_weight.iter_mut().find(|(w, _)| *w == weight) {
            Some((_, group)) => group.push(version),
            None => by_weight.push((weight, vec![version])),
        }
    }
    by_weight.sort_by_key(|group| std::cmp::Reverse(group.0));
    by_weight.into_iter().map(|(_, group)| group).collect()
}

#[cfg(test)]
mod tests;
