//! `packageExtensions`: dependency fields added to packages matching a selector, the user's own
//! and (unless disabled) those of yarn's compatibility database that pnpm bundles.

use indexmap::IndexMap;
use serde::Deserialize;

use crate::dep_manifest::DepManifest;
use crate::options::PackageExtension;
use crate::selector::split_selector;
use crate::semver::{Range, SemVer};

#[derive(Debug, Default)]
pub(crate) struct Extensions {
    /// In application order: the compatibility database first, then the user's.
    rules: Vec<Rule>,
}

#[derive(Debug)]
struct Rule {
    name: String,
    range: Option<String>,
    extension: PackageExtension,
}

#[derive(Deserialize)]
struct CompatibilityDb {
    extensions: Vec<(String, RawExtension)>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct RawExtension {
    #[serde(default)]
    dependencies: IndexMap<String, String>,
    #[serde(default)]
    optional_dependencies: IndexMap<String, String>,
    #[serde(default)]
    peer_dependencies: IndexMap<String, String>,
    #[serde(default)]
    peer_dependencies_meta: IndexMap<String, RawPeerMeta>,
}

#[derive(Deserialize, Default)]
struct RawPeerMeta {
    #[serde(default)]
    optional: bool,
}

impl Extensions {
    pub(crate) fn new(
        user: &IndexMap<String, PackageExtension>,
        with_compatibility_db: bool,
    ) -> Extensions {
        let mut rules = Vec::new();
        if with_compatibility_db {
            rules.extend(compatibility_db());
        }
        for (selector, extension) in user {
            let (name, range) = split_selector(selector);
            rules.push(Rule { name, range, extension: extension.clone() });
        }
        Extensions { rules }
    }

    pub(crate) fn extend(&self, name: &str, version: &str, manifest: &mut DepManifest) {
        for rule in self.rules.iter().filter(|rule| rule.name == name) {
            let applies = rule.range.as_deref().is_none_or(|range| {
                let range = Range::parse(range, false, false);
                SemVer::parse(version, false).is_some_and(|v| range.is_some_and(|r| r.test(&v)))
            });
            if !applies {
                continue;
            }
            let ext = &rule.extension;
            merge_under(&mut manifest.dependencies, &ext.dependencies);
            merge_under(&mut manifest.optional_dependencies, &ext.optional_dependencies);
            merge_under(&mut manifest.peer_dependencies, &ext.peer_dependencies);
            merge_under(&mut manifest.peer_dependencies_meta, &ext.peer_dependencies_meta);
        }
    }
}

/// `{...extension, ...own}`: the extension's keys first, the package's own values win.
fn merge_under<V: Clone>(own: &mut IndexMap<String, V>, extension: &IndexMap<String, V>) {
    if extension.is_empty() {
        return;
    }
    let mut merged = extension.clone();
    for (key, value) in own.drain(..) {
        merged.insert(key, value);
    }
    *own = merged;
}

fn compatibility_db() -> Vec<Rule> {
    let text = include_str!("extensions/compatibility-db.json");
    let Ok(db) = serde_json::from_str::<CompatibilityDb>(text) else { return Vec::new() };
    db.extensions
        .into_iter()
        .map(|(selector, raw)| {
            let (name, range) = split_selector(&selector);
            let extension = PackageExtension {
                dependencies: raw.dependencies,
                optional_dependencies: raw.optional_dependencies,
                peer_dependencies: raw.peer_dependencies,
                peer_dependencies_meta: raw
                    .peer_dependencies_meta
                    .into_iter()
                    .map(|(k, meta)| (k, meta.optional))
                    .collect(),
            };
            Rule { name, range, extension }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_compatibility_db_loads() {
        assert!(compatibility_db().len() > 100);
    }

    #[test]
    fn extension_keys_come_first_and_own_values_win() {
        let mut user = IndexMap::new();
        let mut extension = PackageExtension::default();
        extension.dependencies.insert("b".into(), "^2".into());
        extension.dependencies.insert("a".into(), "^9".into());
        user.insert("pkg@<2".to_owned(), extension);
        let extensions = Extensions::new(&user, false);
        let mut manifest = DepManifest::default();
        manifest.dependencies.insert("a".into(), "^1".into());
        extensions.extend("pkg", "1.5.0", &mut manifest);
        let deps: Vec<_> = manifest.dependencies.iter().collect();
        assert_eq!(
            deps,
            [(&"b".to_owned(), &"^2".to_owned()), (&"a".to_owned(), &"^1".to_owned())]
        );
        let mut newer = DepManifest::default();
        extensions.extend("pkg", "2.0.0", &mut newer);
        assert!(newer.dependencies.is_empty());
    }
}
