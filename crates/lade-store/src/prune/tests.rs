use std::fs::File;
use std::time::{Duration, SystemTime};

use super::*;
use crate::FileInfo;

fn age(path: &Path, by: Duration) {
    let file = File::options().write(true).open(path).unwrap();
    file.set_modified(SystemTime::now() - by).unwrap();
}

fn package(store: &StoreDir, files: &[(&str, &[u8])]) -> PackageFilesIndex {
    let mut row = PackageFilesIndex::default();
    for (path, content) in files {
        let info: FileInfo = store.write_file(content, false).unwrap();
        row.files.insert((*path).to_owned(), info);
    }
    row
}

#[test]
fn removes_unused_rows_then_unlisted_files_then_leftovers() {
    let dir = tempfile::tempdir().unwrap();
    let store = StoreDir::new(dir.path());
    let used = package(&store, &[("package.json", b"{\"name\":\"used\"}"), ("LICENSE", b"MIT")]);
    let unused =
        package(&store, &[("package.json", b"{\"name\":\"unused\"}"), ("LICENSE", b"MIT")]);
    let linked = package(&store, &[("package.json", b"{\"name\":\"linked\"}")]);
    let fresh = package(&store, &[("package.json", b"{\"name\":\"fresh\"}")]);
    let mut index = StoreIndex::open(&store).unwrap();
    let rows = [("used", &used), ("unused", &unused), ("linked", &linked), ("fresh", &fresh)];
    index.set_many(rows.iter().map(|(key, row)| ((*key).to_owned(), (*row).clone()))).unwrap();
    index.set_many([("garbage".to_owned(), PackageFilesIndex::default())]).unwrap();
    drop(index);
    let manifest_of =
        |row: &PackageFilesIndex| store.file_path(&row.files["package.json"].digest, false);
    std::fs::hard_link(manifest_of(&linked), dir.path().join("installed-package.json")).unwrap();
    let shard = store.files_dir().join("00");
    std::fs::create_dir_all(&shard).unwrap();
    std::fs::write(shard.join("tmp-1-1"), b"torn").unwrap();
    std::fs::write(shard.join("README"), b"not ours").unwrap();
    std::fs::create_dir_all(store.root().join("tmp")).unwrap();
    std::fs::write(store.root().join("tmp/tmp-2-2"), b"torn").unwrap();
    for path in [shard.join("tmp-1-1"), shard.join("README"), store.root().join("tmp/tmp-2-2")] {
        age(&path, Duration::from_secs(3600));
    }
    for row in [&used, &unused, &linked] {
        for info in row.files.values() {
            age(&store.file_path(&info.digest, false), Duration::from_secs(3600));
        }
    }

    let summary = store.prune(|key| key == "used", PruneOptions::default()).unwrap();
    assert_eq!(
        summary,
        PruneSummary {
            kept_rows: 2,
            removed_rows: 3,
            removed_files: 1,
            removed_bytes: 17,
            removed_temporary: 2,
            kept_recent: 1,
            removed_slots: 0,
        }
    );
    let index = StoreIndex::open_readonly(&store).unwrap().unwrap();
    let mut keys: Vec<String> = index.all_raw().unwrap().into_iter().map(|(k, _)| k).collect();
    keys.sort();
    assert_eq!(keys, ["linked", "used"]);
    assert!(!manifest_of(&unused).exists());
    assert!(manifest_of(&fresh).exists(), "younger than the grace period");
    assert!(store.verify_package(&used).is_empty() && store.verify_package(&linked).is_empty());
    assert!(shard.join("README").exists() && !shard.join("tmp-1-1").exists());

    let later = store.prune(|key| key == "used", PruneOptions { grace: Duration::ZERO }).unwrap();
    assert_eq!((later.removed_rows, later.removed_files), (0, 1));
}
