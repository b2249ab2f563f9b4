//! Packument requests run as tasks as soon as a name is known, so the network and JSON parsing
//! of the next level overlap with the resolution of the current one.

use std::collections::HashMap;
use std::sync::Arc;

use lade_registry::PackumentKind;
use lade_types::PkgName;
use tokio::task::JoinHandle;

use crate::ResolveError;
use crate::metadata::MetadataSource;
use crate::pick::IndexedPackument;

type Fetched = Result<Arc<IndexedPackument>, ResolveError>;

pub(crate) struct Fetcher<S> {
    source: Arc<S>,
    kind: PackumentKind,
    states: HashMap<PkgName, State>,
}

enum State {
    InFlight(JoinHandle<Fetched>),
    Ready(Arc<IndexedPackument>),
    Failed(Option<ResolveError>),
}

impl<S: MetadataSource> Fetcher<S> {
    pub(crate) fn new(source: Arc<S>, kind: PackumentKind) -> Self {
        Fetcher { source, kind, states: HashMap::new() }
    }

    /// Starts fetching `name` unless it is already requested.
    pub(crate) fn request(&mut self, name: &PkgName) {
        if self.states.contains_key(name) {
            return;
        }
        let source = self.source.clone();
        let owned = name.clone();
        let kind = self.kind;
        let task = tokio::spawn(async move {
            let packument = source.packument(&owned, kind).await?;
            Ok(Arc::new(IndexedPackument::new(packument)))
        });
        self.states.insert(name.clone(), State::InFlight(task));
    }

    /// Waits for every requested packument.
    pub(crate) async fn settle(&mut self) {
        for (name, state) in self.states.iter_mut() {
            if let State::InFlight(task) = state {
                *state = match task.await {
                    Ok(Ok(packument)) => State::Ready(packument),
                    Ok(Err(error)) => State::Failed(Some(error)),
                    Err(_) => State::Failed(Some(ResolveError::NotInRegistry {
                        package: name.to_string(),
                    })),
                };
            }
        }
    }

    /// A settled packument; `Err(None)` when its error was already taken.
    pub(crate) fn get(
        &mut self,
        name: &PkgName,
    ) -> Result<Arc<IndexedPackument>, Option<ResolveError>> {
        match self.states.get_mut(name) {
            Some(State::Ready(packument)) => Ok(packument.clone()),
            Some(State::Failed(error)) => Err(error.take()),
            _ => Err(Some(ResolveError::NotInRegistry { package: name.to_string() })),
        }
    }
}
