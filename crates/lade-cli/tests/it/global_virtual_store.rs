//! `enableGlobalVirtualStore`: packages in shared slots under `<store>/v11/links`, named as pnpm
//! 12 names them, the project holding only links into them.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use lade_test_registry::{PackageSpec, RegistryFixture};

use crate::context::{Run, TestContext};

fn fixture() -> RegistryFixture {
    RegistryFixture::new()
        .package(
            PackageSpec::new("@scope/tool", "1.2.3")
                .dependency("helper", "^1.0.0")
                .bin("tool", "bin/tool.js")
                .file("bin/tool.js", "#!/usr/bin/env node\nrequire('helper')\n"),
        )
        .package(
            PackageSpec::new("helper", "1.0.0")
                .dependency("runner", "^1.0.0")
                .file("index.js", "module.exports = 42\n"),
        )
        .package(
            PackageSpec::new("runner", "1.0.0")
                .bin("run-it", "run.js")
                .file("run.js", "#!/usr/bin/env node\n"),
        )
        // A dependency cycle.
        .package(PackageSpec::new("ping", "1.0.0").dependency("pong", "^1.0.0"))
        .package(PackageSpec::new("pong", "1.0.0").dependency("ping", "^1.0.0"))
        .package(PackageSpec::new("plugin", "1.0.0").peer("host", "*"))
        .package(PackageSpec::new("host", "1.0.0"))
        .package(PackageSpec::new("host", "2.0.0"))
}

/// A project depending on the fixture, with `host` (the plugin's peer) at `host_version`.
fn write_project(context: &TestContext, dir: &Path, host_version: &str) {
    std::fs::create_dir_all(dir).unwrap();
    let manifest = format!(
        r#"{{"name":"app","version":"1.0.0","dependencies":{{"@scope/tool":"^1.2.0","host":"{host_version}","ping":"^1.0.0","plugin":"1.0.0"}}}}"#
    );
    std::fs::write(dir.join("package.json"), manifest).unwrap();
    std::fs::write(dir.join("pnpm-workspace.yaml"), "enableGlobalVirtualStore: true\n").unwrap();
    std::fs::write(dir.join(".npmrc"), format!("registry={}\n", context.registry.url())).unwrap();
    let integrity = |name: &str, version: &str| context.integrity(name, version);
    let text = format!(
        "lockfileVersion: '9.0'

settings:
  autoInstallPeers: true
  excludeLinksFromLockfile: false

importers:

  .:
    dependencies:
      '@scope/tool':
        specifier: ^1.2.0
        version: 1.2.3
      host:
        specifier: {host_version}
        version: {host_version}
      ping:
        specifier: ^1.0.0
        version: 1.0.0
      plugin:
        specifier: 1.0.0
        version: 1.0.0(host@{host_version})

packages:

  '@scope/tool@1.2.3':
    resolution: {{integrity: {tool}}}
    hasBin: true

  helper@1.0.0:
    resolution: {{integrity: {helper}}}

  host@{host_version}:
    resolution: {{integrity: {host}}}

  ping@1.0.0:
    resolution: {{integrity: {ping}}}

  plugin@1.0.0:
    resolution: {{integrity: {plugin}}}
    peerDependencies:
      host: '*'

  pong@1.0.0:
    resolution: {{integrity: {pong}}}

  runner@1.0.0:
    resolution: {{integrity: {runner}}}
    hasBin: true

snapshots:

  '@scope/tool@1.2.3':
    dependencies:
      helper: 1.0.0

  helper@1.0.0:
    dependencies:
      runner: 1.0.0

  host@{host_version}: {{}}

  ping@1.0.0:
    dependencies:
      pong: 1.0.0

  plugin@1.0.0(host@{host_version}):
    dependencies:
      host: {host_version}

  pong@1.0.0:
    dependencies:
      ping: 1.0.0

  runner@1.0.0: {{}}
",
        tool = integrity("@scope/tool", "1.2.3"),
        helper = integrity("helper", "1.0.0"),
        host = integrity("host", host_version),
        ping = integrity("ping", "1.0.0"),
        plugin = integrity("plugin", "1.0.0"),
        pong = integrity("pong", "1.0.0"),
        runner = integrity("runner", "1.0.0"),
    );
    std::fs::write(dir.join("pnpm-lock.yaml"), text).unwrap();
}

/// `lade install --frozen-lockfile` in `dir`, outside CI (where pnpm turns the store off).
/// The project with `host@1.0.0` and a second one beside it with `host@2.0.0`, both installed;
/// returns the second's directory.
fn two_projects(context: &TestContext) -> PathBuf {
    write_project(context, &context.project(), "1.0.0");
    install(context, &context.project()).assert_success();
    let second = context.root().join("second");
    write_project(context, &second, "2.0.0");
    install(context, &second).assert_success();
    second
}

