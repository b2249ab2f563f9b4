//! What a resolution warns about, worded as pnpm's reporter words it: deprecated direct
//! dependencies one by one, deprecated subdependencies counted, then the peer issues.

use lade_resolver::semver::{Range, SemVer};
use lade_resolver::{Deprecation, Resolved, render_peer_issues};

use crate::project::Workspace;
use crate::{Event, Reporter};

pub(super) fn report(workspace: &Workspace, resolved: &Resolved, reporter: &dyn Reporter) {
    let allowed = &workspace.config.pnpm.allowed_deprecated_versions;
    let reported: Vec<&Deprecation> = resolved
        .deprecations
        .iter()
        .filter(|d| {
            allowed.get(&d.name).is_none_or(|range| {
                let range = Range::parse(range, false, false);
                let version = SemVer::parse(&d.version, false);
                !range.zip(version).is_some_and(|(range, version)| range.test(&version))
            })
        })
        .collect();
    for deprecation in reported.iter().filter(|d| d.direct) {
        reporter.report(Event::Warning(&format!(
            "deprecated {}@{}: {}",
            deprecation.name, deprecation.version, deprecation.message
        )));
    }
    let mut subdependencies: Vec<String> = reported
        .iter()
        .filter(|d| !d.direct)
        .map(|d| format!("{}@{}", d.name, d.version))
        .collect();
    if !subdependencies.is_empty() {
        subdependencies.sort();
        reporter.report(Event::Warning(&format!(
            "{} deprecated subdependencies found: {}",
            subdependencies.len(),
            subdependencies.join(", ")
        )));
    }
    release_age(resolved, reporter);
    if let Some(issues) = render_peer_issues(&resolved.peer_issues) {
        reporter.report(Event::Warning(&format!("Issues with peer dependencies found\n{issues}")));
    }
}

/// pnpm 11 warns once per package without publish times, and lists the young versions its
/// non-strict default picked (it also adds them to `minimumReleaseAgeExclude`; lade only says so).
fn release_age(resolved: &Resolved, reporter: &dyn Reporter) {
    for name in &resolved.missing_time {
        reporter.report(Event::Warning(&format!(
            "The metadata of {name} is missing the \"time\" field; skipping the minimumReleaseAge check for this package."
        )));
    }
    if resolved.immature.is_empty() {
        return;
    }
    let picks: Vec<String> =
        resolved.immature.iter().map(|p| format!("{}@{}", p.name, p.version)).collect();
    reporter.report(Event::Warning(&format!(
        "{} {} younger than minimumReleaseAge, as no older version matched (set minimumReleaseAgeStrict to true to refuse them):\n  {}",
        picks.len(),
        if picks.len() == 1 { "version is" } else { "versions are" },
        picks.join("\n  ")
    )));
}
