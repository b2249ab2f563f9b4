//! Packument requests run as tasks as soon as a name is known, so the network and JSON parsing
//! of the next level overlap with the resolution of the current one. Each arriving packument
//! also starts the requests for the dependencies of its `latest` version, the version most
//! ranges pick: the graph's metadata then arrives as fast as the registry answers, instead of
//! one round trip per level of the tree.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use lade_registry::{Packument, PackumentKind};
use lade_types::PkgName;
use tokio::task::JoinHandle;

use super::publish_policy::Documents;
use crate::ResolveError;
use crate::metadata::MetadataSource;
use crate::pick::IndexedPackument;

type Fetched = Result<Arc<IndexedPackument>, ResolveError>;

pub(crate) struct Fetcher<S> {
    shared: Arc<Shared<S>>,
    /// Names asked for since the last [`Fetcher::settle`].
    wanted: Vec<PkgName>,
}

struct Shared<S> {
    source: Arc<S>,
    documents: Documents,
    slots: Mutex<HashMap<PkgName, Slot>>,
}

enum Slot {
    InFlight(JoinHandle<Fetched>),
    /// Being awaited by [`Fetcher::settle`].
    Settling,
    Ready(Arc<IndexedPackument>),
    Failed(Option<ResolveError>),
}

impl<S: MetadataSource> Fetcher<S> {
    pub(crate) fn new(source: Arc<S>, documents: Documents) -> Self {
        let slots = Mutex::new(HashMap::new());
        Fetcher { shared: Arc::new(Shared { source, documents, slots }), wanted: Vec::new() }
    }

    /// Starts fetching `name` unless it is already requested.
    pub(crate) fn request(&mut self, name: &PkgName) {
        start(&self.shared, name);
        self.wanted.push(name.clone());
    }

    /// Waits for every packument requested since the last call.
    pub(crate) async fn settle(&mut self) {
        for name in std::mem::take(&mut self.wanted) {
            let task = {
                let mut slots = lock(&self.shared);
                match slots.get_mut(&name) {
                    Some(slot @ Slot::InFlight(_)) => match std::mem::replace(slot, Slot::Settling)
                    {
                        Slot::InFlight(task) => task,
                        _ => continue,
                    },
                    _ => continue,
                }
            };
            let settled = match task.await {
                Ok(Ok(packument)) => Slot::Ready(packument),
                Ok(Err(error)) => Slot::Failed(Some(error)),
                Err(_) => {
                    Slot::Failed(Some(ResolveError::NotInRegistry { package: name.to_string() }))
                }
            };
            lock(&self.shared).insert(name, settled);
        }
    }

    /// A settled packument; `Err(None)` when its error was already taken.
    pub(crate) fn get(
        &mut self,
        name: &PkgName,
    ) -> Result<Arc<IndexedPackument>, Option<ResolveError>> {
        match lock(&self.shared).get_mut(name) {
            Some(Slot::Ready(packument)) => Ok(packument.clone()),
            Some(Slot::Failed(error)) => Err(error.take()),
            _ => Err(Some(ResolveError::NotInRegistry { package: name.to_string() })),
        }
    }
}

/// The slots stay usable after a panic elsewhere: a poisoned lock only means a task died, and
/// its slot reports that.
fn lock<S>(shared: &Shared<S>) -> MutexGuard<'_, HashMap<PkgName, Slot>> {
    shared.slots.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn start<S: MetadataSource>(shared: &Arc<Shared<S>>, name: &PkgName) {
    let mut slots = lock(shared);
    if slots.contains_key(name) {
        return;
    }
    let task_shared = shared.clone();
    let owned = name.clone();
    let task = tokio::spawn(async move {
        let documents = &task_shared.documents;
        let mut packument = task_shared.source.packument(&owned, documents.first()).await?;
        if documents.needs_full(&packument) {
            packument = task_shared.source.packument(&owned, PackumentKind::Full).await?;
        }
        for dependency in likely_dependencies(&packument) {
            start(&task_shared, &dependency);
        }
        Ok(Arc::new(IndexedPackument::new(packument)))
    });
    slots.insert(name.clone(), Slot::InFlight(task));
}

/// The registry packages the `latest` version depends on (aliases by their real names).
fn likely_dependencies(packument: &Packument) -> Vec<PkgName> {
    let Some(latest) = packument.dist_tags.get("latest").and_then(|v| packument.manifest(v)) else {
        return Vec::new();
    };
    latest
        .dependencies
        .iter()
        .chain(&latest.optional_dependencies)
        .filter_map(|(alias, spec)| {
            let name = match spec.strip_prefix("npm:") {
                Some(rest) => {
                    rest.get(1..).and_then(|r| r.find('@')).map_or(rest, |at| &rest[..=at])
                }
                None if spec.contains(':') || spec.contains('/') => return None,
                None => alias.as_str(),
            };
            PkgName::parse(name).ok()
        })
        .collect()
}
