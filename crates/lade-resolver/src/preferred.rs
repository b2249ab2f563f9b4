//! Preferred versions: the versions pnpm leans towards when several satisfy a range, so that a
//! graph reuses what the lockfile, the manifests and the nearby dependencies already have.

use std::collections::HashMap;
use std::rc::Rc;

use indexmap::IndexMap;

/// The weight pnpm gives to the projects' own specifiers and direct dependencies.
pub(crate) const DIRECT_DEPENDENCY_WEIGHT: u32 = 1000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SelectorKind {
    Version,
    Range,
    Tag,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct PreferredSelector {
    pub kind: SelectorKind,
    pub weight: u32,
}

/// Selector text (a version, a raw range, a tag) → how much it is preferred, for one package.
pub(crate) type SelectorMap = IndexMap<String, PreferredSelector>;

/// Layered like pnpm's prototype chain: a layer replaces a package's whole map, copied from the
/// layer below and extended.
#[derive(Clone, Debug, Default)]
pub(crate) struct Preferred {
    top: Option<Rc<Layer>>,
}

#[derive(Debug)]
struct Layer {
    below: Option<Rc<Layer>>,
    own: HashMap<String, Rc<SelectorMap>>,
}

impl Preferred {
    pub(crate) fn from_maps(maps: HashMap<String, SelectorMap>) -> Preferred {
        let own = maps.into_iter().map(|(name, map)| (name, Rc::new(map))).collect();
        Preferred { top: Some(Rc::new(Layer { below: None, own })) }
    }

    pub(crate) fn get(&self, name: &str) -> Option<&SelectorMap> {
        let mut layer = self.top.as_deref();
        while let Some(current) = layer {
            if let Some(map) = current.own.get(name) {
                return Some(map);
            }
            layer = current.below.as_deref();
        }
        None
    }

    /// A new layer that also prefers each `(name, version)` with `weight`, unless the name's map
    /// already has that version.
    pub(crate) fn with_versions<'a>(
        &self,
        versions: impl IntoIterator<Item = (&'a str, &'a str)>,
        weight: u32,
    ) -> Preferred {
        let mut own: HashMap<String, Rc<SelectorMap>> = HashMap::new();
        for (name, version) in versions {
            let map = own
                .entry(name.to_owned())
                .or_insert_with(|| Rc::new(self.get(name).cloned().unwrap_or_default()));
            if !map.contains_key(version) {
                Rc::make_mut(map).insert(
                    version.to_owned(),
                    PreferredSelector { kind: SelectorKind::Version, weight },
                );
            }
        }
        if own.is_empty() {
            return self.clone();
        }
        Preferred { top: Some(Rc::new(Layer { below: self.top.clone(), own })) }
    }
}
