//! The Node.js version packages' `engines.node` ranges are checked against, found as pnpm 10
//! finds it: the `node-version` setting, else the `node` on PATH. The `node` process is asked
//! once, and only when a range could exclude something.

use std::sync::OnceLock;

use indexmap::IndexMap;
use lade_config::Config;
use lade_resolver::semver::{Range, SemVer};

use crate::InstallError;

pub(crate) struct NodeEngine {
    configured: Option<String>,
    detected: OnceLock<Option<String>>,
}

impl NodeEngine {
    pub fn new(config: &Config) -> Self {
        Self::with_setting(config.install.node_version.clone())
    }

    /// `node-version` as configured (`None`: ask the `node` on PATH).
    pub fn with_setting(configured: Option<String>) -> Self {
        NodeEngine { configured, detected: OnceLock::new() }
    }

    /// `node-version`, or what `node --version` prints; `None` when neither says.
    pub fn version(&self) -> Option<&str> {
        if let Some(configured) = &self.configured {
            return Some(configured);
        }
        self.detected.get_or_init(detect).as_deref()
    }

    /// pnpm's `checkEngine` for the `node` engine: whether `engines` asks for a Node.js this is
    /// not. A range npm cannot read is never met. Without a known Node.js nothing is refused.
    /// (`engines.pnpm` is checked only by pnpm itself, and lade is not pnpm.)
    pub fn rejects(
        &self,
        package: &str,
        engines: &IndexMap<String, String>,
    ) -> Result<bool, InstallError> {
        let Some(wanted) = engines.get("node") else { return Ok(false) };
        let range = Range::parse(wanted, false, true);
        if range.as_ref().is_some_and(Range::is_any) {
            return Ok(false);
        }
        let Some(current) = self.version() else { return Ok(false) };
        let version = SemVer::parse(current, false);
        let met = matches!((&range, &version), (Some(range), Some(version)) if range.test(version));
        if !met && version.is_none() {
            return Err(InstallError::InvalidNodeVersion {
                version: current.to_owned(),
                package: package.to_owned(),
            });
        }
        Ok(!met)
    }
}

fn detect() -> Option<String> {
    let output = std::process::Command::new("node").arg("--version").output().ok()?;
    if !output.status.success() {
        return None;
    }
    Some(String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn engine(version: &str) -> NodeEngine {
        NodeEngine::with_setting(Some(version.to_owned()))
    }

    fn rejects(engine: &NodeEngine, range: &str) -> bool {
        let engines = IndexMap::from([("node".to_owned(), range.to_owned())]);
        engine.rejects("pkg@1.0.0", &engines).unwrap()
    }

    /// As `semver.satisfies(node, range, { includePrerelease: true })` in pnpm's checkEngine.
    #[test]
    fn node_ranges_are_read_like_npm() {
        let v16 = engine("16.20.2");
        assert!(rejects(&v16, ">=18"));
        assert!(!rejects(&v16, ">=14"));
        assert!(!rejects(&v16, ">= 4.4.x"));
        assert!(!rejects(&v16, "^14.17.0 || ^16.13.0 || >=18.0.0"));
        assert!(rejects(&v16, "not a range"));
        assert!(!rejects(&engine("v22.0.0-rc.1"), ">=20"));
        assert!(!rejects(&v16, "*"));
        let no_node = IndexMap::from([("pnpm".to_owned(), ">=99".to_owned())]);
        assert!(!v16.rejects("pkg@1.0.0", &no_node).unwrap());
    }

    #[test]
    fn a_node_version_setting_that_is_not_a_version_is_an_error_when_a_range_needs_it() {
        let bad = engine("latest");
        assert!(!rejects(&bad, "*"));
        let engines = IndexMap::from([("node".to_owned(), ">=18".to_owned())]);
        let error = bad.rejects("pkg@1.0.0", &engines).unwrap_err();
        assert!(error.to_string().contains("latest"), "{error}");
    }
}
