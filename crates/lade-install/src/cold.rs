//! The cold path as a pipeline: downloads run on an async runtime (bounded by the network
//! concurrency), and each verified tarball is handed to the worker pool to be extracted into the
//! store and imported into `node_modules` right away, while other downloads are in flight.

use std::collections::HashMap;
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex};

use futures_util::StreamExt;
use lade_fetch::Fetcher;
use lade_registry::AuthHeader;
use lade_store::PackageFilesIndex;
use url::Url;

use crate::InstallError;
use crate::link::{Linked, Linker};
use crate::plan::ColdPackage;

/// Tarballs downloaded but not yet extracted, beyond those being downloaded: bounds memory when
/// the network outruns the disk.
const EXTRACT_BACKLOG: usize = 64;

pub(crate) struct ColdFetch<'a> {
    pub fetcher: &'a Fetcher<'a>,
    pub linker: &'a Linker<'a>,
    pub auth: &'a (dyn Fn(&Url) -> Option<AuthHeader> + Sync),
    pub concurrency: usize,
    pub rows: Sender<(String, PackageFilesIndex)>,
}

/// Fetches, stores and links every cold package; returns the new store rows by key. Optional
/// packages whose download fails are skipped, as pnpm skips them.
pub(crate) fn fetch_and_link(
    cold: Vec<ColdPackage>,
    fetch: &ColdFetch,
) -> Result<HashMap<String, Arc<PackageFilesIndex>>, InstallError> {
    if cold.is_empty() {
        return Ok(HashMap::new());
    }
    let runtime =
        tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|error| {
            InstallError::Internal(format!("cannot start the async runtime: {error}"))
        })?;
    let outcome = Outcome::default();
    let permits = Arc::new(tokio::sync::Semaphore::new(fetch.concurrency + EXTRACT_BACKLOG));
    rayon::in_place_scope(|scope| {
        runtime.block_on(async {
            let downloads = futures_util::stream::iter(cold)
                .map(|package| {
                    let permits = permits.clone();
                    async move {
                        let permit = permits.acquire_owned().await;
                        let auth = (fetch.auth)(&package.source.url);
                        let bytes = fetch.fetcher.download(&package.source, auth.as_ref()).await;
                        (package, bytes, permit)
                    }
                })
                .buffer_unordered(fetch.concurrency.max(1));
            futures_util::pin_mut!(downloads);
            while let Some((package, bytes, permit)) = downloads.next().await {
                if outcome.failed() {
                    break;
                }
                match bytes {
                    Ok(bytes) => {
                        let outcome = &outcome;
                        scope.spawn(move |_| {
                            let result = store_and_link(&package, &bytes, fetch);
                            drop(permit);
                            outcome.record(&package, result);
                        });
                    }
                    Err(_) if package.optional => {
                        tracing::debug!(package = %package.source.package_id, "optional download failed; skipped");
                    }
                    Err(error) => outcome.fail(error.into()),
                }
            }
        });
    });
    outcome.finish()
}

fn store_and_link(
    package: &ColdPackage,
    tarball: &[u8],
    fetch: &ColdFetch,
) -> Result<Arc<PackageFilesIndex>, InstallError> {
    let added = fetch.fetcher.extract(&package.source.package_id, tarball)?;
    fetch.linker.counters.downloaded();
    let row = Arc::new(added.index);
    for id in &package.nodes {
        match fetch.linker.link_package(*id, &row)? {
            Linked::Done => {}
            Linked::NeedsRefetch => {
                return Err(InstallError::StoreInconsistent {
                    package: package.source.package_id.clone(),
                });
            }
        }
    }
    // The row goes to the index only once its files are in the store and linked.
    let _ = fetch.rows.send((package.key.clone(), PackageFilesIndex::clone(&row)));
    Ok(row)
}

#[derive(Default)]
struct Outcome {
    rows: Mutex<HashMap<String, Arc<PackageFilesIndex>>>,
    error: Mutex<Option<InstallError>>,
}

impl Outcome {
    fn failed(&self) -> bool {
        self.error.lock().map(|e| e.is_some()).unwrap_or(true)
    }

    fn fail(&self, error: InstallError) {
        if let Ok(mut slot) = self.error.lock() {
            slot.get_or_insert(error);
        }
    }

    fn record(&self, package: &ColdPackage, result: Result<Arc<PackageFilesIndex>, InstallError>) {
        match result {
            Ok(row) => {
                if let Ok(mut rows) = self.rows.lock() {
                    rows.insert(package.key.clone(), row);
                }
            }
            Err(_) if package.optional => {}
            Err(error) => self.fail(error),
        }
    }

    fn finish(self) -> Result<HashMap<String, Arc<PackageFilesIndex>>, InstallError> {
        let poisoned = || InstallError::Internal("a worker panicked".into());
        if let Some(error) = self.error.into_inner().map_err(|_| poisoned())? {
            return Err(error);
        }
        self.rows.into_inner().map_err(|_| poisoned())
    }
}