fn install(context: &TestContext, dir: &Path) -> Run {
    context
        .command_in(dir, &["install", "--frozen-lockfile"])
        .env("CI", "false")
        .output()
        .unwrap()
        .into()
}

fn links(context: &TestContext) -> PathBuf {
    context.store().join("v11/links")
}

/// Every slot directory (`<scope or @>/<name>/<version>/<hash>`) under the store's links.
fn slots(context: &TestContext) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut pending = vec![(links(context), 0)];
    while let Some((dir, depth)) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            if depth == 3 {
                let path = entry.path();
                found.insert(path.strip_prefix(links(context)).unwrap().display().to_string());
            } else {
                pending.push((entry.path(), depth + 1));
            }
        }
    }
    found
}

/// Every path under the links directory with its modification time.
fn snapshot_tree(root: &Path) -> Vec<(PathBuf, std::time::SystemTime)> {
    let mut found = Vec::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let meta = entry.path().symlink_metadata().unwrap();
            found.push((entry.path(), meta.modified().unwrap()));
            if meta.is_dir() {
                pending.push(entry.path());
            }
        }
    }
    found.sort();
    found
}

/// The slot (`<scope or @>/<name>/<version>/<hash>`) that `node_modules/<alias>` links to.
fn slot_of(context: &TestContext, project: &Path, alias: &str) -> String {
    let resolved = project.join("node_modules").join(alias).canonicalize().unwrap();
    let relative = resolved.strip_prefix(links(context).canonicalize().unwrap()).unwrap();
    relative.components().take(4).collect::<PathBuf>().display().to_string()
}

#[test]
fn slots_live_in_the_store_and_the_project_links_into_them() {
    let context = TestContext::new(fixture());
    let project = context.project();
    write_project(&context, &project, "1.0.0");
    install(&context, &project).assert_success();

    let tool = context.link_target("node_modules/@scope/tool");
    let (prefix, rest) = tool.split_at("../../../store/v11/links/@scope/tool/1.2.3/".len());
    assert_eq!(prefix, "../../../store/v11/links/@scope/tool/1.2.3/", "{tool}");
    let (hash, inside) = rest.split_once('/').unwrap();
    assert!(hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit()), "{tool}");
    assert_eq!(inside, "node_modules/@scope/tool");
    assert_eq!(
        context.read("node_modules/@scope/tool/bin/tool.js"),
        "#!/usr/bin/env node\nrequire('helper')\n"
    );

    // The slot links its dependencies to their own slots, and has its own `.bin`.
    let slot = links(&context).join(slot_of(&context, &project, "@scope/tool"));
    let helper = std::fs::read_link(slot.join("node_modules/helper")).unwrap();
    assert!(helper.starts_with("../../../../../@/helper/1.0.0/"), "{}", helper.display());
    let helper_slot = slot.join("node_modules").join(&helper).canonicalize().unwrap();
    let helper_bin = helper_slot.join("node_modules/.bin/run-it");
    assert!(helper_bin.exists(), "the slot's dependencies' commands are linked inside it");
    assert!(!std::fs::read_to_string(&helper_bin).unwrap().contains("/project/"));

    // The project keeps its records, hoisting and commands; no package lives in it.
    assert!(
        context
            .link_target("node_modules/.pnpm/node_modules/helper")
            .contains("store/v11/links/@/helper/1.0.0/")
    );
    assert!(context.read("node_modules/.bin/tool").contains("store/v11/links/@scope/tool/1.2.3/"));
    let local: Vec<String> = std::fs::read_dir(project.join("node_modules/.pnpm"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains('@'))
        .collect();
    assert!(local.is_empty(), "packages in the project's virtual store: {local:?}");
    assert!(
        context
            .read("node_modules/.modules.yaml")
            .contains("\"virtualStoreDir\": \"../../store/v11/links\"")
    );
    assert!(slots(&context).iter().all(|slot| !slot.contains("_tmp_")), "{:?}", slots(&context));

    let again = install(&context, &project);
    again.assert_success();
    assert!(again.stdout.contains("Already up to date"), "{}", again.stdout);
}

