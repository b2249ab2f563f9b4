//! Whether an imported package still holds what the store says it should: pnpm's `store status`
//! check (dint), which re-hashes every file of the package. With hard links (the default import)
//! a change here is a change to the store file too.

use std::io::ErrorKind;
use std::path::Path;

use crate::link_strategy::join_relative;
use crate::{FileDigest, PackageFilesIndex, StaleReason};

/// The files of `row` whose copy under `package_dir` is missing, of another size or of other
/// content, by path in the package. Files the row does not list are not looked at.
pub fn modified_installed_files(
    row: &PackageFilesIndex,
    package_dir: &Path,
) -> Vec<(String, StaleReason)> {
    row.files
        .iter()
        .filter_map(|(path, info)| {
            let on_disk = join_relative(package_dir, path);
            let reason = match std::fs::read(&on_disk) {
                Ok(bytes) if bytes.len() as u64 == info.size => {
                    if FileDigest::of(&bytes) == info.digest {
                        return None;
                    }
                    StaleReason::Modified
                }
                Ok(_) => StaleReason::Modified,
                Err(error) if error.kind() == ErrorKind::NotFound => StaleReason::Missing,
                Err(_) => StaleReason::Modified,
            };
            Some((path.clone(), reason))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ImportOptions, StoreDir};

    #[test]
    fn reports_changed_and_missing_files() {
        let dir = tempfile::tempdir().unwrap();
        let store = StoreDir::new(dir.path().join("store"));
        let mut row = PackageFilesIndex::default();
        for (path, content) in [("a.js", &b"a"[..]), ("lib/b.js", b"b"), ("c.js", b"c")] {
            row.files.insert(path.to_owned(), store.write_file(content, false).unwrap());
        }
        let target = dir.path().join("node_modules/p");
        store.import_package(&row, &target, ImportOptions::default()).unwrap();
        assert!(modified_installed_files(&row, &target).is_empty());
        std::fs::remove_file(target.join("lib/b.js")).unwrap();
        std::fs::write(target.join("c.js"), b"C").unwrap();
        assert_eq!(
            modified_installed_files(&row, &target),
            [
                ("c.js".to_owned(), StaleReason::Modified),
                ("lib/b.js".to_owned(), StaleReason::Missing)
            ]
        );
    }
}
