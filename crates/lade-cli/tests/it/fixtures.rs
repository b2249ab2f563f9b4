//! A generated project big enough that a kill, a full disk or a second process meets an install
//! in every phase: dozens of packages of several files, some with commands, some depending on
//! others.

use std::path::Path;

use lade_test_registry::{PackageSpec, RegistryFixture};

use crate::context::TestContext;

/// One generated package and the packages it depends on (by name, all at 1.0.0).
pub struct Generated {
    pub name: String,
    pub has_bin: bool,
    pub dependencies: Vec<String>,
}

/// `count` packages `pkg-00`… of 2–6 files each (one a few KB); every fourth has a command, and
/// every third depends on the next one.
pub fn generated(count: usize) -> (RegistryFixture, Vec<Generated>) {
    let mut fixture = RegistryFixture::new();
    let mut packages = Vec::new();
    for n in 0..count {
        let name = format!("pkg-{n:02}");
        let mut spec = PackageSpec::new(&name, "1.0.0")
            .file("index.js", format!("module.exports = {n};\n"))
            .file("README.md", format!("# {name}\n{}\n", "words ".repeat(100 + 40 * n)));
        for part in 0..(n % 5) {
            spec = spec.file(&format!("lib/part{part}.js"), format!("exports.part = {n}{part};\n"));
        }
        let has_bin = n % 4 == 0;
        if has_bin {
            spec = spec.bin(&format!("tool-{n:02}"), "bin/cli.js");
        }
        let mut dependencies = Vec::new();
        if n % 3 == 0 && n + 1 < count {
            let next = format!("pkg-{:02}", n + 1);
            spec = spec.dependency(&next, "^1.0.0");
            dependencies.push(next);
        }
        fixture = fixture.package(spec);
        packages.push(Generated { name, has_bin, dependencies });
    }
    (fixture, packages)
}

/// Writes package.json (every package a direct dependency), pnpm-lock.yaml and .npmrc into
/// `dir`.
pub fn write_project(context: &TestContext, dir: &Path, packages: &[Generated]) {
    std::fs::create_dir_all(dir).unwrap();
    let direct: Vec<String> =
        packages.iter().map(|package| format!("\"{}\":\"^1.0.0\"", package.name)).collect();
    let manifest =
        format!(r#"{{"name":"app","version":"1.0.0","dependencies":{{{}}}}}"#, direct.join(","));
    std::fs::write(dir.join("package.json"), manifest).unwrap();
    let mut text = String::from(
        "lockfileVersion: '9.0'\n\nsettings:\n  autoInstallPeers: true\n  excludeLinksFromLockfile: false\n\nimporters:\n\n  .:\n    dependencies:\n",
    );
    for package in packages {
        let name = &package.name;
        text.push_str(&format!(
            "      {name}:\n        specifier: ^1.0.0\n        version: 1.0.0\n"
        ));
    }
    text.push_str("\npackages:\n");
    for package in packages {
        let dist = context.registry.dist(&package.name, "1.0.0").unwrap();
        let has_bin = if package.has_bin { "    hasBin: true\n" } else { "" };
        text.push_str(&format!(
            "\n  {}@1.0.0:\n    resolution: {{integrity: {}}}\n{has_bin}",
            package.name, dist.integrity
        ));
    }
    text.push_str("\nsnapshots:\n");
    for package in packages {
        if package.dependencies.is_empty() {
            text.push_str(&format!("\n  {}@1.0.0: {{}}\n", package.name));
        } else {
            text.push_str(&format!("\n  {}@1.0.0:\n    dependencies:\n", package.name));
            for dependency in &package.dependencies {
                text.push_str(&format!("      {dependency}: 1.0.0\n"));
            }
        }
    }
    std::fs::write(dir.join("pnpm-lock.yaml"), text).unwrap();
    std::fs::write(dir.join(".npmrc"), format!("registry={}\n", context.registry.url())).unwrap();
}
