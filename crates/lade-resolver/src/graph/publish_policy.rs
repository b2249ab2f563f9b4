//! Which versions are on offer by publish date: `minimumReleaseAge` hides versions younger than
//! the age (when none is old enough, strictly nothing is picked, else the lowest match), and
//! `resolution-mode=time-based` resolves direct dependencies to their lowest versions and
//! everything below to versions published by an hour after the newest of them (falling back to
//! the lowest match when none was).

use std::collections::HashMap;
use std::sync::Arc;

use lade_registry::{Packument, PackumentKind};
use lade_types::PkgName;

use crate::ResolveError;
use crate::hooks::{NamePattern, matches_any};
use crate::options::{ResolutionMode, ResolveSettings};
use crate::pick::IndexedPackument;
use crate::publish_time::{now_millis, parse_millis};

const HOUR_MILLIS: i64 = 60 * 60 * 1000;

#[derive(Debug)]
pub(crate) struct PublishPolicy {
    time_based: bool,
    /// `now - minimumReleaseAge`, when set.
    maximum: Option<i64>,
    strict: bool,
    ignore_missing_time: bool,
    exclude: Arc<ReleaseAgeExclude>,
    /// Time-based mode's limit below the direct dependencies, once they are resolved.
    below_direct: Option<i64>,
    settled: bool,
    views: HashMap<(PkgName, i64), View>,
}

/// How a version is picked for one dependency.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct PickRule {
    pub published_by: Option<i64>,
    /// `minimumReleaseAgeStrict`: no fallback to younger versions.
    pub strict: bool,
}

/// A packument as seen under a publish-date limit.
#[derive(Clone, Debug)]
pub(crate) enum View {
    /// Nothing was published after the limit.
    All,
    /// The versions published by the limit (and those excluded by version).
    Filtered(Arc<IndexedPackument>),
    /// The registry gives no publish times, so the limit cannot be checked.
    MissingTime,
}

/// Which metadata documents the resolution fetches.
#[derive(Clone, Debug)]
pub(crate) enum Documents {
    Abbreviated,
    Full,
    /// Abbreviated ones, upgraded to the full document (which has publish times) for packages
    /// changed after `cutoff`: an older `modified` means every version is old enough.
    FullIfModifiedAfter {
        cutoff: i64,
        exclude: Arc<ReleaseAgeExclude>,
    },
}

impl Documents {
    pub(crate) fn first(&self) -> PackumentKind {
        match self {
            Documents::Full => PackumentKind::Full,
            _ => PackumentKind::Abbreviated,
        }
    }

    /// Whether `packument` (of the kind [`Documents::first`] asked for) must be fetched again
    /// in full.
    pub(crate) fn needs_full(&self, packument: &Packument) -> bool {
        let Documents::FullIfModifiedAfter { cutoff, exclude } = self else { return false };
        !(has_all_times(packument)
            || exclude.of(packument.name.as_str()) == Exclusion::All
            || modified(packument).is_some_and(|modified| modified <= *cutoff))
    }
}

impl PublishPolicy {
    pub(crate) fn new(settings: &ResolveSettings) -> Result<PublishPolicy, ResolveError> {
        let age = settings.minimum_release_age_minutes;
        let maximum = (age > 0).then(|| now_millis() - age as i64 * 60 * 1000);
        Ok(PublishPolicy {
            time_based: settings.resolution_mode == ResolutionMode::TimeBased,
            maximum,
            strict: maximum.is_some() && settings.minimum_release_age_strict,
            ignore_missing_time: settings.minimum_release_age_ignore_missing_time,
            exclude: Arc::new(ReleaseAgeExclude::parse(&settings.minimum_release_age_exclude)?),
            below_direct: None,
            settled: false,
            views: HashMap::new(),
        })
    }

    /// Publish times are only in full documents; with only an age, only packages changed
    /// after the cutoff need them (pnpm 11's `modified` shortcut).
    pub(crate) fn documents(&self) -> Documents {
        match self.maximum {
            _ if self.time_based => Documents::Full,
            Some(cutoff) => {
                Documents::FullIfModifiedAfter { cutoff, exclude: self.exclude.clone() }
            }
            None => Documents::Abbreviated,
        }
    }

    pub(crate) fn ignores_missing_time(&self) -> bool {
        self.ignore_missing_time
    }

    pub(crate) fn rule(&self, name: &PkgName, direct: bool) -> PickRule {
        let limit = if direct { self.maximum } else { self.below_direct.or(self.maximum) };
        let excluded = self.exclude.of(name.as_str()) == Exclusion::All;
        PickRule { published_by: limit.filter(|_| !excluded), strict: self.strict }
    }

    /// Whether `version` was published after the `minimumReleaseAge` cutoff.
    pub(crate) fn is_immature(
        &self,
        meta: &IndexedPackument,
        version: &lade_types::Version,
    ) -> bool {
        let published = meta.packument.time.get(version.as_str()).and_then(|t| parse_millis(t));
        matches!((self.maximum, published), (Some(maximum), Some(published)) if published > maximum)
    }

    /// Time-based mode: the projects' direct dependencies were published at `times` (the first
    /// call decides; later levels of direct dependencies are auto-installed peers).
    pub(crate) fn settle_direct(&mut self, times: impl Iterator<Item = i64>) {
        if !self.time_based || self.settled {
            return;
        }
        self.settled = true;
        let limit = times.max().map(|newest| newest + HOUR_MILLIS);
        self.below_direct = match (limit, self.maximum) {
            (Some(limit), Some(maximum)) => Some(limit.min(maximum)),
            (limit, maximum) => limit.or(maximum),
        };
    }

