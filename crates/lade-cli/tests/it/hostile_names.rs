//! Names that try to leave `node_modules` or `.bin` (pnpm's 2025–26 path-traversal advisories:
//! package names, aliases, bin names and bin targets; symlink traversal through an existing
//! `node_modules`). Names in the lockfile or package.json are refused with a coded error naming
//! the file; bins are dropped as pnpm drops them; nothing is written outside.

use lade_test_registry::{PackageSpec, RegistryFixture, TarballBuilder};
use serde_json::json;

use crate::context::TestContext;
use crate::inspect::paths_named;

const ESCAPED: &str = "escaped";

fn solo() -> RegistryFixture {
    RegistryFixture::new().package(PackageSpec::new("solo", "1.0.0").file("index.js", "1"))
}

fn assert_nothing_escaped(context: &TestContext) {
    let escaped = paths_named(context.root(), ESCAPED);
    assert!(escaped.is_empty(), "written outside node_modules: {escaped:?}");
}

/// A lockfile for `solo@1.0.0` with `replace` applied, under a package.json that still matches.
fn lockfile_with(context: &TestContext, replace: &[(&str, &str)]) -> String {
    context.depend_on(&[("solo", "1.0.0")]);
    let mut text = context.read("pnpm-lock.yaml");
    for (from, to) in replace {
        assert!(text.contains(from), "{from:?} not in\n{text}");
        text = text.replace(from, to);
    }
    text
}

#[test]
fn aliases_and_names_that_escape_are_refused_in_the_lockfile() {
    let importer_alias = |alias: &str| {
        vec![("      solo:\n        specifier: 1.0.0\n        version: 1.0.0", alias.to_owned())]
    };
    let cases: Vec<Vec<(&str, String)>> = vec![
        importer_alias(&format!(
            "      '../../{ESCAPED}':\n        specifier: 1.0.0\n        version: solo@1.0.0"
        )),
        importer_alias(&format!(
            "      '@x/../../{ESCAPED}':\n        specifier: 1.0.0\n        version: solo@1.0.0"
        )),
        importer_alias(&format!(
            "      '..\\..\\{ESCAPED}':\n        specifier: 1.0.0\n        version: solo@1.0.0"
        )),
        importer_alias(
            "      solo:\n        specifier: 1.0.0\n        version: ../../escaped@1.0.0",
        ),
        vec![(
            "\n  solo@1.0.0: {}\n",
            format!("\n  solo@1.0.0:\n    dependencies:\n      '../../../{ESCAPED}': solo@1.0.0\n"),
        )],
        vec![
            (
                "\n  solo@1.0.0:\n    resolution",
                format!("\n  '../{ESCAPED}@1.0.0':\n    resolution"),
            ),
            ("\n  solo@1.0.0: {}\n", format!("\n  '../{ESCAPED}@1.0.0': {{}}\n")),
        ],
    ];
    for replace in cases {
        let context = TestContext::new(solo());
        let replace: Vec<(&str, &str)> =
            replace.iter().map(|(from, to)| (*from, to.as_str())).collect();
        context.write("pnpm-lock.yaml", &lockfile_with(&context, &replace));
        let run = context.lade(&["install", "--frozen-lockfile"]);
        assert!(!run.success(), "accepted:\n{}\n{}", context.read("pnpm-lock.yaml"), run.output());
        assert!(run.output().contains("ERR_"), "a coded error: {}", run.output());
        assert!(run.mentions("pnpm-lock.yaml"), "names the file: {}", run.output());
        assert!(!context.exists("node_modules/.modules.yaml"));
        assert_nothing_escaped(&context);
    }
}

#[test]
fn dependency_names_that_escape_are_refused_in_package_json() {
    for name in [format!("../../{ESCAPED}"), format!("@x/../{ESCAPED}"), "..".to_owned()] {
        let context = TestContext::new(solo());
        context.depend_on(&[("solo", "1.0.0")]);
        let manifest = json!({"name": "app", "dependencies": {name.clone(): "npm:solo@1.0.0"}});
        context.write("package.json", &manifest.to_string());
        let run = context.lade(&["install", "--frozen-lockfile"]);
        assert!(!run.success() && run.output().contains("ERR_"), "{}", run.output());
        assert!(run.mentions("package.json"), "{}", run.output());
        assert_nothing_escaped(&context);
    }
}

#[test]
fn bins_that_escape_are_dropped_and_safe_ones_linked() {
    let bins = json!({
        "good": "cli.js",
        "../escaped-name": "cli.js",
        "..\\escaped-backslash": "cli.js",
        "@scope/../../escaped-scoped": "cli.js",
        "..": "cli.js",
        "escaped-target": "../../../../escaped-target.js",
        "escaped-absolute": "/etc/passwd",
        "escaped-into-modules": "../other/cli.js",
    });
    let manifest = json!({"name": "tool", "version": "1.0.0", "bin": bins});
    let tarball = TarballBuilder::new()
        .file("package/package.json", manifest.to_string())
        .file("package/cli.js", "#!/usr/bin/env node\n")
        .build();
    let tool = PackageSpec::new("tool", "1.0.0").tarball_bytes(tarball);
    // A package whose own manifest name climbs out, with a `bin` string named after it.
    let renamed = PackageSpec::new("renamed", "1.0.0")
        .file(
            "package.json",
            json!({"name": "../../escaped-pkg", "version": "1.0.0", "bin": "cli.js"}).to_string(),
        )
        .file("cli.js", "#!/usr/bin/env node\n");
    let from_dir = PackageSpec::new("fromdir", "1.0.0")
        .field("directories", json!({"bin": "../../.."}))
        .file("x.js", "1");
    let context =
        TestContext::new(RegistryFixture::new().package(tool).package(renamed).package(from_dir));
    context.depend_on(&[("tool", "1.0.0"), ("renamed", "1.0.0"), ("fromdir", "1.0.0")]);
    context.lade(&["install", "--frozen-lockfile"]).assert_success();
    let mut bins: Vec<String> = std::fs::read_dir(context.project().join("node_modules/.bin"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    bins.sort();
    assert_eq!(bins, ["good"]);
    assert_nothing_escaped(&context);
}

#[test]
fn links_planted_in_node_modules_are_replaced_not_followed() {
    let context = TestContext::new(solo());
    context.depend_on(&[("solo", "1.0.0")]);
    let outside = context.root().join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("keep.txt"), "untouched").unwrap();
    let slot = context.project().join("node_modules/.pnpm/solo@1.0.0/node_modules");
    std::fs::create_dir_all(&slot).unwrap();
    std::os::unix::fs::symlink(&outside, slot.join("solo")).unwrap();
    std::os::unix::fs::symlink(&outside, context.project().join("node_modules/solo")).unwrap();

    context.lade(&["install", "--frozen-lockfile"]).assert_success();
    let entries: Vec<_> = std::fs::read_dir(&outside).unwrap().flatten().collect();
    assert_eq!(entries.len(), 1, "nothing was written through the planted links");
    assert_eq!(std::fs::read_to_string(outside.join("keep.txt")).unwrap(), "untouched");
    assert!(!slot.join("solo").symlink_metadata().unwrap().is_symlink());
    assert_eq!(context.read("node_modules/solo/index.js"), "1");
}
