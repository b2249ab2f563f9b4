//! pnpm's read-package hooks, in its order: package extensions (the compatibility database,
//! then the user's), overrides, then the removal of ignored optional dependencies.

use crate::ResolveError;
use crate::dep_manifest::DepManifest;
use crate::extensions::Extensions;
use crate::options::ResolveInput;
use crate::overrides::Overrides;

#[derive(Debug)]
pub(crate) struct Hooks {
    extensions: Extensions,
    overrides: Overrides,
    ignored_optional: Vec<NamePattern>,
}

impl Hooks {
    pub(crate) fn new(input: &ResolveInput) -> Result<Hooks, ResolveError> {
        Ok(Hooks {
            extensions: Extensions::new(
                &input.package_extensions,
                !input.settings.ignore_compatibility_db,
            ),
            overrides: Overrides::parse(&input.overrides, &input.catalogs)?,
            ignored_optional: input
                .ignored_optional_dependencies
                .iter()
                .map(|p| NamePattern::new(p))
                .collect(),
        })
    }

    /// Runs the hooks on the manifest of `name@version`.
    pub(crate) fn apply(&self, name: &str, version: &str, manifest: &mut DepManifest) {
        self.extensions.extend(name, version, manifest);
        self.overrides.apply(name, version, manifest);
        if self.ignored_optional.is_empty() {
            return;
        }
        let ignored: Vec<String> = manifest
            .optional_dependencies
            .keys()
            .filter(|dep| matches_any(&self.ignored_optional, dep))
            .cloned()
            .collect();
        for dep in ignored {
            manifest.optional_dependencies.shift_remove(&dep);
            manifest.dependencies.shift_remove(&dep);
        }
    }
}

/// pnpm's `createMatcher` patterns: `*` matches any run of characters, a leading `!` excludes.
#[derive(Debug)]
pub(crate) struct NamePattern {
    negated: bool,
    parts: Vec<String>,
}

impl NamePattern {
    pub(crate) fn new(pattern: &str) -> NamePattern {
        let (negated, body) = match pattern.strip_prefix('!') {
            Some(rest) => (true, rest),
            None => (false, pattern),
        };
        NamePattern { negated, parts: body.split('*').map(str::to_owned).collect() }
    }

    fn matches(&self, name: &str) -> bool {
        let (first, rest) = self.parts.split_first().map_or(("", &[][..]), |(f, r)| (f, r));
        let Some(mut remaining) = name.strip_prefix(first) else { return false };
        let Some((last, middle)) = rest.split_last() else { return remaining.is_empty() };
        for part in middle {
            match remaining.find(part.as_str()) {
                Some(at) => remaining = &remaining[at + part.len()..],
                None => return false,
            }
        }
        remaining.len() >= last.len() && remaining.ends_with(last.as_str())
    }
}

/// The last pattern that decides wins, as in pnpm's matcher; only exclusions match the rest.
pub(crate) fn matches_any(patterns: &[NamePattern], name: &str) -> bool {
    if patterns.iter().all(|p| p.negated) {
        return !patterns.is_empty() && !patterns.iter().any(|p| p.matches(name));
    }
    let mut matched = false;
    for pattern in patterns {
        if pattern.negated {
            if matched && pattern.matches(name) {
                matched = false;
            }
        } else if pattern.matches(name) {
            matched = true;
        }
    }
    matched
}

#[cfg(test)]
mod tests {
    use super::*;

    fn any(patterns: &[&str], name: &str) -> bool {
        let patterns: Vec<NamePattern> = patterns.iter().map(|p| NamePattern::new(p)).collect();
        matches_any(&patterns, name)
    }

    #[test]
    fn patterns_match_like_pnpm() {
        assert!(any(&["fsevents"], "fsevents"));
        assert!(!any(&["fsevents"], "fsevents2"));
        assert!(any(&["@esbuild/*"], "@esbuild/linux-x64"));
        assert!(any(&["*-darwin-*"], "swc-darwin-arm64"));
        assert!(!any(&["*-darwin-*"], "swc-linux-x64"));
        assert!(!any(&["@esbuild/*", "!@esbuild/linux-*"], "@esbuild/linux-x64"));
        assert!(any(&["*"], "anything"));
        assert!(any(&["!fsevents"], "other") && !any(&["!fsevents"], "fsevents"));
    }

    #[test]
    fn removes_ignored_optional_dependencies_from_both_fields() {
        let input = ResolveInput {
            ignored_optional_dependencies: vec!["fsevents".to_owned()],
            ..ResolveInput::default()
        };
        let hooks = Hooks::new(&input).unwrap();
        let mut manifest = DepManifest::default();
        manifest.optional_dependencies.insert("fsevents".into(), "^2".into());
        manifest.dependencies.insert("fsevents".into(), "^2".into());
        manifest.optional_dependencies.insert("other".into(), "^1".into());
        hooks.apply("pkg", "1.0.0", &mut manifest);
        assert!(!manifest.dependencies.contains_key("fsevents"));
        assert_eq!(manifest.optional_dependencies.keys().collect::<Vec<_>>(), ["other"]);
    }
}
