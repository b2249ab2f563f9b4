//! npm's semver, as the `semver` 7.7 package that pnpm bundles reads versions and ranges: loose
//! parsing, `^`/`~`/x-ranges/hyphen ranges desugared to comparators, and the prerelease rule (a
//! prerelease satisfies a range only through a comparator on the same `major.minor.patch`).

mod patterns;
mod range;

use std::cmp::Ordering;
use std::fmt;

pub use range::{Range, normalize};

/// Numbers above this are not exact in JavaScript, so npm refuses them.
const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;
const MAX_LENGTH: usize = 256;

/// A parsed semantic version. Build metadata is kept out of comparisons, as in npm.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SemVer {
    pub major: u64,
    pub minor: u64,
    pub patch: u64,
    pub prerelease: Vec<Identifier>,
}

/// A prerelease identifier: numeric ones compare as numbers and sort before alphanumeric ones.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Identifier {
    Numeric(u64),
    Text(String),
}

impl SemVer {
    /// npm's `new SemVer(text, loose)`; `None` where npm throws.
    pub fn parse(text: &str, loose: bool) -> Option<SemVer> {
        if text.len() > MAX_LENGTH {
            return None;
        }
        if let Some(plain) = parse_plain(text, loose) {
            return Some(plain);
        }
        let pattern = if loose { patterns::loose_version() } else { patterns::full_version() };
        let captures = pattern.captures(text.trim())?;
        let number = |i: usize| -> Option<u64> {
            captures.get(i)?.as_str().parse::<u64>().ok().filter(|n| *n <= MAX_SAFE_INTEGER)
        };
        let prerelease = match captures.get(4) {
            Some(pre) => pre.as_str().split('.').map(Identifier::parse).collect(),
            None => Vec::new(),
        };
        Some(SemVer { major: number(1)?, minor: number(2)?, patch: number(3)?, prerelease })
    }

    pub fn is_prerelease(&self) -> bool {
        !self.prerelease.is_empty()
    }

    pub fn same_release(&self, other: &SemVer) -> bool {
        (self.major, self.minor, self.patch) == (other.major, other.minor, other.patch)
    }
}

/// `major.minor.patch`, optionally `-prerelease` and `+build`: the form almost every published
/// version has, read without the regular expression (which accepts the same text the same way;
/// anything unusual is left to it).
fn parse_plain(text: &str, loose: bool) -> Option<SemVer> {
    let (text, _build) = match text.split_once('+') {
        Some((text, build)) if build.split('.').all(is_identifier) => (text, Some(build)),
        Some(_) => return None,
        None => (text, None),
    };
    let (release, prerelease) = match text.split_once('-') {
        Some((release, pre)) => (release, Some(pre)),
        None => (text, None),
    };
    let mut parts = release.split('.');
    let mut number = || -> Option<u64> {
        let part = parts.next()?;
        let digits = !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
        let canonical = loose || part == "0" || !part.starts_with('0');
        if !digits || !canonical || part.len() > 16 {
            return None;
        }
        part.parse::<u64>().ok().filter(|n| *n <= MAX_SAFE_INTEGER)
    };
    let (major, minor, patch) = (number()?, number()?, number()?);
    if parts.next().is_some() {
        return None;
    }
    let prerelease = match prerelease {
        None => Vec::new(),
        Some(pre) => {
            let ids: Vec<&str> = pre.split('.').collect();
            let numeric_with_zero = |id: &&str| {
                id.len() > 1 && id.starts_with('0') && id.bytes().all(|b| b.is_ascii_digit())
            };
            if !ids.iter().all(|id| is_identifier(id))
                || (!loose && ids.iter().any(numeric_with_zero))
            {
                return None;
            }
            ids.into_iter().map(Identifier::parse).collect()
        }
    };
    Some(SemVer { major, minor, patch, prerelease })
}

/// A prerelease or build identifier: ASCII letters, digits and `-`.
fn is_identifier(id: &str) -> bool {
    !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

impl Identifier {
    fn parse(text: &str) -> Identifier {
        let numeric = !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
        match text.parse::<u64>() {
            Ok(number) if numeric && number < MAX_SAFE_INTEGER => Identifier::Numeric(number),
            _ => Identifier::Text(text.to_owned()),
        }
    }
}

impl Ord for Identifier {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (Identifier::Numeric(a), Identifier::Numeric(b)) => a.cmp(b),
            (Identifier::Numeric(_), Identifier::Text(_)) => Ordering::Less,
            (Identifier::Text(_), Identifier::Numeric(_)) => Ordering::Greater,
            (Identifier::Text(a), Identifier::Text(b)) => a.cmp(b),
        }
    }
}

impl PartialOrd for Identifier {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for SemVer {
    fn cmp(&self, other: &Self) -> Ordering {
        let main =
            (self.major, self.minor, self.patch).cmp(&(other.major, other.minor, other.patch));
        main.then_with(|| match (self.is_prerelease(), other.is_prerelease()) {
            (false, false) => Ordering::Equal,
            (true, false) => Ordering::Less,
            (false, true) => Ordering::Greater,
            (true, true) => self.prerelease.cmp(&other.prerelease),
        })
    }
}

impl PartialOrd for SemVer {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Identifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Identifier::Numeric(n) => write!(f, "{n}"),
            Identifier::Text(text) => f.write_str(text),
        }
    }
}

/// npm's `version` property: `major.minor.patch[-prerelease]`, without build metadata.
impl fmt::Display for SemVer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)?;
        for (i, id) in self.prerelease.iter().enumerate() {
            f.write_str(if i == 0 { "-" } else { "." })?;
            write!(f, "{id}")?;
        }
        Ok(())
    }
}

/// npm's `semver.valid(text, loose)`: the normalized version, or `None`.
pub fn valid(text: &str, loose: bool) -> Option<String> {
    SemVer::parse(text, loose).map(|v| v.to_string())
}

/// npm's `semver.compare` on strings parsed loosely; unparsable versions sort first.
pub fn compare_loose(a: &str, b: &str) -> Ordering {
    match (SemVer::parse(a, true), SemVer::parse(b, true)) {
        (Some(a), Some(b)) => a.cmp(&b),
        (Some(_), None) => Ordering::Greater,
        (None, Some(_)) => Ordering::Less,
        (None, None) => Ordering::Equal,
    }
}

#[cfg(test)]
mod tests;
