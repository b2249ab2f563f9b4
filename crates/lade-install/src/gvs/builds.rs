//! Which packages may run build scripts, as the global virtual store's slot hash needs to know:
//! their slots, and those of everything depending on them, are specific to the Node.js engine.
//! lade reads pnpm 10's settings (`onlyBuiltDependencies`, which `allowBuilds: true` entries
//! join, `neverBuiltDependencies`, `dangerouslyAllowAllBuilds`).

use lade_config::BuildSettings;
use lade_linker::Platform;

use crate::engine::NodeEngine;

/// The build permissions of one install.
pub(crate) struct BuildPolicy {
    allow_all: bool,
    only: Option<Vec<String>>,
    never: Option<Vec<String>>,
    /// `ignoredBuiltDependencies` and `allowBuilds: false` entries.
    denied: Vec<String>,
}

impl BuildPolicy {
    pub fn new(builds: &BuildSettings) -> Self {
        BuildPolicy {
            allow_all: builds.dangerously_allow_all_builds,
            only: builds.only_built_dependencies.clone(),
            never: builds.never_built_dependencies.clone(),
            denied: builds.ignored_built_dependencies.clone().unwrap_or_default(),
        }
    }

    /// Whether `name@version` may run its build scripts. A denial wins over every allowance;
    /// without `onlyBuiltDependencies`, a `neverBuiltDependencies` list allows everything else.
    pub fn allows(&self, name: &str, version: &str) -> bool {
        let listed = |specs: &[String]| specs.iter().any(|spec| spec_matches(spec, name, version));
        if listed(&self.denied) || self.never.as_deref().is_some_and(listed) {
            return false;
        }
        if self.allow_all {
            return true;
        }
        match (&self.only, &self.never) {
            (Some(only), _) => listed(only),
            (None, never) => never.is_some(),
        }
    }
}

/// `name`, or `name@1.0.0 || 2.0.0` (pnpm's `expandPackageVersionSpecs`).
fn spec_matches(spec: &str, name: &str, version: &str) -> bool {
    let Some(at) = spec.get(1..).and_then(|rest| rest.find('@')).map(|at| at + 1) else {
        return spec == name;
    };
    spec[..at] == *name && spec[at + 1..].split("||").any(|wanted| wanted.trim() == version)
}

/// pnpm's engine name, `<platform>;<arch>;node<major>`: `node-version` when configured, else the
/// `node` on PATH; `None` when neither says.
pub(crate) fn engine_name(platform: &Platform, node: &NodeEngine) -> Option<String> {
    let version = node.version()?;
    let major = version.strip_prefix('v').unwrap_or(version).split('.').next()?;
    major.parse::<u32>().ok()?;
    Some(format!("{};{};node{major}", platform.os, platform.cpu))
}
