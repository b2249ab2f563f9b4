//! `index.db`: one SQLite row per package, `key` → msgpackr-encoded [`PackageFilesIndex`], with
//! the schema and settings pnpm 12 uses so both tools read and write the same database.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use lade_types::Integrity;
use rusqlite::{Connection, ErrorCode, OpenFlags, TransactionBehavior};

use crate::{PackageFilesIndex, StoreDir, StoreError, encode_package_files_index};

/// pnpm 12.21's settings and schema, whitespace included, so `sqlite_master` reads the same
/// whichever tool created the file. `package_index_alias` maps `<tarIntegrity>\t<id>` to the
/// key of the row holding that `tarIntegrity`.
const SCHEMA: &str = "PRAGMA journal_mode=WAL;
            PRAGMA synchronous=NORMAL;
            PRAGMA mmap_size=536870912;
            PRAGMA cache_size=-32000;
            PRAGMA temp_store=MEMORY;
            PRAGMA wal_autocheckpoint=10000;
            CREATE TABLE IF NOT EXISTS package_index (
              key TEXT PRIMARY KEY,
              data BLOB NOT NULL
            ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS package_index_alias (
      key TEXT PRIMARY KEY,
      target TEXT NOT NULL
    ) WITHOUT ROWID;";

/// Concurrent lade and pnpm processes wait for each other's write transactions this long.
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// Keys per `WHERE key IN (…)`, under SQLite's historical 999-parameter limit.
const KEYS_PER_QUERY: usize = 999;

/// An open `index.db`.
pub struct StoreIndex {
    connection: Connection,
    path: PathBuf,
}

/// The key pnpm files a registry package under: `<integrity>\t<name>@<version>`.
pub fn index_key(integrity: &Integrity, package_id: &str) -> String {
    format!("{integrity}\t{package_id}")
}

impl StoreIndex {
    /// Opens the store's index for reading and writing, creating the store root, the database
    /// and its tables if needed.
    pub fn open(store: &StoreDir) -> Result<Self, StoreError> {
        fs_err::create_dir_all(store.root())
            .map_err(|error| StoreError::io("create directory", store.root(), error))?;
        let path = store.index_db_path();
        // Processes creating a new index at once can meet in SQLite's deadlock check (both hold
        // a read lock on the new file, both want to switch it to WAL), where one is refused at
        // once instead of waiting: it starts over, as the busy timeout would have it wait.
        let started = Instant::now();
        loop {
            match Self::open_once(&path) {
                Err(StoreError::IndexOpen { source, .. })
                    if is_busy(&source) && started.elapsed() < BUSY_TIMEOUT =>
                {
                    std::thread::sleep(Duration::from_millis(5));
                }
                result => return result,
            }
        }
    }

    fn open_once(path: &std::path::Path) -> Result<Self, StoreError> {
        let connection = Connection::open(path)
            .map_err(|source| StoreError::IndexOpen { path: path.to_path_buf(), source })?;
        let index = StoreIndex { connection, path: path.to_path_buf() };
        index.wait_when_busy()?;
        index.connection.execute_batch(SCHEMA).map_err(|source| index.open_error(source))?;
        Ok(index)
    }

    /// Opens the store's index for reading only; `None` while the store has no index yet.
    pub fn open_readonly(store: &StoreDir) -> Result<Option<Self>, StoreError> {
        match Self::open_readonly_once(store) {
            // A process killed while creating the index leaves a hot rollback journal, which a
            // read-only connection may not roll back: a writer opens it once to recover.
            Err(StoreError::IndexOpen { source, .. }) if is_hot_journal(&source) => {
                drop(Self::open(store)?);
                Self::open_readonly_once(store)
            }
            opened => opened,
        }
    }

    fn open_readonly_once(store: &StoreDir) -> Result<Option<Self>, StoreError> {
        let path = store.index_db_path();
        match std::fs::metadata(&path) {
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(error) => return Err(StoreError::io("read", path, error)),
            Ok(_) => {}
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let connection = Connection::open_with_flags(&path, flags)
            .map_err(|source| StoreError::IndexOpen { path: path.clone(), source })?;
        let index = StoreIndex { connection, path };
        index.wait_when_busy()?;
        // Reading through a memory map instead of one pread per page: the rows of a warm
        // install took ~36k preads for alotta-files without it.
        index
            .connection
            .execute_batch("PRAGMA mmap_size=536870912;")
            .map_err(|source| index.open_error(source))?;
        let has_table = index
            .connection
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'package_index'",
                [],
                |row| row.get::<_, i64>(0),
            )
            .map_err(|source| index.open_error(source))?;
        Ok((has_table > 0).then_some(index))
    }

    fn wait_when_busy(&self) -> Result<(), StoreError> {
        self.connection.busy_timeout(BUSY_TIMEOUT).map_err(|source| self.open_error(source))
    }

    fn open_error(&self, source: rusqlite::Error) -> StoreError {
        if is_corrupt(&source) {
            StoreError::IndexCorrupt { path: self.path.clone(), source }
        } else {
            StoreError::IndexOpen { path: self.path.clone(), source }
        }
    }

    fn query_error(&self, source: rusqlite::Error) -> StoreError {
        if is_corrupt(&source) {
            StoreError::IndexCorrupt { path: self.path.clone(), source }
        } else {
            StoreError::IndexQuery { path: self.path.clone(), source }
        }
    }

    /// The undecoded rows among `keys`, in no particular order; missing keys are left out.
    /// Decode them with [`crate::decode_package_files_index`], in parallel if there are many.
    pub fn get_many_raw(&self, keys: &[String]) -> Result<Vec<(String, Vec<u8>)>, StoreError> {
        let mut rows = Vec::with_capacity(keys.len());
        for chunk in keys.chunks(KEYS_PER_QUERY) {
            let placeholders = vec!["?"; chunk.len()].join(",");
            let sql = format!("SELECT key, data FROM package_index WHERE key IN ({placeholders})");
            let mut statement =
                self.connection.prepare_cached(&sql).map_err(|e| self.query_error(e))?;
            let found = statement
                .query_map(rusqlite::params_from_iter(chunk), |row| Ok((row.get(0)?, row.get(1)?)))
                .map_err(|e| self.query_error(e))?;
            for row in found {
                rows.push(row.map_err(|e| self.query_error(e))?);
            }
        }
        Ok(rows)
    }

    /// Every undecoded row, for whole-store commands such as `lade store status`.
    pub fn all_raw(&self) -> Result<Vec<(String, Vec<u8>)>, StoreError> {
        let mut statement = self
            .connection
            .prepare("SELECT key, data FROM package_index")
            .map_err(|e| self.query_error(e))?;
        let rows = statement
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
            .map_err(|e| self.query_error(e))?;
        rows.map(|row| row.map_err(|e| self.query_error(e))).collect()
    }

    /// Inserts or replaces rows in one write transaction. Rows are encoded before it starts, so
    /// the database stays locked against other processes only for the inserts themselves.
    pub fn set_many(
        &mut self,
        rows: impl IntoIterator<Item = (String, PackageFilesIndex)>,
    ) -> Result<(), StoreError> {
        let encoded = rows
            .into_iter()
            .map(|(key, row)| {
                let alias = alias_key(&key, &row);
                Ok((encode_package_files_index(&key, &row)?, key, alias))
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        if encoded.is_empty() {
            return Ok(());
        }
        let path = self.path.clone();
        let error = |source| query_error_at(&path, source);
        let transaction = self
            .connection
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(error)?;
        {
            let mut insert = transaction
                .prepare_cached("INSERT OR REPLACE INTO package_index (key, data) VALUES (?1, ?2)")
                .map_err(error)?;
            let mut insert_alias = transaction
                .prepare_cached(
                    "INSERT OR REPLACE INTO package_index_alias (key, target) VALUES (?1, ?2)",
                )
                .map_err(error)?;
            for (data, key, alias) in &encoded {
                insert.execute(rusqlite::params![key, data]).map_err(error)?;
                if let Some(alias) = alias {
                    insert_alias.execute(rusqlite::params![alias, key]).map_err(error)?;
                }
            }
        }
        transaction.commit().map_err(error)
    }
}

impl StoreIndex {
    /// Deletes the rows with these keys, and the aliases pointing at them, in one transaction.
    pub fn delete_many(&mut self, keys: &[String]) -> Result<(), StoreError> {
        if keys.is_empty() {
            return Ok(());
        }
        let path = self.path.clone();
        let error = |source| query_error_at(&path, source);
        let transaction = self
            .connection
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(error)?;
        {
            let mut delete = transaction
                .prepare_cached("DELETE FROM package_index WHERE key = ?1")
                .map_err(error)?;
            let mut delete_aliases = transaction
                .prepare_cached("DELETE FROM package_index_alias WHERE target = ?1")
                .map_err(error)?;
            for key in keys {
                delete.execute([key]).map_err(error)?;
                delete_aliases.execute([key]).map_err(error)?;
            }
        }
        transaction.commit().map_err(error)
    }

    /// Moves a corrupt `index.db` aside, with its `-wal` and `-shm` files (a write-ahead log
    /// left beside a new database would be replayed into it), as
    /// `index.db.corrupt-<unix ms>[-wal|-shm]`. The store's `files/` are kept: the next install
    /// writes a new index as it fetches packages, and finds their files already there.
    /// Returns the new name of the database.
    pub fn set_aside(store: &StoreDir) -> Result<PathBuf, StoreError> {
        let path = store.index_db_path();
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |since| since.as_millis());
        let aside = path.with_file_name(format!("index.db.corrupt-{stamp}"));
        for suffix in ["", "-wal", "-shm"] {
            let from = PathBuf::from(format!("{}{suffix}", path.display()));
            let to = PathBuf::from(format!("{}{suffix}", aside.display()));
            match std::fs::rename(&from, &to) {
                Err(error) if error.kind() != std::io::ErrorKind::NotFound => {
                    return Err(StoreError::io("rename", from, error));
                }
                _ => {}
            }
        }
        Ok(aside)
    }
}

/// The alias pnpm 12.21 records for a row with a `tarIntegrity`: the same package id under the
/// integrity of the decompressed tar.
fn alias_key(key: &str, row: &PackageFilesIndex) -> Option<String> {
    let tar_integrity = row.tar_integrity.as_deref()?;
    let (_, package_id) = key.split_once('\t')?;
    let alias = format!("{tar_integrity}\t{package_id}");
    (alias != key).then_some(alias)
}

fn query_error_at(path: &std::path::Path, source: rusqlite::Error) -> StoreError {
    if is_corrupt(&source) {
        StoreError::IndexCorrupt { path: path.to_path_buf(), source }
    } else {
        StoreError::IndexQuery { path: path.to_path_buf(), source }
    }
}

fn is_busy(error: &rusqlite::Error) -> bool {
    matches!(error.sqlite_error_code(), Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked))
}

fn is_hot_journal(error: &rusqlite::Error) -> bool {
    matches!(error, rusqlite::Error::SqliteFailure(failure, _)
        if failure.extended_code == rusqlite::ffi::SQLITE_READONLY_ROLLBACK)
}

fn is_corrupt(error: &rusqlite::Error) -> bool {
    matches!(error.sqlite_error_code(), Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt))
}

#[cfg(test)]
mod tests;
