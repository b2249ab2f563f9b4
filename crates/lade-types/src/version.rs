use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

use crate::TypesError;

/// A resolved, exact package version as the lockfile and registry spell it (`1.2.3`,
/// `4.0.0-beta.1+build`). Kept as text: comparisons go through `node-semver` where needed, and the
/// original spelling is what directory names and lockfiles must reproduce.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Version(String);

impl Version {
    pub fn parse(version: &str) -> Result<Self, TypesError> {
        let invalid = |reason| TypesError::InvalidVersion { version: version.to_owned(), reason };
        if version.is_empty() {
            return Err(invalid("empty"));
        }
        if version.len() > 256 {
            return Err(invalid("longer than 256 characters"));
        }
        if version.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, '/' | '\\')) {
            return Err(invalid("contains whitespace, control characters or path separators"));
        }
        Ok(Version(version.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl<'de> Deserialize<'de> for Version {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        Version::parse(&raw).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_spelling() {
        assert_eq!(Version::parse("1.0.0-rc.1+b").unwrap().as_str(), "1.0.0-rc.1+b");
        assert!(Version::parse("").is_err());
        assert!(Version::parse("1.0.0/../../x").is_err());
    }
}
