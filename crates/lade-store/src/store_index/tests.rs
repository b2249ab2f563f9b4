use std::time::{Duration, Instant};

use super::*;
use crate::{FileDigest, FileInfo, decode_package_files_index};

fn store() -> (tempfile::TempDir, StoreDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = StoreDir::new(dir.path());
    (dir, store)
}

fn row(n: u32) -> PackageFilesIndex {
    let mut row = PackageFilesIndex { requires_build: Some(false), ..Default::default() };
    let info = FileInfo {
        digest: FileDigest::of(&n.to_le_bytes()),
        mode: 0o644,
        size: 4,
        checked_at: Some(1.0),
    };
    row.files.insert(format!("file{n}.js"), info);
    row
}

#[test]
fn creates_pnpms_schema() {
    let (_dir, store) = store();
    let index = StoreIndex::open(&store).unwrap();
    let mode: String = index.connection.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
    assert_eq!(mode, "wal");
    let sql: Vec<String> = index
        .connection
        .prepare("SELECT sql FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        sql,
        [
            "CREATE TABLE package_index (\n              key TEXT PRIMARY KEY,\n              data BLOB NOT NULL\n            ) WITHOUT ROWID",
            "CREATE TABLE package_index_alias (\n      key TEXT PRIMARY KEY,\n      target TEXT NOT NULL\n    ) WITHOUT ROWID",
        ]
    );
}

#[test]
fn stores_and_reads_rows_in_chunks() {
    let (_dir, store) = store();
    let mut index = StoreIndex::open(&store).unwrap();
    index.set_many((0..2500).map(|n| (format!("key{n}"), row(n)))).unwrap();
    let mut keys: Vec<String> = (0..2500).map(|n| format!("key{n}")).collect();
    keys.push("absent".into());
    let readonly = StoreIndex::open_readonly(&store).unwrap().unwrap();
    let mut rows = readonly.get_many_raw(&keys).unwrap();
    assert_eq!(rows.len(), 2500);
    rows.sort();
    let (key, data) = &rows[0];
    assert_eq!(key, "key0");
    assert_eq!(decode_package_files_index(data).unwrap(), row(0));
    assert_eq!(readonly.all_raw().unwrap().len(), 2500);

    index.set_many([("key0".to_owned(), row(7))]).unwrap();
    let replaced = readonly.get_many_raw(&["key0".to_owned()]).unwrap();
    assert_eq!(decode_package_files_index(&replaced[0].1).unwrap(), row(7));
}

#[test]
fn readonly_sees_no_index_before_one_exists() {
    let (_dir, store) = store();
    assert!(StoreIndex::open_readonly(&store).unwrap().is_none());
    std::fs::create_dir_all(store.root()).unwrap();
    std::fs::write(store.index_db_path(), b"").unwrap();
    assert!(StoreIndex::open_readonly(&store).unwrap().is_none(), "an empty database has no rows");
}

#[test]
fn garbage_is_reported_as_corrupt() {
    let (_dir, store) = store();
    std::fs::create_dir_all(store.root()).unwrap();
    std::fs::write(store.index_db_path(), vec![0x5a; 8192]).unwrap();
    assert!(matches!(StoreIndex::open(&store), Err(StoreError::IndexCorrupt { .. })));
    assert!(matches!(StoreIndex::open_readonly(&store), Err(StoreError::IndexCorrupt { .. })));
}

#[test]
fn a_corrupt_index_is_set_aside_whole_and_replaced() {
    let (dir, store) = store();
    std::fs::create_dir_all(store.root()).unwrap();
    std::fs::write(store.index_db_path(), vec![0x5a; 8192]).unwrap();
    std::fs::write(store.root().join("index.db-wal"), b"stale log").unwrap();
    let aside = StoreIndex::set_aside(&store).unwrap();
    assert!(aside.file_name().unwrap().to_string_lossy().starts_with("index.db.corrupt-"));
    assert_eq!(std::fs::read(&aside).unwrap(), vec![0x5a; 8192]);
    assert!(dir.path().join(format!("{}-wal", aside.display())).exists());
    assert!(!store.root().join("index.db-wal").exists());
    let mut index = StoreIndex::open(&store).unwrap();
    index.set_many([("k".to_owned(), row(1))]).unwrap();
    assert_eq!(index.all_raw().unwrap().len(), 1);
}