    /// `meta` as seen under `limit`, computed once per package and limit.
    pub(crate) fn view(&mut self, meta: &Arc<IndexedPackument>, limit: i64) -> View {
        let packument = &meta.packument;
        let exclude = &self.exclude;
        self.views
            .entry((packument.name.clone(), limit))
            .or_insert_with(|| {
                let newest = modified(packument).or_else(|| newest_publish_time(packument));
                if newest.is_some_and(|newest| newest <= limit) {
                    View::All
                } else if has_all_times(packument) {
                    let trusted = match exclude.of(packument.name.as_str()) {
                        Exclusion::Versions(versions) => versions,
                        _ => Vec::new(),
                    };
                    View::Filtered(Arc::new(meta.published_by(limit, &trusted)))
                } else {
                    View::MissingTime
                }
            })
            .clone()
    }
}

/// When the package last changed: an upper bound of every version's publish time.
fn modified(packument: &Packument) -> Option<i64> {
    packument
        .modified
        .as_deref()
        .or(packument.time.get("modified").map(String::as_str))
        .and_then(parse_millis)
}

/// The newest version's publish time, when every version has one (some registries send no
/// `modified`): filtering is only needed past it.
fn newest_publish_time(packument: &Packument) -> Option<i64> {
    let mut newest = None;
    for version in packument.versions.keys() {
        let published = parse_millis(packument.time.get(version.as_str())?)?;
        newest = newest.max(Some(published));
    }
    newest
}

/// pnpm drops a `time` map that misses a version (some registries fill it in partially), as
/// it cannot tell which versions are old enough.
fn has_all_times(packument: &Packument) -> bool {
    !packument.time.is_empty()
        && packument
            .versions
            .keys()
            .all(|v| packument.time.get(v.as_str()).is_some_and(|t| !t.is_empty()))
}

/// `minimumReleaseAgeExclude`.
#[derive(Debug, Default)]
pub(crate) struct ReleaseAgeExclude {
    rules: Vec<(NamePattern, Vec<String>)>,
}

#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Exclusion {
    None,
    All,
    /// Only these exact versions skip the age.
    Versions(Vec<String>),
}

impl ReleaseAgeExclude {
    /// Entries are `name` (with `*` wildcards, `!` to negate) or `name@1.0.0 || 1.0.1`.
    pub(crate) fn parse(patterns: &[String]) -> Result<ReleaseAgeExclude, ResolveError> {
        let invalid =
            |pattern: &String| ResolveError::InvalidReleaseAgeExclude { pattern: pattern.clone() };
        let mut rules = Vec::new();
        for pattern in patterns {
            let at = pattern.get(1..).and_then(|rest| rest.find('@')).map(|at| at + 1);
            let Some(at) = at else {
                rules.push((NamePattern::new(pattern), Vec::new()));
                continue;
            };
            let name = &pattern[..at];
            let versions = pattern[at + 1..]
                .split("||")
                .map(|version| crate::semver::valid(version.trim(), false))
                .collect::<Option<Vec<_>>>()
                .ok_or_else(|| invalid(pattern))?;
            if name.contains('*') {
                return Err(invalid(pattern));
            }
            rules.push((NamePattern::new(name), versions));
        }
        Ok(ReleaseAgeExclude { rules })
    }

    pub(crate) fn of(&self, name: &str) -> Exclusion {
        let mut versions: Vec<String> = Vec::new();
        for (pattern, listed) in &self.rules {
            if !matches_any(std::slice::from_ref(pattern), name) {
                continue;
            }
            if listed.is_empty() {
                return Exclusion::All;
            }
            versions.extend(
                listed.iter().filter(|v| !versions.contains(v)).cloned().collect::<Vec<_>>(),
            );
        }
        if versions.is_empty() { Exclusion::None } else { Exclusion::Versions(versions) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exclude(patterns: &[&str]) -> Result<ReleaseAgeExclude, ResolveError> {
        ReleaseAgeExclude::parse(&patterns.iter().map(|p| (*p).to_owned()).collect::<Vec<_>>())
    }

    #[test]
    fn exclusions_take_names_scopes_and_exact_versions() {
        let list = exclude(&["foo", "@scope/*", "bar@1.0.0 || 1.2.0", "@s/baz@2.0.0"]).unwrap();
        assert_eq!(list.of("foo"), Exclusion::All);
        assert_eq!(list.of("@scope/any"), Exclusion::All);
        assert_eq!(list.of("bar"), Exclusion::Versions(vec!["1.0.0".into(), "1.2.0".into()]));
        assert_eq!(list.of("@s/baz"), Exclusion::Versions(vec!["2.0.0".into()]));
        assert_eq!(list.of("foobar"), Exclusion::None);
    }

    #[test]
    fn exclusions_with_ranges_or_name_patterns_and_versions_are_refused() {
        for bad in ["foo@^1.0.0", "foo@latest", "@s/*@1.0.0"] {
            let error = exclude(&[bad]).unwrap_err();
            assert!(matches!(error, ResolveError::InvalidReleaseAgeExclude { .. }), "{bad}");
        }
    }
}
