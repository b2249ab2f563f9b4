//! Which versions are on offer by publish date: `minimumReleaseAge` hides versions younger than
//! the age (strictly: nothing else is picked), and `resolution-mode=time-based` resolves direct
//! dependencies to their lowest versions and everything below to versions published by an hour
//! after the newest of them (falling back to the lowest match when none was).

use std::collections::HashMap;
use std::sync::Arc;

use lade_types::PkgName;

use crate::hooks::NamePattern;
use crate::options::{ResolutionMode, ResolveSettings};
use crate::pick::IndexedPackument;
use crate::publish_time::now_millis;

const HOUR_MILLIS: i64 = 60 * 60 * 1000;

#[derive(Debug)]
pub(crate) struct PublishPolicy {
    time_based: bool,
    /// `now - minimumReleaseAge`, when set.
    maximum: Option<i64>,
    exclude: Vec<NamePattern>,
    /// Time-based mode's limit below the direct dependencies, once they are resolved.
    below_direct: Option<i64>,
    settled: bool,
    filtered: HashMap<(PkgName, i64), Arc<IndexedPackument>>,
}

/// How a version is picked for one dependency.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct PickRule {
    pub published_by: Option<i64>,
    /// `minimumReleaseAge`: no fallback to younger versions.
    pub strict: bool,
}

impl PublishPolicy {
    pub(crate) fn new(settings: &ResolveSettings) -> PublishPolicy {
        let age = settings.minimum_release_age_minutes;
        PublishPolicy {
            time_based: settings.resolution_mode == ResolutionMode::TimeBased,
            maximum: (age > 0).then(|| now_millis() - age as i64 * 60 * 1000),
            exclude: settings
                .minimum_release_age_exclude
                .iter()
                .map(|p| NamePattern::new(p))
                .collect(),
            below_direct: None,
            settled: false,
            filtered: HashMap::new(),
        }
    }

    /// Publish times are only in full documents.
    pub(crate) fn needs_time(&self) -> bool {
        self.time_based || self.maximum.is_some()
    }

    pub(crate) fn rule(&self, name: &PkgName, direct: bool) -> PickRule {
        let limit = if direct { self.maximum } else { self.below_direct.or(self.maximum) };
        let excluded = crate::hooks::matches_any(&self.exclude, name.as_str());
        PickRule { published_by: limit.filter(|_| !excluded), strict: self.maximum.is_some() }
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

    /// `meta` with only the versions published by `limit`, computed once per package and limit.
    pub(crate) fn filtered(
        &mut self,
        meta: &Arc<IndexedPackument>,
        limit: i64,
    ) -> Arc<IndexedPackument> {
        self.filtered
            .entry((meta.packument.name.clone(), limit))
            .or_insert_with(|| Arc::new(meta.published_by(limit)))
            .clone()
    }
}