#[test]
fn deletes_rows_with_their_aliases() {
    let (_dir, store) = store();
    let mut index = StoreIndex::open(&store).unwrap();
    let with_alias = PackageFilesIndex { tar_integrity: Some("sha512-tar".into()), ..row(1) };
    index.set_many([("sha512-a\tp@1".to_owned(), with_alias), ("k2".to_owned(), row(2))]).unwrap();
    index.delete_many(&["sha512-a\tp@1".to_owned()]).unwrap();
    let keys: Vec<String> = index.all_raw().unwrap().into_iter().map(|(key, _)| key).collect();
    assert_eq!(keys, ["k2"]);
    let aliases: i64 = index
        .connection
        .query_row("SELECT count(*) FROM package_index_alias", [], |r| r.get(0))
        .unwrap();
    assert_eq!(aliases, 0);
}

#[test]
fn concurrent_first_opens_of_a_new_index_all_succeed() {
    for _ in 0..20 {
        let (_dir, store) = store();
        std::thread::scope(|scope| {
            for n in 0..8 {
                let store = &store;
                scope.spawn(move || {
                    let mut index = StoreIndex::open(store).unwrap();
                    index.set_many([(format!("key{n}"), row(n))]).unwrap();
                });
            }
        });
        assert_eq!(StoreIndex::open(&store).unwrap().all_raw().unwrap().len(), 8);
    }
}

#[test]
fn writers_wait_for_each_other() {
    let (_dir, store) = store();
    let mut first = StoreIndex::open(&store).unwrap();
    let mut second = StoreIndex::open(&store).unwrap();
    let transaction =
        first.connection.transaction_with_behavior(TransactionBehavior::Immediate).unwrap();
    let started = Instant::now();
    std::thread::scope(|scope| {
        let waiter = scope.spawn(|| second.set_many([("k".to_owned(), row(1))]));
        std::thread::sleep(Duration::from_millis(300));
        transaction.commit().unwrap();
        waiter.join().unwrap().unwrap();
    });
    assert!(started.elapsed() >= Duration::from_millis(300));
}

#[test]
fn keys_follow_pnpm() {
    let integrity = lade_types::Integrity::sha512_of(b"tarball");
    assert_eq!(index_key(&integrity, "a@1.0.0"), format!("{integrity}\ta@1.0.0"));
}

#[test]
fn records_pnpms_alias_for_rows_with_a_tar_integrity() {
    let (_dir, store) = store();
    let mut index = StoreIndex::open(&store).unwrap();
    let with_tar = PackageFilesIndex { tar_integrity: Some("sha512-tar".into()), ..row(1) };
    index
        .set_many([
            ("sha512-tgz\ta@1.0.0".to_owned(), with_tar),
            ("sha512-x\tb@1.0.0".to_owned(), row(2)),
        ])
        .unwrap();
    let aliases: Vec<(String, String)> = index
        .connection
        .prepare("SELECT key, target FROM package_index_alias")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(aliases, [("sha512-tar\ta@1.0.0".to_owned(), "sha512-tgz\ta@1.0.0".to_owned())]);
}

/// The files a process killed in the middle of creating the index leaves: the database and a
/// hot rollback journal (written before the switch to WAL took effect). A read-only open cannot
/// roll it back (SQLite's "readonly rollback"); `open_readonly` has a writer recover it first.
#[test]
fn a_hot_journal_left_by_a_killed_writer_is_recovered() {
    let (dir, store) = store();
    std::fs::create_dir_all(store.root()).unwrap();
    let path = store.index_db_path();
    let writer = Connection::open(&path).unwrap();
    writer
        .execute_batch(
            "PRAGMA journal_mode=DELETE; PRAGMA cache_size=1;
             CREATE TABLE package_index (key TEXT PRIMARY KEY, data BLOB NOT NULL) WITHOUT ROWID;
             INSERT INTO package_index VALUES ('kept', x'00');
             BEGIN; DELETE FROM package_index;",
        )
        .unwrap();
    for n in 0..200 {
        writer.execute("INSERT INTO package_index VALUES (?1, zeroblob(4000))", [n]).unwrap();
    }
    // The state on disk at the moment of a SIGKILL: copied while the transaction is open.
    let crashed = StoreDir::new(dir.path().join("crashed"));
    std::fs::create_dir_all(crashed.root()).unwrap();
    let journal = |db: &std::path::Path| db.with_extension("db-journal");
    std::fs::copy(&path, crashed.index_db_path()).unwrap();
    std::fs::copy(journal(&path), journal(&crashed.index_db_path())).unwrap();
    drop(writer);

    let refused = StoreIndex::open_readonly_once(&crashed).err().unwrap();
    assert!(
        matches!(&refused, StoreError::IndexOpen { source, .. } if is_hot_journal(source)),
        "{refused:?}"
    );
    let index = StoreIndex::open_readonly(&crashed).unwrap().unwrap();
    let keys: Vec<String> = index.all_raw().unwrap().into_iter().map(|(key, _)| key).collect();
    assert_eq!(keys, ["kept"], "the interrupted transaction is rolled back");
}
