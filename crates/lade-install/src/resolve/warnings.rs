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
    if let Some(issues) = render_peer_issues(&resolved.peer_issues) {
        reporter.report(Event::Warning(&format!("Issues with peer dependencies found\n{issues}")));
    }
}
