//! One thread owns the store index's write connection and commits rows in batches, so producers
//! (extraction workers) never wait on SQLite and each commit's fsync covers many rows.

use std::sync::mpsc;
use std::thread::JoinHandle;

use lade_store::{PackageFilesIndex, StoreDir, StoreIndex};

use crate::InstallError;

/// Rows per write transaction: large enough to amortize the commit, small enough that other
/// processes sharing the store are not locked out for long.
const BATCH: usize = 256;

pub(crate) struct IndexWriter {
    sender: mpsc::Sender<(String, PackageFilesIndex)>,
    thread: JoinHandle<Result<(), InstallError>>,
}

impl IndexWriter {
    pub fn start(store: &StoreDir) -> Result<Self, InstallError> {
        let mut index = StoreIndex::open(store)?;
        let (sender, receiver) = mpsc::channel::<(String, PackageFilesIndex)>();
        let thread = std::thread::Builder::new()
            .name("lade-index-writer".into())
            .spawn(move || {
                while let Ok(first) = receiver.recv() {
                    let mut batch = vec![first];
                    batch.extend(receiver.try_iter().take(BATCH - 1));
                    index.set_many(batch)?;
                }
                Ok(())
            })
            .map_err(|error| {
                InstallError::Internal(format!("cannot start the index writer: {error}"))
            })?;
        Ok(IndexWriter { sender, thread })
    }

    pub fn sender(&self) -> mpsc::Sender<(String, PackageFilesIndex)> {
        self.sender.clone()
    }

    /// Commits what is queued and waits for the writer to stop.
    pub fn finish(self) -> Result<(), InstallError> {
        drop(self.sender);
        self.thread
            .join()
            .map_err(|_| InstallError::Internal("the index writer panicked".into()))?
    }
}
