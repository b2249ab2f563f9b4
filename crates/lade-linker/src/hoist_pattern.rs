//! `hoist-pattern` / `public-hoist-pattern` matching, as pnpm's `@pnpm/matcher`
//! (config/matcher/src/index.ts): `*` matches any run of characters, everything else is literal,
//! a leading `!` excludes, and with several patterns the last matching one decides.

/// A list of alias patterns such as `["*"]` or `["*eslint*", "!eslint-config-*"]`.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct HoistPattern {
    patterns: Vec<String>,
}

impl HoistPattern {
    pub fn new<S: Into<String>>(patterns: impl IntoIterator<Item = S>) -> Self {
        HoistPattern { patterns: patterns.into_iter().map(Into::into).collect() }
    }

    /// pnpm 10's `hoist-pattern` default: everything goes to `node_modules/.pnpm/node_modules`.
    pub fn hoist_everything() -> Self {
        HoistPattern::new(["*"])
    }

    pub fn patterns(&self) -> &[String] {
        &self.patterns
    }

    pub fn matches(&self, alias: &str) -> bool {
        match self.patterns.as_slice() {
            [] => false,
            [only] => match only.strip_prefix('!') {
                Some(excluded) => !glob_matches(excluded, alias),
                None => glob_matches(only, alias),
            },
            many => matches_in_order(many, alias),
        }
    }
}

/// Several patterns: with no exclusions any match counts; with only exclusions, matching none of
/// them counts; mixed, an inclusion matches until a later exclusion matches.
fn matches_in_order(patterns: &[String], alias: &str) -> bool {
    let has_include = patterns.iter().any(|p| !p.starts_with('!'));
    let has_exclude = patterns.iter().any(|p| p.starts_with('!'));
    if !has_exclude {
        return patterns.iter().any(|p| glob_matches(p, alias));
    }
    if !has_include {
        return !patterns.iter().any(|p| glob_matches(&p[1..], alias));
    }
    let mut matched = false;
    for pattern in patterns {
        match pattern.strip_prefix('!') {
            Some(excluded) => {
                if glob_matches(excluded, alias) {
                    matched = false;
                }
            }
            None => matched = matched || glob_matches(pattern, alias),
        }
    }
    matched
}

/// `*` matches any (possibly empty) run of characters; the rest must match exactly.
fn glob_matches(pattern: &str, text: &str) -> bool {
    let (pattern, text) = (pattern.as_bytes(), text.as_bytes());
    let (mut p, mut t) = (0, 0);
    let mut backtrack: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pattern.len() && pattern[p] == b'*' {
            backtrack = Some((p, t));
            p += 1;
        } else if p < pattern.len() && pattern[p] == text[t] {
            p += 1;
            t += 1;
        } else if let Some((star, start)) = backtrack {
            p = star + 1;
            t = start + 1;
            backtrack = Some((star, start + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|&b| b == b'*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob_matches("*", ""));
        assert!(glob_matches("*eslint*", "eslint"));
        assert!(glob_matches("*eslint*", "@typescript-eslint/parser"));
        assert!(glob_matches("@types/*", "@types/node"));
        assert!(!glob_matches("@types/*", "@typesx/node"));
        assert!(glob_matches("a*b*c", "aXXbYYbc"));
        assert!(!glob_matches("a*b", "ab-"));
        assert!(!glob_matches("React", "react"));
        assert!(glob_matches("a.b", "a.b"));
        assert!(!glob_matches("a.b", "axb"));
    }

    #[test]
    fn pattern_lists_follow_pnpm_matcher() {
        assert!(!HoistPattern::default().matches("a"));
        assert!(HoistPattern::hoist_everything().matches("@scope/a"));
        let single_negation = HoistPattern::new(["!eslint"]);
        assert!(single_negation.matches("prettier") && !single_negation.matches("eslint"));
        let only_negations = HoistPattern::new(["!a", "!b"]);
        assert!(only_negations.matches("c") && !only_negations.matches("a"));
        let mixed = HoistPattern::new(["*eslint*", "!eslint-config-*"]);
        assert!(mixed.matches("eslint-plugin-react"));
        assert!(!mixed.matches("eslint-config-airbnb"));
        assert!(!mixed.matches("react"));
        // An inclusion after the exclusion brings a name back.
        let reincluded = HoistPattern::new(["*", "!@types/*", "@types/node"]);
        assert!(reincluded.matches("@types/node") && !reincluded.matches("@types/react"));
    }
}
