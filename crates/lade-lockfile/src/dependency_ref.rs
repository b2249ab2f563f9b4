use std::fmt;

use lade_types::{DepPath, TypesError};
use serde::{Deserialize, Serialize};

/// The value of a dependency in an importer (`version:`) or a snapshot's `dependencies`:
///
/// - a version, possibly with a peer suffix: `1.0.0`, `18.3.1(react@18.3.1)`;
/// - a full dependency path when the alias differs from the package name (`npm:` aliases):
///   `string-width@4.2.3`, `@scope/real@1.0.0(peer@1.0.0)`;
/// - a non-registry reference: `https://host/x.tgz`, `file:../x.tgz`;
/// - `link:../x`, a symlink to a directory that is not in the lockfile's packages.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DependencyRef(String);

/// What a [`DependencyRef`] points at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DependencyTarget {
    /// A `snapshots` key.
    Snapshot(DepPath),
    /// A `link:` path, relative to the directory of the importer or package that declares it.
    Link(String),
}

impl DependencyRef {
    pub fn new(text: impl Into<String>) -> Self {
        DependencyRef(text.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_link(&self) -> bool {
        self.0.starts_with("link:")
    }

    /// Resolves the reference for the dependency named `alias`, following pnpm's `refToRelative`
    /// (deps/path): a reference whose first `@` comes before any `:` and `(` is already a
    /// dependency path; anything else is a version of `alias` itself.
    pub fn target(&self, alias: &str) -> Result<DependencyTarget, TypesError> {
        let reference = self.0.as_str();
        if let Some(path) = reference.strip_prefix("link:") {
            return Ok(DependencyTarget::Link(path.to_owned()));
        }
        let is_dep_path = reference.starts_with('@')
            || reference.find('@').is_some_and(|at| {
                reference.find(':').is_none_or(|colon| at < colon)
                    && reference.find('(').is_none_or(|paren| at < paren)
            });
        let dep_path = if is_dep_path {
            DepPath::parse(reference)?
        } else {
            DepPath::parse(&format!("{alias}@{reference}"))?
        };
        Ok(DependencyTarget::Snapshot(dep_path))
    }

    /// The reference without its peer (and patch hash) suffix: the trailing run of balanced
    /// `( … )` groups, as pnpm's `removeSuffix` (deps/path) finds it.
    pub fn without_peers(&self) -> &str {
        let bytes = self.0.as_bytes();
        if bytes.last() != Some(&b')') {
            return &self.0;
        }
        let mut open = 1isize;
        for i in (0..bytes.len() - 1).rev() {
            match bytes[i] {
                b'(' => open -= 1,
                b')' => open += 1,
                _ if open == 0 => return &self.0[..=i],
                _ => {}
            }
        }
        &self.0
    }
}

impl fmt::Display for DependencyRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for DependencyRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(reference: &str, alias: &str) -> DependencyTarget {
        DependencyRef::new(reference).target(alias).unwrap()
    }

    fn snapshot(key: &str) -> DependencyTarget {
        DependencyTarget::Snapshot(DepPath::parse(key).unwrap())
    }

    #[test]
    fn resolves_every_v9_encoding() {
        assert_eq!(target("1.0.0", "a"), snapshot("a@1.0.0"));
        assert_eq!(
            target("18.3.1(react@18.3.1)", "react-dom"),
            snapshot("react-dom@18.3.1(react@18.3.1)")
        );
        assert_eq!(
            target("string-width@4.2.3", "string-width-cjs"),
            snapshot("string-width@4.2.3")
        );
        assert_eq!(target("@types/x@1.0.0(p@1.0.0)", "x"), snapshot("@types/x@1.0.0(p@1.0.0)"));
        assert_eq!(
            target("https://h.example.test/@s/a/-/a-1.tgz", "a"),
            snapshot("a@https://h.example.test/@s/a/-/a-1.tgz")
        );
        assert_eq!(target("file:../a.tgz", "a"), snapshot("a@file:../a.tgz"));
        assert_eq!(
            target("link:../core", "@fixture/core"),
            DependencyTarget::Link("../core".into())
        );
    }

    #[test]
    fn strips_peer_suffix() {
        assert_eq!(DependencyRef::new("18.3.1(react@18.3.1)").without_peers(), "18.3.1");
        assert_eq!(DependencyRef::new("1.0.0").without_peers(), "1.0.0");
        assert_eq!(DependencyRef::new("1.0.0(patch_hash=ab)(a@1(b@2))").without_peers(), "1.0.0");
        assert_eq!(DependencyRef::new("(a@1)").without_peers(), "(a@1)");
        assert_eq!(DependencyRef::new("1((a@1)").without_peers(), "1((a@1)");
    }

    #[test]
    fn rejects_references_that_are_not_dep_paths() {
        assert!(DependencyRef::new("1.0.0").target("../evil").is_err());
        assert!(DependencyRef::new("x@").target("a").is_err());
    }
}
