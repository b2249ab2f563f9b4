use std::sync::Arc;

use lade_registry::Packument;
use serde_json::json;

use super::*;
use crate::preferred::{PreferredSelector, SelectorKind};

fn meta(versions: &[&str], latest: &str, deprecated: &[&str]) -> IndexedPackument {
    let versions: serde_json::Map<String, serde_json::Value> = versions
        .iter()
        .map(|v| {
            let mut entry = json!({ "version": v });
            if deprecated.contains(v) {
                entry["deprecated"] = json!("old");
            }
            ((*v).to_owned(), entry)
        })
        .collect();
    let doc = json!({ "name": "p", "dist-tags": { "latest": latest }, "versions": versions });
    let packument = Packument::parse(serde_json::to_vec(&doc).unwrap()).unwrap();
    IndexedPackument::new(Arc::new(packument))
}

fn range(text: &str) -> Selector {
    Selector::parse(text).unwrap()
}

fn picked(meta: &IndexedPackument, selector: &Selector, preferred: Option<&SelectorMap>) -> String {
    pick(meta, selector, preferred, false, &mut RangeCache::default()).unwrap().to_string()
}

#[test]
fn prefers_latest_then_highest_non_deprecated() {
    let m = meta(&["1.0.0", "1.1.0", "1.2.0", "2.0.0"], "1.1.0", &["1.2.0"]);
    assert_eq!(picked(&m, &range("^1.0.0"), None), "1.1.0");
    assert_eq!(picked(&m, &range("^2.0.0"), None), "2.0.0");
    let m = meta(&["1.0.0", "1.1.0", "1.2.0", "2.0.0"], "2.0.0", &["1.2.0"]);
    assert_eq!(picked(&m, &range("^1.0.0"), None), "1.1.0");
    assert_eq!(picked(&m, &range("latest"), None), "2.0.0");
    assert!(pick(&m, &range("^3"), None, false, &mut RangeCache::default()).is_none());
    assert_eq!(
        pick(&m, &range("^1"), None, true, &mut RangeCache::default()).unwrap().as_str(),
        "1.0.0"
    );
}

#[test]
fn preferred_versions_win_when_they_satisfy() {
    let m = meta(&["1.0.0", "1.1.0", "2.0.0"], "2.0.0", &[]);
    let mut preferred = SelectorMap::new();
    preferred.insert("1.0.0".into(), PreferredSelector { kind: SelectorKind::Version, weight: 1 });
    assert_eq!(picked(&m, &range("^1.0.0"), Some(&preferred)), "1.0.0");
    assert_eq!(picked(&m, &range("*"), Some(&preferred)), "1.0.0");
    assert_eq!(picked(&m, &range("^2.0.0"), Some(&preferred)), "2.0.0");
}
