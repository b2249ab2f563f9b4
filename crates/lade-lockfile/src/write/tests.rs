use std::path::Path;

use crate::read::tests::{FIXTURES, fixture};
use crate::{Lockfile, LockfileSettings};

#[test]
fn round_trips_every_fixture_byte_for_byte() {
    for name in FIXTURES {
        let text = std::fs::read_to_string(fixture(name)).unwrap();
        let lockfile = Lockfile::from_str(&text, Path::new(name)).unwrap();
        let written = lockfile.to_yaml_string();
        if written != text {
            let line = written.lines().zip(text.lines()).position(|(a, b)| a != b).unwrap_or(0);
            panic!(
                "{name}: first difference at line {}:\n{:?}\n{:?}",
                line + 1,
                written.lines().nth(line),
                text.lines().nth(line)
            );
        }
    }
}

#[test]
fn writes_in_pnpm_order_whatever_the_input_order() {
    let text = "lockfileVersion: '9.0'\nimporters:\n  b:\n    dependencies:\n      z: {version: 1.0.0, specifier: ^1}\n      a: {specifier: ^1, version: 1.0.0}\n  .: {}\n\
        snapshots:\n  z@1.0.0: {}\n  a@1.0.0:\n    optional: true\n    dependencies: {z: 1.0.0}\n\
        packages:\n  z@1.0.0:\n    hasBin: true\n    resolution: {tarball: 'https://h.example.test/z.tgz', integrity: sha512-m3HSJL1i83hdltRq0+o9czGb+8KJDKra4t/3JRlnPKcjI8PZm6XBHXx6zG4UuMXaDEZjR1wuXDre9G9zvN7AQw==}\n  a@1.0.0:\n    resolution: {type: directory, directory: ../a}\n\
        settings: {excludeLinksFromLockfile: false, autoInstallPeers: true}\n";
    let lockfile = Lockfile::from_str(text, Path::new("x")).unwrap();
    let expected = "lockfileVersion: '9.0'\n\nsettings:\n  autoInstallPeers: true\n  excludeLinksFromLockfile: false\n\n\
        importers:\n\n  .: {}\n\n  b:\n    dependencies:\n      a:\n        specifier: ^1\n        version: 1.0.0\n      z:\n        specifier: ^1\n        version: 1.0.0\n\n\
        packages:\n\n  a@1.0.0:\n    resolution: {directory: ../a, type: directory}\n\n  z@1.0.0:\n    \
        resolution: {integrity: sha512-m3HSJL1i83hdltRq0+o9czGb+8KJDKra4t/3JRlnPKcjI8PZm6XBHXx6zG4UuMXaDEZjR1wuXDre9G9zvN7AQw==, tarball: https://h.example.test/z.tgz}\n    hasBin: true\n\n\
        snapshots:\n\n  a@1.0.0:\n    dependencies:\n      z: 1.0.0\n    optional: true\n\n  z@1.0.0: {}\n";
    assert_eq!(lockfile.to_yaml_string(), expected);
}

#[test]
fn empty_sections_and_default_settings_are_left_out() {
    let mut lockfile = Lockfile::new(LockfileSettings {
        auto_install_peers: Some(true),
        exclude_links_from_lockfile: Some(false),
        peers_suffix_max_length: Some(1000),
        inject_workspace_packages: Some(false),
        ..LockfileSettings::default()
    });
    lockfile.importers.insert(crate::ImporterId::root(), crate::ProjectSnapshot::default());
    lockfile.overrides = Some(Default::default());
    assert_eq!(
        lockfile.to_yaml_string(),
        "lockfileVersion: '9.0'\n\nsettings:\n  autoInstallPeers: true\n  excludeLinksFromLockfile: false\n\nimporters:\n\n  .: {}\n"
    );
}

#[test]
fn keeps_the_env_document() {
    let text = "---\nlockfileVersion: '9.0'\nimporters:\n  .:\n    configDependencies: {}\npackages: {}\nsnapshots: {}\n---\nlockfileVersion: '9.0'\n\nimporters:\n\n  .: {}\n";
    let lockfile = Lockfile::from_str(text, Path::new("x")).unwrap();
    assert_eq!(
        lockfile.env_document.as_deref(),
        Some(
            "lockfileVersion: '9.0'\nimporters:\n  .:\n    configDependencies: {}\npackages: {}\nsnapshots: {}"
        )
    );
    assert_eq!(lockfile.to_file_string(), text);
    assert_eq!(lockfile.to_yaml_string(), "lockfileVersion: '9.0'\n\nimporters:\n\n  .: {}\n");
}

/// Written by pnpm 10.34.9 for a project with overrides, a patch, an injected `file:` directory,
/// a local tarball with a bin, a `link:`, an `npm:` alias, peers, an optional platform package
/// and `publishConfig.directory`.
#[test]
fn round_trips_a_lockfile_with_every_kind_of_dependency() {
    let text = include_str!("varied-pnpm-lock.yaml");
    let lockfile = Lockfile::from_str(text, Path::new("varied")).unwrap();
    assert_eq!(lockfile.to_yaml_string(), text);
    let patch = &lockfile.patched_dependencies.as_ref().unwrap()["is-number@7.0.0"];
    assert_eq!(patch.hash(), "f87486c695f332ded6d734632c72cda44909103d3e1303b6018e080a6db6cbdc");
    let key = lockfile
        .snapshots
        .keys()
        .find(|k| k.name() == "is-number" && k.version() == "7.0.0")
        .unwrap();
    assert_eq!(
        lockfile.package(key).unwrap().resolution.integrity().map(|i| i.algorithm().as_str()),
        Some("sha512")
    );
    let tarball = lockfile.packages.get("local-tar@file:local-tar-0.1.0.tgz").unwrap();
    assert!(
        matches!(&tarball.resolution, crate::Resolution::Tarball { tarball, .. } if tarball == "file:local-tar-0.1.0.tgz")
    );
    assert_eq!(tarball.version.as_ref().map(|v| v.as_str()), Some("0.1.0"));
}
