//! `${NAME}` substitution as pnpm's `@pnpm/config.env-replace` does it: `${NAME-default}`,
//! `${NAME:-default}` (default also when empty), and backslashes before `$` escaping in pairs.

use std::collections::HashMap;

/// The expression that named an unset variable, e.g. `${NPM_TOKEN}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct UnsetVar(pub(crate) String);

pub(crate) fn has_placeholder(text: &str) -> bool {
    text.match_indices("${").any(|(at, _)| text[at + 2..].find('}').is_some_and(|end| end > 0))
}

pub(crate) fn env_replace(text: &str, env: &HashMap<String, String>) -> Result<String, UnsetVar> {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut search = 0;
    while let Some(found) = text[search..].find("${") {
        let dollar = search + found;
        search = dollar + 1;
        let Some(name_len) = placeholder_name_len(&text[dollar + 2..]) else { continue };
        let run_start = backslash_run_start(bytes, dollar, copied);
        let end = dollar + 2 + name_len + 1;
        let escapes = dollar - run_start;
        out.push_str(&text[copied..run_start]);
        if escapes % 2 == 1 {
            out.push_str(&text[run_start + escapes.div_ceil(2)..end]);
        } else {
            let name = &text[dollar + 2..end - 1];
            let value = lookup(name, env).ok_or_else(|| UnsetVar(text[dollar..end].to_owned()))?;
            out.push_str(&text[run_start..run_start + escapes / 2]);
            out.push_str(&value);
        }
        copied = end;
        search = end;
    }
    out.push_str(&text[copied..]);
    Ok(out)
}

/// Length of `NAME` in `NAME}`: at least one character, none of `$`, `{`, `}`.
fn placeholder_name_len(rest: &str) -> Option<usize> {
    let end = rest.find(['$', '{', '}'])?;
    (end > 0 && rest.as_bytes()[end] == b'}').then_some(end)
}

fn backslash_run_start(bytes: &[u8], dollar: usize, floor: usize) -> usize {
    let mut start = dollar;
    while start > floor && bytes[start - 1] == b'\\' {
        start -= 1;
    }
    start
}

/// Resolves `NAME`, `NAME-default` or `NAME:-default`. Like the reference regex
/// `([^:-]+)(:?)-(.+)`, the match is unanchored: the first run of characters other than `:`
/// and `-` that is followed by `-` or `:-` and a non-empty default is the variable name.
fn lookup(expression: &str, env: &HashMap<String, String>) -> Option<String> {
    let Some((name, empty_means_unset, default)) = split_default(expression) else {
        return env.get(expression).cloned();
    };
    match env.get(name) {
        Some(value) if value.is_empty() && empty_means_unset => Some(default.to_owned()),
        Some(value) => Some(value.clone()),
        None => Some(default.to_owned()),
    }
}

fn split_default(expression: &str) -> Option<(&str, bool, &str)> {
    let is_separator = |c: char| c == ':' || c == '-';
    let mut start = 0;
    while start < expression.len() {
        let rest = &expression[start..];
        let run = rest.find(is_separator).unwrap_or(rest.len());
        if run > 0 {
            let after = &rest[run..];
            let (colon, tail) = match after.strip_prefix(":-") {
                Some(tail) => (true, tail),
                None => (false, after.strip_prefix('-').unwrap_or("")),
            };
            if !tail.is_empty() && (colon || after.starts_with('-')) {
                return Some((&rest[..run], colon, tail));
            }
        }
        start += rest.chars().next().map_or(1, char::len_utf8);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env() -> HashMap<String, String> {
        [("TOKEN", "t0k"), ("EMPTY", ""), ("b", "bee")]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect()
    }

    fn replace(text: &str) -> Result<String, UnsetVar> {
        env_replace(text, &env())
    }

    #[test]
    fn substitutes_variables_and_defaults() {
        assert_eq!(replace("a${TOKEN}b").unwrap(), "at0kb");
        assert_eq!(replace("${NOPE-dflt}").unwrap(), "dflt");
        assert_eq!(replace("${NOPE:-dflt}").unwrap(), "dflt");
        assert_eq!(replace("${EMPTY-dflt}").unwrap(), "");
        assert_eq!(replace("${EMPTY:-dflt}").unwrap(), "dflt");
        assert_eq!(replace("${TOKEN:-x-y}").unwrap(), "t0k");
        assert_eq!(replace("no placeholders $ {X}").unwrap(), "no placeholders $ {X}");
    }

    #[test]
    fn unset_variable_is_reported_with_its_expression() {
        assert_eq!(replace("x${NOPE}"), Err(UnsetVar("${NOPE}".to_owned())));
    }

    #[test]
    fn backslashes_escape_in_pairs() {
        assert_eq!(replace(r"\${NOPE}").unwrap(), "${NOPE}");
        assert_eq!(replace(r"\\${TOKEN}").unwrap(), r"\t0k");
        assert_eq!(replace(r"\\\${NOPE}").unwrap(), r"\${NOPE}");
    }

    #[test]
    fn nested_braces_fall_back_to_the_inner_placeholder() {
        assert_eq!(replace("${a${TOKEN}}").unwrap(), "${at0k}");
    }

    #[test]
    fn default_split_is_unanchored_like_the_reference_regex() {
        assert_eq!(replace("${a:b-c}").unwrap(), "bee");
        assert_eq!(split_default("-x"), None);
        assert_eq!(split_default("A-"), None);
    }

    #[test]
    fn detects_placeholders() {
        assert!(has_placeholder("//${HOST}/"));
        assert!(!has_placeholder("${}"));
        assert!(!has_placeholder("plain"));
    }
}
