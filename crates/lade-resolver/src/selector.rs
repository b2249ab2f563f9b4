//! `name` / `name@range` selectors, as pnpm's `parseWantedDependency` splits them.

/// The package name and the optional range of a selector.
pub(crate) fn split_selector(selector: &str) -> (String, Option<String>) {
    match selector.get(1..).and_then(|rest| rest.find('@')).map(|i| i + 1) {
        Some(at) => (selector[..at].to_owned(), Some(selector[at + 1..].to_owned())),
        None => (selector.to_owned(), None),
    }
}
