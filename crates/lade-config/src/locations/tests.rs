use super::*;

fn env(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

#[test]
fn project_dir_is_the_nearest_dir_with_a_manifest() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    fs_err::create_dir_all(root.join("app/src/deep")).unwrap();
    fs_err::write(root.join("app/package.json"), "{}").unwrap();
    assert_eq!(find_project_dir(&root.join("app/src/deep")), root.join("app"));
    assert_eq!(
        find_project_dir(&root.join("app/node_modules/x/node_modules")),
        root.join("app/node_modules/x")
    );
}

#[test]
fn project_dir_defaults_to_cwd() {
    let dir = tempfile::tempdir().unwrap();
    let lonely = dir.path().canonicalize().unwrap().join("lonely");
    fs_err::create_dir_all(&lonely).unwrap();
    assert_eq!(find_project_dir(&lonely), lonely);
}

#[test]
fn workspace_dir_is_found_upwards_or_from_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    fs_err::create_dir_all(root.join("pkgs/a")).unwrap();
    fs_err::write(root.join("pnpm-workspace.yaml"), "").unwrap();
    assert_eq!(find_workspace_dir(&root.join("pkgs/a"), &env(&[])).unwrap(), Some(root.clone()));
    let other = env(&[("NPM_CONFIG_WORKSPACE_DIR", "/elsewhere")]);
    assert_eq!(find_workspace_dir(&root, &other).unwrap(), Some(PathBuf::from("/elsewhere")));
}

#[test]
fn misnamed_workspace_manifest_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    fs_err::write(dir.path().join("pnpm-workspace.yml"), "").unwrap();
    let error = find_workspace_dir(dir.path(), &env(&[])).unwrap_err();
    assert!(matches!(error, ConfigError::BadWorkspaceManifestName { .. }), "{error:?}");
}

#[cfg(target_os = "linux")]
#[test]
fn pnpm_directories_follow_xdg_and_pnpm_home() {
    let home = Path::new("/home/u");
    assert_eq!(pnpm_config_dir(&env(&[]), home), Path::new("/home/u/.config/pnpm"));
    assert_eq!(pnpm_config_dir(&env(&[("XDG_CONFIG_HOME", "/x")]), home), Path::new("/x/pnpm"));
    assert_eq!(pnpm_home_dir(&env(&[]), home), Path::new("/home/u/.local/share/pnpm"));
    assert_eq!(pnpm_home_dir(&env(&[("XDG_DATA_HOME", "/d")]), home), Path::new("/d/pnpm"));
    assert_eq!(
        pnpm_home_dir(&env(&[("PNPM_HOME", "/p"), ("XDG_DATA_HOME", "/d")]), home),
        Path::new("/p")
    );
    assert_eq!(lade_cache_dir(&env(&[]), home), Path::new("/home/u/.cache/lade"));
}

#[test]
fn default_store_is_in_pnpm_home_on_the_same_filesystem() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("project");
    fs_err::create_dir_all(&project).unwrap();
    let pnpm_home = dir.path().join("home/.local/share/pnpm");
    assert_eq!(default_store_dir(&project, &pnpm_home), pnpm_home.join("store"));
}

#[test]
fn global_prefix_comes_from_prefix_or_node_location() {
    assert_eq!(npm_global_prefix(&env(&[("PREFIX", "/opt/n")])), Some(PathBuf::from("/opt/n")));
    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().canonicalize().unwrap().join("node-root/bin");
    fs_err::create_dir_all(&bin).unwrap();
    fs_err::write(bin.join(if cfg!(windows) { "node.exe" } else { "node" }), "").unwrap();
    let path = env(&[("PATH", &bin.to_string_lossy())]);
    let expected = if cfg!(windows) { bin.clone() } else { bin.parent().unwrap().to_path_buf() };
    assert_eq!(npm_global_prefix(&path), Some(expected));
}

#[test]
fn ci_detection() {
    assert!(is_ci(&env(&[("CI", "true")])));
    assert!(is_ci(&env(&[("BUILD_NUMBER", "7")])));
    assert!(!is_ci(&env(&[("CI", "false"), ("BUILD_NUMBER", "7")])));
    assert!(!is_ci(&env(&[("CI", "")])));
    assert!(!is_ci(&env(&[])));
}
