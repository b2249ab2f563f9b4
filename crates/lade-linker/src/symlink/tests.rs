use std::path::Path;

use super::*;

/// Link texts copied from pnpm 10's installs of the workspace and peers fixtures.
#[test]
fn targets_match_pnpm10_layouts() {
    let table = [
        (
            "/p/node_modules/react",
            "/p/node_modules/.pnpm/react@18.3.1/node_modules/react",
            ".pnpm/react@18.3.1/node_modules/react",
        ),
        (
            "/p/node_modules/@types/react",
            "/p/node_modules/.pnpm/@types+react@19.3.0/node_modules/@types/react",
            "../.pnpm/@types+react@19.3.0/node_modules/@types/react",
        ),
        (
            "/p/node_modules/.pnpm/react-dom@18.3.1_react@18.3.1/node_modules/react",
            "/p/node_modules/.pnpm/react@18.3.1/node_modules/react",
            "../../react@18.3.1/node_modules/react",
        ),
        (
            "/p/node_modules/.pnpm/x@1.0.0/node_modules/@babel/runtime",
            "/p/node_modules/.pnpm/@babel+runtime@7.29.14/node_modules/@babel/runtime",
            "../../../@babel+runtime@7.29.14/node_modules/@babel/runtime",
        ),
        (
            "/p/node_modules/.pnpm/node_modules/chalk",
            "/p/node_modules/.pnpm/chalk@5.6.2/node_modules/chalk",
            "../chalk@5.6.2/node_modules/chalk",
        ),
        (
            "/p/node_modules/.pnpm/node_modules/@babel/parser",
            "/p/node_modules/.pnpm/@babel+parser@7.29.14/node_modules/@babel/parser",
            "../../@babel+parser@7.29.14/node_modules/@babel/parser",
        ),
        (
            "/p/node_modules/.pnpm/node_modules/@fixture/cli",
            "/p/packages/cli",
            "../../../../packages/cli",
        ),
        ("/p/packages/cli/node_modules/@fixture/core", "/p/packages/core", "../../../core"),
        (
            "/p/packages/ui/node_modules/react",
            "/p/node_modules/.pnpm/react@18.3.1/node_modules/react",
            "../../../node_modules/.pnpm/react@18.3.1/node_modules/react",
        ),
        (
            "/p/node_modules/a",
            "/p/node_modules/./.pnpm/x/../a@1/node_modules/a",
            ".pnpm/a@1/node_modules/a",
        ),
    ];
    for (link, target, expected) in table {
        assert_eq!(
            symlink_target(Path::new(link), Path::new(target)),
            Path::new(expected),
            "{link}"
        );
    }
}

#[test]
fn normalize_keeps_leading_parent_components() {
    assert_eq!(normalize(Path::new("../../a/./b/../c")), Path::new("../../a/c"));
    assert_eq!(normalize(Path::new("/../a")), Path::new("/a"));
}

fn read(link: &Path) -> PathBuf {
    std::fs::read_link(link).unwrap()
}

#[test]
fn link_dir_creates_reuses_and_replaces() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let store = root.join("node_modules/.pnpm");
    let (a, b) = (store.join("a@1.0.0/node_modules/a"), store.join("a@2.0.0/node_modules/a"));
    std::fs::create_dir_all(&a).unwrap();
    std::fs::create_dir_all(&b).unwrap();
    let link = root.join("node_modules/@scope/a");

    assert_eq!(link_dir(&a, &link).unwrap(), LinkOutcome::Created);
    assert_eq!(read(&link), Path::new("../.pnpm/a@1.0.0/node_modules/a"));
    assert_eq!(link_dir(&a, &link).unwrap(), LinkOutcome::Reused);
    assert_eq!(link_dir(&b, &link).unwrap(), LinkOutcome::Replaced);
    assert_eq!(read(&link), Path::new("../.pnpm/a@2.0.0/node_modules/a"));
}

#[test]
fn link_dir_moves_an_occupying_directory_aside() {
    let tmp = tempfile::tempdir().unwrap();
    let target = tmp.path().join("node_modules/.pnpm/a@1.0.0/node_modules/a");
    std::fs::create_dir_all(&target).unwrap();
    let link = tmp.path().join("node_modules/a");
    std::fs::create_dir_all(link.join("lib")).unwrap();

    let outcome = link_dir(&target, &link).unwrap();
    assert_eq!(outcome, LinkOutcome::MovedAside(tmp.path().join("node_modules/.ignored_a")));
    assert!(tmp.path().join("node_modules/.ignored_a/lib").is_dir());
    assert_eq!(read(&link), Path::new(".pnpm/a@1.0.0/node_modules/a"));
}

#[test]
fn link_hoisted_replaces_only_links_into_the_virtual_store() {
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("node_modules/.pnpm");
    let target = store.join("b@1.0.0/node_modules/b");
    std::fs::create_dir_all(&target).unwrap();

    let stale = store.join("node_modules/b");
    std::fs::create_dir_all(stale.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink("../b@0.1.0/node_modules/b", &stale).unwrap();
    assert_eq!(link_hoisted(&target, &stale, &store).unwrap(), LinkOutcome::Replaced);
    assert_eq!(read(&stale), Path::new("../b@1.0.0/node_modules/b"));

    let foreign = tmp.path().join("node_modules/b");
    std::os::unix::fs::symlink("../packages/b", &foreign).unwrap();
    assert_eq!(link_hoisted(&target, &foreign, &store).unwrap(), LinkOutcome::KeptExisting);
    assert_eq!(read(&foreign), Path::new("../packages/b"));

    let occupied = tmp.path().join("node_modules/c");
    std::fs::create_dir_all(&occupied).unwrap();
    assert_eq!(link_hoisted(&target, &occupied, &store).unwrap(), LinkOutcome::KeptExisting);
}

#[test]
fn refuses_to_link_a_directory_onto_itself() {
    let err =
        link_dir(Path::new("/p/node_modules/a"), Path::new("/p/node_modules/./a")).unwrap_err();
    assert!(matches!(err, LinkerError::SymlinkToItself { .. }));
}
