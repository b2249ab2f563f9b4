//! `overrides` (and `resolutions`): replace the specifier of matching dependencies, everywhere
//! (`foo`, `foo@<2`) or only below a parent (`bar>foo`, `bar@1>foo`).

use indexmap::IndexMap;

use crate::ResolveError;
use crate::dep_manifest::DepManifest;
use crate::selector::split_selector;
use crate::semver::{Range, SemVer};

#[derive(Debug, Default)]
pub(crate) struct Overrides {
    rules: Vec<Rule>,
}

#[derive(Debug)]
struct Rule {
    selector: String,
    parent: Option<(String, Option<String>)>,
    name: String,
    range: Option<String>,
    replacement: String,
}

impl Overrides {
    pub(crate) fn parse(
        overrides: &IndexMap<String, String>,
        catalogs: &IndexMap<String, IndexMap<String, String>>,
    ) -> Result<Overrides, ResolveError> {
        let mut rules = Vec::new();
        for (selector, replacement) in overrides {
            let invalid = || ResolveError::InvalidSelector {
                setting: "overrides",
                selector: selector.clone(),
            };
            let (parent, target) = match parent_delimiter(selector) {
                Some(at) => (Some(split_selector(&selector[..at])), &selector[at + 1..]),
                None => (None, selector.as_str()),
            };
            let (name, range) = split_selector(target);
            if name.is_empty() {
                return Err(invalid());
            }
            let replacement = match replacement.strip_prefix("catalog:") {
                Some(catalog) => {
                    let catalog = if catalog.is_empty() { "default" } else { catalog };
                    catalogs.get(catalog).and_then(|c| c.get(&name)).cloned().ok_or_else(invalid)?
                }
                None => replacement.clone(),
            };
            rules.push(Rule { selector: selector.clone(), parent, name, range, replacement });
        }
        Ok(Overrides { rules })
    }

    /// The lockfile's `overrides`: each selector with its replacement, catalogs resolved.
    pub(crate) fn recorded(&self) -> IndexMap<String, String> {
        self.rules.iter().map(|r| (r.selector.clone(), r.replacement.clone())).collect()
    }

    pub(crate) fn apply(&self, name: &str, version: &str, manifest: &mut DepManifest) {
        if self.rules.is_empty() {
            return;
        }
        let scoped: Vec<&Rule> = self
            .rules
            .iter()
            .filter(|rule| {
                rule.parent.as_ref().is_some_and(|(parent, range)| {
                    parent == name && range.as_deref().is_none_or(|r| satisfies(version, r))
                })
            })
            .collect();
        let generic: Vec<&Rule> = self.rules.iter().filter(|rule| rule.parent.is_none()).collect();
        let pick = |dep: &str, spec: &str| {
            most_specific(&scoped, dep, spec).or_else(|| most_specific(&generic, dep, spec))
        };
        for deps in [
            &mut manifest.dependencies,
            &mut manifest.optional_dependencies,
            &mut manifest.dev_dependencies,
        ] {
            let names: Vec<(String, String)> =
                deps.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
            for (dep, spec) in names {
                match pick(&dep, &spec) {
                    Some(rule) if rule.replacement == "-" => {
                        deps.shift_remove(&dep);
                    }
                    Some(rule) => {
                        deps.insert(dep, rule.replacement.clone());
                    }
                    None => {}
                }
            }
        }
        let peers: Vec<(String, String)> =
            manifest.peer_dependencies.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        for (dep, spec) in peers {
            let Some(rule) = pick(&dep, &spec) else { continue };
            if rule.replacement == "-" {
                manifest.peer_dependencies.shift_remove(&dep);
            } else if Range::parse(&rule.replacement, false, false).is_some() {
                manifest.peer_dependencies.insert(dep, rule.replacement.clone());
            } else {
                manifest.dependencies.insert(dep, rule.replacement.clone());
            }
        }
    }
}

/// Where `parent>child` splits: a `>` not preceded by a space, `|` or `@`.
fn parent_delimiter(selector: &str) -> Option<usize> {
    let bytes = selector.as_bytes();
    (1..bytes.len()).find(|&i| bytes[i] == b'>' && !matches!(bytes[i - 1], b' ' | b'|' | b'@'))
}

fn satisfies(version: &str, range: &str) -> bool {
    let range = Range::parse(range, false, false);
    SemVer::parse(version, false).is_some_and(|v| range.is_some_and(|r| r.test(&v)))
}

/// pnpm's `isIntersectingRange`: no range on the selector, the same text, or overlapping ranges.
fn intersecting(selector_range: Option<&str>, spec: &str) -> bool {
    let Some(selector_range) = selector_range else { return true };
    if selector_range == spec {
        return true;
    }
    match (Range::parse(spec, false, false), Range::parse(selector_range, false, false)) {
        (Some(a), Some(b)) => a.intersect(&b).is_some(),
        _ => false,
    }
}

/// A rule with a range wins over one without.
fn most_specific<'a>(rules: &[&'a Rule], dep: &str, spec: &str) -> Option<&'a Rule> {
    let mut matching =
        rules.iter().filter(|r| r.name == dep && intersecting(r.range.as_deref(), spec));
    let first = matching.next()?;
    Some(
        std::iter::once(first)
            .chain(matching)
            .find(|r| r.range.is_some())
            .copied()
            .unwrap_or(first),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(deps: &[(&str, &str)]) -> DepManifest {
        let mut m = DepManifest::default();
        for (k, v) in deps {
            m.dependencies.insert((*k).into(), (*v).into());
        }
        m
    }

    #[test]
    fn applies_generic_ranged_and_parent_rules() {
        let mut raw = IndexMap::new();
        raw.insert("foo".to_owned(), "2.0.0".to_owned());
        raw.insert("bar@<2".to_owned(), "1.9.9".to_owned());
        raw.insert("qux>baz".to_owned(), "-".to_owned());
        let overrides = Overrides::parse(&raw, &IndexMap::new()).unwrap();
        let mut m = manifest(&[("foo", "^1"), ("bar", "^1.0.0"), ("baz", "^1")]);
        overrides.apply("app", "1.0.0", &mut m);
        assert_eq!(m.dependencies["foo"], "2.0.0");
        assert_eq!(m.dependencies["bar"], "1.9.9");
        assert_eq!(m.dependencies["baz"], "^1");
        let mut m = manifest(&[("bar", "^3"), ("baz", "^1")]);
        overrides.apply("qux", "1.0.0", &mut m);
        assert_eq!(m.dependencies["bar"], "^3");
        assert!(!m.dependencies.contains_key("baz"));
    }
}
