use std::collections::HashMap;
use std::path::Path;

use lade_config::BuildSettings;
use lade_linker::Layout;
use lade_types::DepPath;

use super::builds::BuildPolicy;
use super::pkg_id_with_patch_hash;
use super::staging::staged_location;

#[test]
fn package_ids_keep_the_patch_hash_and_drop_peers() {
    let id = |key: &str| pkg_id_with_patch_hash(&DepPath::parse(key).unwrap()).to_owned();
    assert_eq!(id("a@1.0.0"), "a@1.0.0");
    assert_eq!(id("a@1.0.0(react@18.3.1)"), "a@1.0.0");
    assert_eq!(id("a@1.0.0(patch_hash=abc)"), "a@1.0.0(patch_hash=abc)");
    assert_eq!(id("a@1.0.0(patch_hash=abc)(react@18.3.1)"), "a@1.0.0(patch_hash=abc)");
}

#[test]
fn build_permissions_follow_pnpm10_settings() {
    let policy = |settings: BuildSettings| BuildPolicy::new(&settings);
    let none = policy(BuildSettings::default());
    assert!(!none.allows("esbuild", "0.21.5"));
    let only = policy(BuildSettings {
        only_built_dependencies: Some(vec!["esbuild".into(), "core-js@3.1.0 || 3.2.0".into()]),
        ..BuildSettings::default()
    });
    assert!(only.allows("esbuild", "0.21.5"));
    assert!(only.allows("core-js", "3.2.0") && !only.allows("core-js", "3.3.0"));
    assert!(!only.allows("sharp", "0.33.0"));
    let all_but = policy(BuildSettings {
        dangerously_allow_all_builds: true,
        ignored_built_dependencies: Some(vec!["sharp".into()]),
        ..BuildSettings::default()
    });
    assert!(all_but.allows("esbuild", "0.21.5") && !all_but.allows("sharp", "0.33.0"));
    let never = policy(BuildSettings {
        never_built_dependencies: Some(vec!["sharp".into()]),
        ..BuildSettings::default()
    });
    assert!(never.allows("esbuild", "0.21.5") && !never.allows("sharp", "0.33.0"));
    let scoped = policy(BuildSettings {
        only_built_dependencies: Some(vec!["@swc/core@1.7.0".into()]),
        ..BuildSettings::default()
    });
    assert!(scoped.allows("@swc/core", "1.7.0") && !scoped.allows("@swc/core", "1.7.1"));
}

#[test]
fn staged_paths_are_found_below_their_temporary_slot() {
    let links = Path::new("/s/v11/links");
    let slot = links.join("@/a/1.0.0/abc");
    let temp = links.join("@/a/1.0.0/abc_tmp_1_0");
    let temps: HashMap<&Path, &Path> = [(slot.as_path(), temp.as_path())].into_iter().collect();
    let staged = |path: &str| staged_location(links, &temps, Path::new(path)).into_owned();
    assert_eq!(
        staged("/s/v11/links/@/a/1.0.0/abc/node_modules/a/bin/a.js"),
        temp.join("node_modules/a/bin/a.js")
    );
    assert_eq!(staged("/s/v11/links/@/a/1.0.0/abc"), temp);
    let elsewhere = "/s/v11/links/@/b/1.0.0/def/node_modules/b/cli.js";
    assert_eq!(staged(elsewhere), Path::new(elsewhere));
    assert_eq!(staged("/p/node_modules/.bin"), Path::new("/p/node_modules/.bin"));
}

#[test]
fn modules_yaml_records_the_links_directory_relative_to_node_modules() {
    let local = Layout::new("/w/project");
    assert_eq!(local.recorded_virtual_store_dir(), ".pnpm");
    let global = Layout::new("/w/project").with_global_virtual_store("/w/store/v11/links");
    assert_eq!(global.recorded_virtual_store_dir(), "../../store/v11/links");
}
