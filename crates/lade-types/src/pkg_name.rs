use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

use crate::TypesError;

/// An npm package name, `name` or `@scope/name`.
///
/// Validation is lenient about legacy names the registry still serves (uppercase letters, `~`,
/// `!`) but strict about anything that could escape a `node_modules` directory when the name is
/// used as a path: empty segments, `.`/`..`, backslashes, NUL and extra slashes are rejected.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct PkgName(String);

impl PkgName {
    pub fn parse(name: &str) -> Result<Self, TypesError> {
        let invalid = |reason| TypesError::InvalidPackageName { name: name.to_owned(), reason };
        if name.is_empty() {
            return Err(invalid("empty"));
        }
        if name.len() > 214 {
            return Err(invalid("longer than 214 characters"));
        }
        let bare = match name.strip_prefix('@') {
            Some(scoped) => {
                let (scope, bare) =
                    scoped.split_once('/').ok_or_else(|| invalid("a scoped name needs a '/'"))?;
                check_segment(scope).map_err(invalid)?;
                bare
            }
            None => name,
        };
        check_segment(bare).map_err(invalid)?;
        Ok(PkgName(name.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The scope without `@`, for `@scope/name`.
    pub fn scope(&self) -> Option<&str> {
        self.0.strip_prefix('@').and_then(|rest| rest.split_once('/')).map(|(scope, _)| scope)
    }
}

fn check_segment(segment: &str) -> Result<(), &'static str> {
    if segment.is_empty() {
        return Err("empty name segment");
    }
    if segment == "." || segment == ".." {
        return Err("a name segment cannot be '.' or '..'");
    }
    if segment.starts_with('.') {
        return Err("a name cannot start with '.'");
    }
    if segment.chars().any(|c| matches!(c, '/' | '\\' | '\0' | '\n' | '\r') || c.is_control()) {
        return Err("a name cannot contain path separators or control characters");
    }
    Ok(())
}

impl fmt::Display for PkgName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for PkgName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl AsRef<str> for PkgName {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

// Lets maps keyed by PkgName be queried with a plain `&str`; Eq, Ord and Hash agree with str's.
impl std::borrow::Borrow<str> for PkgName {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl std::str::FromStr for PkgName {
    type Err = TypesError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        PkgName::parse(s)
    }
}

impl<'de> Deserialize<'de> for PkgName {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        PkgName::parse(&raw).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_registry_names() {
        for name in ["lodash", "@types/node", "JSONStream", "lodash.get", "@a/b-c_d", "-x", "_y"] {
            assert_eq!(PkgName::parse(name).unwrap().as_str(), name);
        }
        assert_eq!(PkgName::parse("@types/node").unwrap().scope(), Some("types"));
        assert_eq!(PkgName::parse("node").unwrap().scope(), None);
    }

    #[test]
    fn rejects_names_that_escape_node_modules() {
        for name in
            ["", "..", ".", "../x", "@scope/../x", "@../x", "a/b", "@s/a/b", "a\\b", "@s", "x\0"]
        {
            assert!(PkgName::parse(name).is_err(), "{name:?} should be rejected");
        }
    }
}
