use std::path::{Path, PathBuf};

use lade_linker::{DirectTarget, Libc};

use super::*;

fn fixture(name: &str) -> Lockfile {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/fixtures")
        .join(name)
        .join("pnpm-lock.yaml");
    Lockfile::from_path(&path).unwrap()
}

fn linux_glibc_x64() -> Platform {
    Platform { os: "linux".into(), cpu: "x64".into(), libc: Libc::Glibc }
}

/// The graph on linux/x64/glibc, checking engines against Node.js `node`.
fn try_build(
    lockfile: &Lockfile,
    include: Include,
    importer_ids: &[String],
    node: &str,
    engine_strict: bool,
) -> Result<InstallGraph, InstallError> {
    let platform = linux_glibc_x64();
    let supported = SupportedArchitectures::default();
    let node = NodeEngine::with_setting(Some(node.into()));
    let options = GraphOptions {
        include,
        platform: &platform,
        supported: &supported,
        virtual_store_dir_max_length: 120,
        importer_ids,
        node: &node,
        engine_strict,
    };
    build(lockfile, &options)
}

fn build_with(lockfile: &Lockfile, include: Include, importer_ids: &[String]) -> InstallGraph {
    try_build(lockfile, include, importer_ids, "20.0.0", false).unwrap()
}

fn root() -> Vec<String> {
    vec![".".to_owned()]
}

#[test]
fn installs_every_snapshot_of_a_simple_project() {
    let lockfile = fixture("small");
    let graph = build_with(&lockfile, Include::default(), &root());
    // pnpm 10 reports "Packages: +90" for this lockfile.
    assert_eq!(graph.deps.len(), 90);
    assert_eq!(graph.deps.len(), lockfile.snapshots.len());
    assert!(graph.skipped.is_empty());
    assert_eq!(graph.importers[0].direct_deps.len(), 10);
}

#[test]
fn skips_optional_packages_for_other_platforms_like_pnpm() {
    let lockfile = fixture("alotta-files");
    let graph = build_with(&lockfile, Include::default(), &root());
    // pnpm 10 on linux/x64/glibc: "Packages: +1341" and skipped these four (.modules.yaml).
    assert_eq!(graph.deps.len(), 1341);
    let skipped: Vec<&str> = graph.skipped.iter().map(String::as_str).collect();
    assert_eq!(
        skipped,
        ["bindings@1.5.0", "file-uri-to-path@1.0.0", "fsevents@1.2.13", "nan@2.30.0"]
    );
    assert!(graph.deps.nodes().all(|(_, node)| !graph.skipped.contains(node.dep_path.as_str())));
}

#[test]
fn peer_variants_are_separate_nodes() {
    let lockfile = fixture("peers");
    let graph = build_with(&lockfile, Include::default(), &root());
    assert_eq!(graph.deps.len(), 350);
    let react_dom = graph
        .deps
        .nodes()
        .find(|(_, node)| node.dep_path.as_str() == "react-dom@18.3.1(react@18.3.1)")
        .unwrap()
        .1;
    assert_eq!(react_dom.virtual_store_name, "react-dom@18.3.1_react@18.3.1");
    let children: Vec<&str> = react_dom.children.iter().map(|(alias, _)| alias.as_str()).collect();
    assert_eq!(children, ["loose-envify", "react", "scheduler"]);
}

#[test]
fn workspace_links_and_prod_filtering() {
    let lockfile = fixture("workspace");
    let ids: Vec<String> =
        [".", "packages/cli", "packages/core", "packages/ui"].map(String::from).to_vec();
    let graph = build_with(&lockfile, Include::default(), &ids);
    let cli = &graph.importers[1];
    assert!(cli.direct_deps.iter().any(|(alias, target)| {
        alias.as_str() == "@fixture/core"
            && *target == DirectTarget::Link(Path::new("../core").into())
    }));
    assert_eq!(graph.deps.len(), 11);

    let prod = Include { dev_dependencies: false, ..Include::default() };
    let graph = build_with(&lockfile, prod, &ids);
    // typescript and prettier (root devDependencies) and react-dom (ui's devDependency) go.
    let names: Vec<&str> = graph.deps.nodes().map(|(_, node)| node.dep_path.as_str()).collect();
    assert!(!names.contains(&"typescript@5.5.4"));
    assert!(!names.contains(&"react-dom@18.3.1(react@18.3.1)"));
    assert!(names.contains(&"react@18.3.1"));
    assert_eq!(graph.importers[0].direct_deps.len(), 0);
}

#[test]
fn a_dangling_reference_is_a_coded_error() {
    let text = "lockfileVersion: '9.0'\n\nimporters:\n\n  .:\n    dependencies:\n      a:\n        specifier: ^1.0.0\n        version: 1.0.0\n";
    let lockfile = Lockfile::from_str(text, Path::new("pnpm-lock.yaml")).unwrap();
    let error = try_build(&lockfile, Include::default(), &root(), "20.0.0", false).err().unwrap();
    assert!(
        matches!(error, InstallError::MissingDependency { ref dep_path, .. } if dep_path == "a@1.0.0")
    );
}

fn build_for_node(
    lockfile: &Lockfile,
    node: &str,
    engine_strict: bool,
) -> Result<InstallGraph, InstallError> {
    try_build(lockfile, Include::default(), &root(), node, engine_strict)
}

/// pnpm 10.34.9 with `node-version=16.0.0`, then `12.0.0`, in .npmrc skipped these (its
/// .modules.yaml): make-dir@5.1.0 wants node >=18 and @pkgjs/parseargs@0.11.0 >=14; the
/// required packages that want a newer node are installed anyway.
#[test]
fn optional_packages_for_another_node_are_skipped_like_pnpm() {
    let lockfile = fixture("alotta-files");
    let on_linux = ["bindings@1.5.0", "file-uri-to-path@1.0.0", "fsevents@1.2.13", "nan@2.30.0"];
    for (node, extra) in [
        ("16.0.0", &["make-dir@5.1.0"][..]),
        ("12.0.0", &["@pkgjs/parseargs@0.11.0", "make-dir@5.1.0"]),
    ] {
        let graph = build_for_node(&lockfile, node, false).unwrap();
        let mut expected: Vec<&str> = on_linux.iter().chain(extra).copied().collect();
        expected.sort();
        let skipped: Vec<&str> = graph.skipped.iter().map(String::as_str).collect();
        assert_eq!(skipped, expected, "node {node}");
        assert_eq!(graph.deps.len(), 1345 - expected.len(), "node {node}");
    }
}

/// With `engine-strict`, pnpm 10 fails on node-releases@2.0.65 (engines.node >=18) under
/// `node-version=12.0.0`: ERR_PNPM_UNSUPPORTED_ENGINE.
#[test]
fn engine_strict_refuses_a_required_package_for_another_node() {
    let lockfile = fixture("alotta-files");
    let error = build_for_node(&lockfile, "12.0.0", true).err().unwrap();
    assert!(
        matches!(&error, InstallError::UnsupportedEngine { package, wanted, current }
            if package == "node-releases@2.0.65" && wanted == ">=18" && current == "12.0.0"),
        "{error:?}"
    );
    assert!(build_for_node(&lockfile, "20.0.0", true).is_ok());
}
