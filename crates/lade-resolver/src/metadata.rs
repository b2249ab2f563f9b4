//! Where the resolver gets packuments from. The resolver asks for many at once (it prefetches
//! the dependencies of every version it picks), so sources should serve requests concurrently.

use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::sync::{Arc, Mutex};

use lade_registry::{
    AuthHeader, MetadataCache, Packument, PackumentKind, RegistryClient, RegistryError,
};
use lade_types::PkgName;
use url::Url;

use crate::ResolveError;

/// A source of registry metadata.
pub trait MetadataSource: Send + Sync + 'static {
    /// The packument of `name`: the abbreviated document, or the full one when publish times
    /// are needed.
    fn packument(
        &self,
        name: &PkgName,
        kind: PackumentKind,
    ) -> impl Future<Output = Result<Arc<Packument>, ResolveError>> + Send;

    /// The registry `name` is fetched from, to tell registry tarballs (recorded by integrity
    /// alone) from tarballs elsewhere (recorded with their URL).
    fn registry_for(&self, name: &PkgName) -> &Url;

    /// Asks the registry for `name` again from now on, when its document was served from a
    /// cache without revalidation; `false` when there is nothing to refresh.
    fn refresh(&self, _name: &str) -> bool {
        false
    }
}

/// Packuments fetched over HTTP through lade-registry, with its on-disk cache.
#[derive(Debug)]
pub struct RegistryMetadata {
    client: Arc<RegistryClient>,
    registry: Url,
    scoped: HashMap<String, Url>,
    auth: HashMap<String, AuthHeader>,
    cache: Option<MetadataCache>,
    /// Names served from the cache without revalidation, and those to revalidate from now on.
    unrevalidated: Mutex<HashSet<String>>,
    refreshed: Mutex<HashSet<String>>,
}

impl RegistryMetadata {
    pub fn new(client: Arc<RegistryClient>, registry: Url, cache: Option<MetadataCache>) -> Self {
        RegistryMetadata {
            client,
            registry,
            scoped: HashMap::new(),
            auth: HashMap::new(),
            cache,
            unrevalidated: Mutex::default(),
            refreshed: Mutex::default(),
        }
    }

    /// Fetch `@scope/*` packages from `registry` (`.npmrc` `@scope:registry=`).
    pub fn with_scope_registry(mut self, scope: &str, registry: Url) -> Self {
        self.scoped.insert(scope.trim_start_matches('@').to_owned(), registry);
        self
    }

    /// Send `auth` to `registry` (keyed by the registry URL as written).
    pub fn with_auth(mut self, registry: &Url, auth: AuthHeader) -> Self {
        self.auth.insert(registry.as_str().to_owned(), auth);
        self
    }
}

impl MetadataSource for RegistryMetadata {
    async fn packument(
        &self,
        name: &PkgName,
        kind: PackumentKind,
    ) -> Result<Arc<Packument>, ResolveError> {
        let registry = self.registry_for(name);
        let auth = self.auth.get(registry.as_str());
        let refreshed = locked(&self.refreshed).contains(name.as_str());
        let revalidating =
            self.cache.as_ref().filter(|_| refreshed).map(MetadataCache::revalidating);
        let cache = revalidating.as_ref().or(self.cache.as_ref());
        let fetched = self.client.fetch_packument(registry, name, auth, kind, cache).await;
        match fetched {
            Ok(packument) => {
                if packument.unrevalidated {
                    locked(&self.unrevalidated).insert(name.to_string());
                }
                Ok(Arc::new(packument))
            }
            Err(RegistryError::HttpStatus { status: 404, .. }) => {
                Err(ResolveError::NotInRegistry { package: name.to_string() })
            }
            Err(source) => Err(ResolveError::Metadata { package: name.to_string(), source }),
        }
    }

    fn registry_for(&self, name: &PkgName) -> &Url {
        name.scope().and_then(|scope| self.scoped.get(scope)).unwrap_or(&self.registry)
    }

    fn refresh(&self, name: &str) -> bool {
        if !locked(&self.unrevalidated).remove(name) {
            return false;
        }
        locked(&self.refreshed).insert(name.to_owned());
        true
    }
}

/// The sets stay usable after a panic elsewhere: they only ever gain or lose whole names.
fn locked(set: &Mutex<HashSet<String>>) -> std::sync::MutexGuard<'_, HashSet<String>> {
    set.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Packuments held in memory, for tests and for callers that already have them.
#[derive(Debug, Clone)]
pub struct InMemoryMetadata {
    registry: Url,
    packuments: HashMap<PkgName, Arc<Packument>>,
}

impl InMemoryMetadata {
    pub fn new(registry: Url) -> Self {
        InMemoryMetadata { registry, packuments: HashMap::new() }
    }

    pub fn insert(&mut self, packument: Packument) {
        self.packuments.insert(packument.name.clone(), Arc::new(packument));
    }
}

impl MetadataSource for InMemoryMetadata {
    /// Held documents are served whatever kind is asked for.
    async fn packument(
        &self,
        name: &PkgName,
        _kind: PackumentKind,
    ) -> Result<Arc<Packument>, ResolveError> {
        self.packuments
            .get(name)
            .cloned()
            .ok_or_else(|| ResolveError::NotInRegistry { package: name.to_string() })
    }

    fn registry_for(&self, _name: &PkgName) -> &Url {
        &self.registry
    }
}
