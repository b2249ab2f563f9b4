use std::collections::BTreeSet;

use super::*;
use crate::test_support::{fixture_lockfile, pnpm10_reference, section, text};

/// Expected values computed by pnpm 10.34.9's `depPathToFilename`.
#[test]
fn matches_pnpm_on_a_table_of_dep_paths() {
    let table: &[(&str, usize, &str)] = &[
        ("lodash@4.17.21", 120, "lodash@4.17.21"),
        ("/lodash@4.17.21", 120, "lodash@4.17.21"),
        ("@babel/core@7.24.0", 120, "@babel+core@7.24.0"),
        ("react-dom@18.3.1(react@18.3.1)", 120, "react-dom@18.3.1_react@18.3.1"),
        ("a@1.0.0(b@2.0.0)(c@3.0.0)", 120, "a@1.0.0_b@2.0.0_c@3.0.0"),
        ("a@1.0.0(b@2.0.0(c@1.0.0))", 120, "a@1.0.0_b@2.0.0_c@1.0.0_"),
        (
            "@emotion/styled@11.14.1(@emotion/react@11.14.0(@types/react@19.3.0)(react@18.3.1))(@types/react@19.3.0)(react@18.3.1)",
            120,
            "@emotion+styled@11.14.1_@emotion+react@11.14.0_@types+react@19.3.0_react@18.3.1__@types+react@19.3.0_react@18.3.1",
        ),
        (
            "@mui/material@5.18.0(@emotion/react@11.14.0(@types/react@19.3.0)(react@18.3.1))(@emotion/styled@11.14.1(@emotion/react@11.14.0(@types/react@19.3.0)(react@18.3.1))(@types/react@19.3.0)(react@18.3.1))(@types/react@19.3.0)(react-dom@18.3.1(react@18.3.1))(react@18.3.1)",
            120,
            "@mui+material@5.18.0_@emotion+react@11.14.0_@types+react@19.3.0_react@18.3.1__@emotion+_23b1514e09b61c328eda84047077a4c4",
        ),
        ("JSONStream@1.3.5", 120, "JSONStream@1.3.5_fb8f73c374dcf7070ffed90b688edabd"),
        ("file:packages/foo", 120, "file+packages+foo"),
        ("file:../Foo", 120, "file+..+Foo"),
        ("foo@file:../foo.tgz", 120, "foo@file+..+foo.tgz"),
        (
            "foo@https://codeload.example.test/org/foo/tar.gz/abc123",
            120,
            "foo@https+++codeload.example.test+org+foo+tar.gz+abc123",
        ),
        (
            "foo@git+https://git.example.test/org/foo.git#0123456789abcdef",
            120,
            "foo@git+https+++git.example.test+org+foo.git+0123456789abcdef",
        ),
        ("foo@link:../foo", 120, "foo@link+..+foo"),
        ("lodash@4.17.21", 10, "_adaac4144887ebc2c1b682380ff38521"),
        ("lodash@4.17.21", 60, "lodash@4.17.21"),
        ("foo@1.0.0(patch_hash=0123)(bar@1.0.0)", 120, "foo@1.0.0_patch_hash=0123_bar@1.0.0"),
        ("x@1.0.0:*?\"<>|", 120, "x@1.0.0+++++++"),
        ("élève@1.0.0", 120, "élève@1.0.0"),
        ("Él@1.0.0", 120, "Él@1.0.0_74b378cc9e0fabb990dfc0e8d61f96e3"),
        ("a@1.0.0(b@2.0.0)", 5, "_8e8c4176f153a9995c057f9e6ee3b165"),
    ];
    for (dep_path, max_length, expected) in table {
        assert_eq!(
            virtual_store_name(dep_path, *max_length),
            *expected,
            "{dep_path} / {max_length}"
        );
    }
}

#[test]
fn hashed_names_are_exactly_max_length() {
    let long = format!("a@1.0.0({})", "b".repeat(300));
    assert_eq!(virtual_store_name(&long, DEFAULT_MAX_LENGTH).len(), DEFAULT_MAX_LENGTH);
}

fn names_for_fixture(fixture: &str) -> BTreeSet<String> {
    let lockfile = fixture_lockfile(fixture);
    section(&lockfile, "snapshots")
        .keys()
        .map(|key| virtual_store_name(text(key), DEFAULT_MAX_LENGTH))
        .collect()
}

fn pnpm10_names(fixture: &str) -> BTreeSet<String> {
    pnpm10_reference(fixture, "virtual-store.txt").lines().map(str::to_owned).collect()
}

/// Every snapshot of the peers fixture gets the directory pnpm 10 created for it.
#[test]
fn peers_fixture_names_match_pnpm10() {
    assert_eq!(names_for_fixture("peers"), pnpm10_names("peers"));
}

/// alotta-files: all names match; the only snapshots without a directory are the four pnpm 10
/// skipped as uninstallable on this platform.
#[test]
fn alotta_files_names_match_pnpm10() {
    let ours = names_for_fixture("alotta-files");
    let theirs = pnpm10_names("alotta-files");
    assert!(theirs.is_subset(&ours), "{:?}", theirs.difference(&ours).collect::<Vec<_>>());
    let missing: BTreeSet<String> = ours.difference(&theirs).cloned().collect();
    let skipped: BTreeSet<String> = pnpm10_reference("alotta-files", "skipped.txt")
        .lines()
        .map(|dep_path| virtual_store_name(dep_path, DEFAULT_MAX_LENGTH))
        .collect();
    assert_eq!(missing, skipped);
}
