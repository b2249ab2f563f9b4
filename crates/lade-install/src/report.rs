use std::time::Duration;

/// Where an install's progress goes. Libraries never print; the CLI implements this once.
/// `report` is called from worker threads, so implementations throttle their own output.
pub trait Reporter: Sync {
    fn report(&self, event: Event<'_>);
}

/// A reporter that drops every event, for library callers and tests.
pub struct SilentReporter;

impl Reporter for SilentReporter {
    fn report(&self, _event: Event<'_>) {}
}

#[derive(Debug)]
pub enum Event<'a> {
    /// The lockfile satisfies every package.json; nothing was resolved.
    LockfileUpToDate,
    /// `node_modules` already matches the lockfile and settings: nothing was done.
    AlreadyUpToDate,
    /// How many packages the install adds to and removes from `node_modules/.pnpm`.
    PackagesToAdd {
        added: usize,
        removed: usize,
    },
    /// Counters while packages are fetched and linked.
    Progress(Progress),
    /// The final counters.
    ProgressDone(Progress),
    Warning(&'a str),
    /// Packages whose lifecycle scripts were not run.
    SkippedBuilds(&'a [String]),
    Summary(&'a InstallSummary),
}

/// pnpm's progress counters: `resolved` packages in the graph, `reused` from the store,
/// `downloaded` from the registry, `added` to `node_modules`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    pub resolved: usize,
    pub reused: usize,
    pub downloaded: usize,
    pub added: usize,
}

/// What an install did, for the summary pnpm prints.
#[derive(Debug, Clone, Default)]
pub struct InstallSummary {
    /// Direct dependencies of the root project, grouped by package.json field.
    pub direct: Vec<DirectGroup>,
    pub elapsed: Duration,
}

#[derive(Debug, Clone)]
pub struct DirectGroup {
    /// `dependencies`, `optionalDependencies` or `devDependencies`.
    pub field: &'static str,
    pub added: Vec<AddedDependency>,
}

#[derive(Debug, Clone)]
pub struct AddedDependency {
    pub name: String,
    pub version: String,
}