#[test]
fn a_second_project_reuses_every_slot_without_touching_it() {
    let context = TestContext::new(fixture());
    write_project(&context, &context.project(), "1.0.0");
    install(&context, &context.project()).assert_success();
    let before = snapshot_tree(&links(&context));
    let store_files = context.store_files().len();

    let second = context.root().join("second");
    write_project(&context, &second, "1.0.0");
    context.registry.clear_requests();
    install(&context, &second).assert_success();

    assert_eq!(snapshot_tree(&links(&context)), before, "a slot was created or modified");
    assert_eq!(context.store_files().len(), store_files);
    assert!(context.registry.requests().is_empty(), "a warm install needs no network");
    for alias in ["@scope/tool", "ping", "plugin", "host"] {
        assert_eq!(slot_of(&context, &second, alias), slot_of(&context, &context.project(), alias));
    }
    // Commands of packages whose slots were already complete come from their package.json.
    let shim = |project: &Path, bins: &str| std::fs::read_to_string(project.join(bins)).unwrap();
    for bins in ["node_modules/.bin/tool", "node_modules/.pnpm/node_modules/.bin/run-it"] {
        assert_eq!(
            shim(&second, bins),
            shim(&context.project(), bins).replace("/project/", "/second/")
        );
    }
    let helper =
        std::fs::read_to_string(second.join("node_modules/.pnpm/node_modules/helper/index.js"));
    assert_eq!(helper.unwrap(), "module.exports = 42\n");
}

#[test]
fn peer_variants_and_their_dependents_get_distinct_slots() {
    let context = TestContext::new(fixture());
    let second = two_projects(&context);

    let first_plugin = slot_of(&context, &context.project(), "plugin");
    let second_plugin = slot_of(&context, &second, "plugin");
    assert!(
        first_plugin.starts_with("@/plugin/1.0.0/") && second_plugin.starts_with("@/plugin/1.0.0/")
    );
    assert_ne!(first_plugin, second_plugin);
    let host = |project: &Path| {
        let plugin = links(&context).join(slot_of(&context, project, "plugin"));
        std::fs::read_link(plugin.join("node_modules/host")).unwrap().display().to_string()
    };
    assert!(host(&context.project()).contains("/host/1.0.0/"), "{}", host(&context.project()));
    assert!(host(&second).contains("/host/2.0.0/"), "{}", host(&second));
    assert_eq!(slot_of(&context, &second, "ping"), slot_of(&context, &context.project(), "ping"));
}

