use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

use crate::{PkgName, TypesError};

/// A lockfile v9 snapshot key: `name@version` followed by an optional peer suffix such as
/// `(react@18.3.1)(typescript@5.5.4)`. The version part may also be a non-registry reference
/// (`https://…tgz`, `file:…`). The packages-section key is the same string without the suffix.
#[derive(Clone, Serialize)]
#[serde(transparent)]
pub struct DepPath {
    text: String,
    #[serde(skip)]
    name_len: usize,
    #[serde(skip)]
    suffix_start: usize,
}

impl DepPath {
    pub fn parse(text: &str) -> Result<Self, TypesError> {
        let invalid = |reason| TypesError::InvalidDepPath { dep_path: text.to_owned(), reason };
        // A scoped name starts with '@', so the separator is the first '@' after position 0.
        let at = text
            .get(1..)
            .and_then(|rest| rest.find('@'))
            .map(|i| i + 1)
            .ok_or_else(|| invalid("missing '@' between name and version"))?;
        PkgName::parse(&text[..at]).map_err(|_| invalid("the name part is not a package name"))?;
        let suffix_start =
            peer_suffix_start(text).ok_or_else(|| invalid("unbalanced parentheses"))?;
        if suffix_start <= at + 1 {
            return Err(invalid("empty version"));
        }
        if text[at + 1..suffix_start].contains(['(', ')']) {
            return Err(invalid("unbalanced parentheses"));
        }
        Ok(DepPath { text: text.to_owned(), name_len: at, suffix_start })
    }

    /// `name@version` joined from parts, with no peer suffix.
    pub fn from_parts(name: &PkgName, version: &str) -> Result<Self, TypesError> {
        DepPath::parse(&format!("{name}@{version}"))
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub fn name(&self) -> &str {
        &self.text[..self.name_len]
    }

    /// The version (or reference) between the `@` and the peer suffix.
    pub fn version(&self) -> &str {
        &self.text[self.name_len + 1..self.suffix_start]
    }

    /// The peer suffix including its parentheses, or `""`.
    pub fn peers_suffix(&self) -> &str {
        &self.text[self.suffix_start..]
    }

    /// The packages-section key: `name@version` without the peer suffix.
    pub fn without_peers(&self) -> &str {
        &self.text[..self.suffix_start]
    }
}

/// Where the trailing run of balanced `( … )` groups begins (the string's length when there is
/// none), or `None` when the parentheses do not balance.
fn peer_suffix_start(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut end = bytes.len();
    while end > 0 && bytes[end - 1] == b')' {
        let mut depth = 0usize;
        let mut i = end;
        loop {
            if i == 0 {
                return None;
            }
            i -= 1;
            match bytes[i] {
                b')' => depth += 1,
                b'(' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                _ => {}
            }
        }
        end = i;
    }
    Some(end)
}

// Equality, order and hash are the text's alone (the offsets follow from it), so that maps keyed by
// DepPath can be queried with a `&str` through `Borrow`.
impl PartialEq for DepPath {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl Eq for DepPath {}

impl std::hash::Hash for DepPath {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.text.hash(state);
    }
}

impl PartialOrd for DepPath {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for DepPath {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.text.cmp(&other.text)
    }
}

impl std::borrow::Borrow<str> for DepPath {
    fn borrow(&self) -> &str {
        &self.text
    }
}

impl fmt::Display for DepPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl fmt::Debug for DepPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.text, f)
    }
}

impl std::str::FromStr for DepPath {
    type Err = TypesError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        DepPath::parse(s)
    }
}

impl<'de> Deserialize<'de> for DepPath {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        DepPath::parse(&raw).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_name_version_and_peers() {
        let p = DepPath::parse(
            "@mui/material@5.16.7(@emotion/react@11.13.3(react@18.3.1))(react@18.3.1)",
        )
        .unwrap();
        assert_eq!(p.name(), "@mui/material");
        assert_eq!(p.version(), "5.16.7");
        assert_eq!(p.peers_suffix(), "(@emotion/react@11.13.3(react@18.3.1))(react@18.3.1)");
        assert_eq!(p.without_peers(), "@mui/material@5.16.7");
    }

    #[test]
    fn plain_and_url_versions() {
        let p = DepPath::parse("lodash@4.17.21").unwrap();
        assert_eq!((p.name(), p.version(), p.peers_suffix()), ("lodash", "4.17.21", ""));
        let p = DepPath::parse("foo@https://example.test/foo-1.0.0.tgz").unwrap();
        assert_eq!(p.version(), "https://example.test/foo-1.0.0.tgz");
    }

    #[test]
    fn rejects_malformed() {
        for bad in ["lodash", "@scope/x", "x@", "x@1.0.0(a@1", "../x@1.0.0", "x@(a@1)"] {
            assert!(DepPath::parse(bad).is_err(), "{bad:?}");
        }
    }
}
