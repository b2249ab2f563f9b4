use super::*;

fn make(root: &Path, dirs: &[&str]) {
    for dir in dirs {
        let dir = root.join(dir);
        fs_err::create_dir_all(&dir).unwrap();
        fs_err::write(dir.join("package.json"), "{}").unwrap();
    }
}

fn relative(root: &Path, projects: Vec<PathBuf>) -> Vec<String> {
    projects
        .into_iter()
        .map(|dir| dir.strip_prefix(root).unwrap().to_string_lossy().into_owned())
        .collect()
}

fn patterns(items: &[&str]) -> Vec<String> {
    items.iter().map(|item| item.to_string()).collect()
}

/// The same tree and patterns as a run of pnpm 10.34.9 (`pnpm ls -r --depth -1`), which listed
/// exactly: root, deep/x/y, pkgs/a, pkgs/b/sub, pkgs/c/test/d, tools/yml.
#[test]
fn matches_what_pnpm_10_lists() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    make(root, &["", "pkgs/a", "pkgs/.hidden", "pkgs/node_modules/x", "pkgs/b", "pkgs/b/sub"]);
    make(root, &["pkgs/c/test/d", "pkgs/bower_components/q", "deep/x/y", "other"]);
    fs_err::create_dir_all(root.join("tools/yml")).unwrap();
    fs_err::write(root.join("tools/yml/package.yaml"), "name: yml\n").unwrap();
    let found = find_workspace_projects(
        root,
        Some(&patterns(&["pkgs/**", "!pkgs/b", "deep/**", "./tools/*"])),
    )
    .unwrap();
    assert_eq!(
        relative(root, found),
        ["", "deep/x/y", "pkgs/a", "pkgs/b/sub", "pkgs/c/test/d", "tools/yml"]
    );
}

#[test]
fn single_star_has_fixed_depth_and_root_is_always_included() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    make(root, &["packages/a", "packages/a/nested", "packages/b", "packages/.c"]);
    let found = find_workspace_projects(root, Some(&patterns(&["packages/*", "!."]))).unwrap();
    assert_eq!(relative(root, found), ["", "packages/a", "packages/b"]);
}

#[test]
fn explicit_dot_directories_and_braces_match() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    make(root, &[".config/tool", "apps/web", "libs/ui", "misc/x"]);
    let found =
        find_workspace_projects(root, Some(&patterns(&[".config/*", "{apps,libs}/*"]))).unwrap();
    assert_eq!(relative(root, found), ["", ".config/tool", "apps/web", "libs/ui"]);
}

#[test]
fn no_packages_field_means_the_root_alone() {
    let dir = tempfile::tempdir().unwrap();
    make(dir.path(), &["a"]);
    assert_eq!(relative(dir.path(), find_workspace_projects(dir.path(), None).unwrap()), [""]);
}

#[test]
fn a_bad_glob_is_a_coded_error() {
    let dir = tempfile::tempdir().unwrap();
    let error = find_workspace_projects(dir.path(), Some(&patterns(&["a/[b"]))).unwrap_err();
    assert!(matches!(error, ConfigError::InvalidWorkspaceManifest { .. }), "{error:?}");
}

#[test]
fn sorted_as_pnpm_sorts_path_strings() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    make(root, &["p/a/b", "p/a-b"]);
    let found = find_workspace_projects(root, Some(&patterns(&["p/**"]))).unwrap();
    assert_eq!(relative(root, found), ["", "p/a-b", "p/a/b"]);
}

#[cfg(unix)]
#[test]
fn symlink_cycles_do_not_loop() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    make(root, &["p/a", "real/x"]);
    std::os::unix::fs::symlink(root.join("p"), root.join("p/a/loop")).unwrap();
    std::os::unix::fs::symlink(root.join("real"), root.join("p/linked")).unwrap();
    let found = find_workspace_projects(root, Some(&patterns(&["p/**"]))).unwrap();
    assert_eq!(relative(root, found), ["", "p/a", "p/linked/x"]);
}

#[test]
fn patterns_may_reach_outside_the_root() {
    let dir = tempfile::tempdir().unwrap();
    make(dir.path(), &["ws", "shared/lib"]);
    let root = dir.path().join("ws");
    let found = find_workspace_projects(&root, Some(&patterns(&["../shared/*"]))).unwrap();
    assert_eq!(found, [root.clone(), root.join("../shared/lib")]);
}