#[test]
fn concurrent_installs_of_the_same_slots_each_get_whole_slots() {
    let context = TestContext::new(fixture());
    let projects: Vec<PathBuf> =
        (0..4).map(|i| context.root().join(format!("concurrent-{i}"))).collect();
    for project in &projects {
        write_project(&context, project, "1.0.0");
    }
    let children: Vec<_> = projects
        .iter()
        .map(|project| {
            context
                .command_in(project, &["install", "--frozen-lockfile"])
                .env("CI", "false")
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let run: Run = child.wait_with_output().unwrap().into();
        run.assert_success();
    }
    let slots = slots(&context);
    assert_eq!(slots.len(), 7, "{slots:?}");
    assert!(slots.iter().all(|slot| !slot.contains("_tmp_")), "{slots:?}");
    for project in &projects {
        let tool = project.join("node_modules/@scope/tool/bin/tool.js");
        assert_eq!(
            std::fs::read_to_string(tool).unwrap(),
            "#!/usr/bin/env node\nrequire('helper')\n"
        );
        assert!(project.join("node_modules/.pnpm/node_modules/runner/run.js").exists());
    }
}

/// `store prune` removes the slots only a deleted project used (its `host@2.0.0` and the plugin
/// variant that peers on it) and keeps every slot the remaining project reaches, directly or
/// through other slots, as pnpm 12's mark and sweep does.
#[test]
fn store_prune_removes_the_slots_no_project_reaches() {
    let context = TestContext::new(fixture());
    let second = two_projects(&context);
    let kept = slots(&context);
    let only_second = [slot_of(&context, &second, "host"), slot_of(&context, &second, "plugin")];
    std::fs::remove_dir_all(&second).unwrap();

    let run = context.lade(&["store", "prune"]);
    run.assert_success();
    assert!(
        run.stdout.contains("Removed 2 packages from the global virtual store"),
        "{}",
        run.stdout
    );
    let mut expected = kept;
    for slot in &only_second {
        assert!(expected.remove(slot), "{slot}");
    }
    assert_eq!(slots(&context), expected);
    assert!(!links(&context).join("@/host/2.0.0").exists());
    // The remaining project still installs from its slots without fetching anything.
    std::fs::remove_dir_all(context.project().join("node_modules")).unwrap();
    let requests = context.registry.requests().len();
    install(&context, &context.project()).assert_success();
    assert_eq!(context.registry.requests().len(), requests);
}

#[test]
fn a_slot_left_unfinished_is_completed_in_place() {
    let context = TestContext::new(fixture());
    write_project(&context, &context.project(), "1.0.0");
    install(&context, &context.project()).assert_success();
    // As an interrupted pnpm leaves a slot: files in place but the manifest, written last, missing.
    let helper = links(&context)
        .join(slot_of(&context, &context.project(), ".pnpm/node_modules/helper"))
        .join("node_modules/helper");
    std::fs::remove_file(helper.join("package.json")).unwrap();
    std::fs::remove_file(helper.join("index.js")).unwrap();

    let second = context.root().join("second");
    write_project(&context, &second, "1.0.0");
    install(&context, &second).assert_success();
    assert!(helper.join("package.json").exists());
    assert_eq!(std::fs::read_to_string(helper.join("index.js")).unwrap(), "module.exports = 42\n");
    assert!(slots(&context).iter().all(|slot| !slot.contains("_tmp_")));
}

#[test]
fn a_failed_install_leaves_no_half_built_slot() {
    let context = TestContext::new(fixture());
    let project = context.project();
    write_project(&context, &project, "1.0.0");
    // runner's tarball will not match the integrity the lockfile records for it.
    let lockfile = std::fs::read_to_string(project.join("pnpm-lock.yaml")).unwrap();
    let wrong = lockfile
        .replace(&context.integrity("runner", "1.0.0"), &context.integrity("helper", "1.0.0"));
    std::fs::write(project.join("pnpm-lock.yaml"), wrong).unwrap();
    let npmrc = format!("registry={}\nfetch-retries=0\n", context.registry.url());
    std::fs::write(project.join(".npmrc"), npmrc).unwrap();
    let run = install(&context, &project);
    assert!(!run.success(), "{}", run.output());
    assert!(run.output().contains("ERR_PNPM_TARBALL_INTEGRITY"), "{}", run.output());
    let slots = slots(&context);
    assert!(slots.iter().all(|slot| !slot.contains("_tmp_")), "{slots:?}");
    assert!(slots.iter().all(|slot| !slot.starts_with("@/runner/")), "{slots:?}");
}

#[test]
fn store_status_checks_the_packages_in_the_slots() {
    let context = TestContext::new(fixture());
    write_project(&context, &context.project(), "1.0.0");
    install(&context, &context.project()).assert_success();
    let status = |context: &TestContext| -> Run {
        let mut command = context.command_in(&context.project(), &["store", "status"]);
        command.env("CI", "false").output().unwrap().into()
    };
    let run = status(&context);
    run.assert_success();
    assert!(run.stdout.contains("Packages in the store are untouched"), "{}", run.output());

    let edited = context.project().join("node_modules/@scope/tool/bin/tool.js");
    std::fs::write(&edited, "tampered").unwrap();
    // Dated past pnpm's 100 ms slack after the install, which its mtime rule ignores.
    let later = std::time::SystemTime::now() + std::time::Duration::from_secs(5);
    std::fs::File::options().write(true).open(&edited).unwrap().set_modified(later).unwrap();
    let run = status(&context);
    run.assert_failure_with("ERR_PNPM_MODIFIED_DEPENDENCY");
    assert!(run.output().contains("@scope/tool@1.2.3"), "{}", run.output());
    assert!(!run.output().contains("helper@1.0.0"), "{}", run.output());
}

fn pnpm12() -> Option<PathBuf> {
    match std::env::var_os("LADE_PNPM12") {
        Some(path) => Some(PathBuf::from(path)),
        None if std::env::var("CI").as_deref() == Ok("true") => {
            panic!("CI must set LADE_PNPM12 (see .ci/run)")
        }
        None => {
            eprintln!("LADE_PNPM12 is not set: skipping the global virtual store parity test");
            None
        }
    }
}

/// pnpm 12 installs a second project on the slots lade made: it finds every one of them where it
/// looks, so it creates none, and the two projects link the same slots.
#[test]
fn pnpm12_uses_the_slots_lade_created() {
    let Some(pnpm) = pnpm12() else { return };
    let context = TestContext::new(fixture());
    write_project(&context, &context.project(), "1.0.0");
    install(&context, &context.project()).assert_success();
    let lade_slots = slots(&context);

    let by_pnpm = context.root().join("by-pnpm");
    write_project(&context, &by_pnpm, "1.0.0");
    let home = context.root().join("pnpm-home");
    let output = Command::new(&pnpm)
        .args(["install", "--frozen-lockfile", "--offline", "--ignore-scripts"])
        .args(["--config.minimum-release-age=0", "--store-dir"])
        .arg(context.store())
        .current_dir(&by_pnpm)
        .env("HOME", &home)
        .env("XDG_CACHE_HOME", home.join(".cache"))
        .env("XDG_DATA_HOME", home.join(".local/share"))
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("CI", "false")
        .env("PNPM_CONFIG_MANAGE_PACKAGE_MANAGER_VERSIONS", "false")
        .env("npm_config_manage_package_manager_versions", "false")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "pnpm 12 failed:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(slots(&context), lade_slots, "pnpm 12 named some slot differently");
    for alias in ["@scope/tool", "ping", "plugin", "host", ".pnpm/node_modules/pong"] {
        assert_eq!(
            slot_of(&context, &by_pnpm, alias),
            slot_of(&context, &context.project(), alias)
        );
    }
}
