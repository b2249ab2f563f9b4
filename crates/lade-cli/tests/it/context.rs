//! `TestContext`: a temporary project, store, home and cache, a local registry serving real
//! tarballs, and a way to run the `lade` binary against them with nothing from the machine's
//! own configuration leaking in.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use lade_test_registry::{RegistryFixture, TestRegistry};
use tempfile::TempDir;

pub struct TestContext {
    pub registry: TestRegistry,
    root: TempDir,
}

/// What a `lade` run printed and how it ended.
pub struct Run {
    pub status: std::process::ExitStatus,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn success(&self) -> bool {
        self.status.success()
    }

    /// stdout and stderr together, for assertions that don't care which stream.
    pub fn output(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }

    /// Whether the output says `text`, reading through the line wrapping and box drawing of
    /// miette's reports (which break long words such as file names across lines).
    pub fn mentions(&self, text: &str) -> bool {
        let flat = |s: &str| -> String {
            s.chars()
                .filter(|c| !c.is_whitespace() && !matches!(c, '│' | '×' | '╰' | '─' | '▶'))
                .collect()
        };
        flat(&self.output()).contains(&flat(text))
    }

    #[track_caller]
    pub fn assert_success(&self) -> &Self {
        assert!(self.success(), "lade failed:\n{}", self.output());
        self
    }

    #[track_caller]
    pub fn assert_failure_with(&self, code: &str) -> &Self {
        assert!(!self.success(), "lade should have failed with {code}:\n{}", self.output());
        assert!(self.output().contains(code), "expected {code} in:\n{}", self.output());
        self
    }
}

impl From<Output> for Run {
    fn from(output: Output) -> Self {
        Run {
            status: output.status,
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}

impl TestContext {
    pub fn new(fixture: RegistryFixture) -> Self {
        let root = tempfile::tempdir().unwrap();
        for dir in ["project", "store", "home", "cache"] {
            std::fs::create_dir_all(root.path().join(dir)).unwrap();
        }
        let registry = TestRegistry::start_blocking(fixture);
        let context = TestContext { registry, root };
        context.write(".npmrc", &format!("registry={}\n", context.registry.url()));
        context
    }

    pub fn project(&self) -> PathBuf {
        self.root.path().join("project")
    }

    pub fn store(&self) -> PathBuf {
        self.root.path().join("store")
    }

    /// Writes a file relative to the project directory.
    pub fn write(&self, relative: &str, text: &str) {
        let path = self.project().join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    pub fn read(&self, relative: &str) -> String {
        std::fs::read_to_string(self.project().join(relative)).unwrap()
    }

    pub fn exists(&self, relative: &str) -> bool {
        self.project().join(relative).symlink_metadata().is_ok()
    }

    pub fn link_target(&self, relative: &str) -> String {
        std::fs::read_link(self.project().join(relative)).unwrap().to_string_lossy().into_owned()
    }

    /// The registry's `dist.integrity` for a fixture package.
    pub fn integrity(&self, name: &str, version: &str) -> String {
        self.registry.dist(name, version).unwrap().integrity
    }

    /// `lade <args>` in the project, with `--store-dir` pointing at the test's store.
    pub fn lade(&self, args: &[&str]) -> Run {
        self.lade_in(&self.project(), args)
    }

    pub fn lade_in(&self, dir: &Path, args: &[&str]) -> Run {
        self.command_in(dir, args).output().unwrap().into()
    }

    /// The `lade <args>` command in `dir`, not yet started: for tests that add environment
    /// variables, run several at once or kill it.
    pub fn command_in(&self, dir: &Path, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_lade"));
        command.args(args).arg("--store-dir").arg(self.store()).current_dir(dir);
        isolate(&mut command, self.root.path());
        command
    }

    /// The temporary directory holding the project, store, home and cache.
    pub fn root(&self) -> &Path {
        self.root.path()
    }

    /// A project whose `dependencies` are exactly these registry packages (name, version), each
    /// locked with the registry's integrity and without dependencies of its own.
    pub fn depend_on(&self, packages: &[(&str, &str)]) {
        let quoted = |name: &str| {
            if name.starts_with('@') { format!("'{name}'") } else { name.to_owned() }
        };
        let dependencies: Vec<String> =
            packages.iter().map(|(name, version)| format!("\"{name}\":\"{version}\"")).collect();
        self.write(
            "package.json",
            &format!(
                r#"{{"name":"app","version":"1.0.0","dependencies":{{{}}}}}"#,
                dependencies.join(",")
            ),
        );
        let mut text = String::from(
            "lockfileVersion: '9.0'\n\nsettings:\n  autoInstallPeers: true\n  excludeLinksFromLockfile: false\n\nimporters:\n\n  .:\n    dependencies:\n",
        );
        for (name, version) in packages {
            let name = quoted(name);
            text.push_str(&format!(
                "      {name}:\n        specifier: {version}\n        version: {version}\n"
            ));
        }
        text.push_str("\npackages:\n");
        for (name, version) in packages {
            let key = quoted(&format!("{name}@{version}"));
            let integrity = self.integrity(name, version);
            text.push_str(&format!("\n  {key}:\n    resolution: {{integrity: {integrity}}}\n"));
        }
        text.push_str("\nsnapshots:\n");
        for (name, version) in packages {
            text.push_str(&format!("\n  {}: {{}}\n", quoted(&format!("{name}@{version}"))));
        }
        self.write("pnpm-lock.yaml", &text);
    }

    /// Every file under the store's `files/` directory.
    pub fn store_files(&self) -> Vec<PathBuf> {
        let mut found = Vec::new();
        let mut pending = vec![self.store().join("v11/files")];
        while let Some(dir) = pending.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else { continue };
            for entry in entries.flatten() {
                if entry.file_type().unwrap().is_dir() {
                    pending.push(entry.path());
                } else {
                    found.push(entry.path());
                }
            }
        }
        found
    }
}

/// Runs with a private HOME, cache and environment so that neither the machine's `.npmrc` nor
/// its `npm_config_*` variables take part.
fn isolate(command: &mut Command, root: &Path) {
    for (name, _) in std::env::vars_os() {
        let name = name.to_string_lossy().to_lowercase();
        if name.starts_with("npm_config_") || name.starts_with("pnpm_") || name == "xdg_data_home" {
            command.env_remove(&name);
            command.env_remove(name.to_uppercase());
        }
    }
    command
        .env("HOME", root.join("home"))
        .env("XDG_CACHE_HOME", root.join("cache"))
        .env("XDG_CONFIG_HOME", root.join("home/.config"))
        .env("NO_COLOR", "1");
}

/// A locked package: name, version, integrity, and its dependencies as name → version.
pub type LockedPackage<'a> = (&'a str, &'a str, String, &'a [(&'a str, &'a str)]);

/// A v9 lockfile for one project whose `dependencies` are `direct` (name, range, version).
pub fn lockfile(direct: &[(&str, &str, &str)], packages: &[LockedPackage]) -> String {
    let mut text = String::from(
        "lockfileVersion: '9.0'\n\nsettings:\n  autoInstallPeers: true\n  excludeLinksFromLockfile: false\n\nimporters:\n\n  .:\n",
    );
    if !direct.is_empty() {
        text.push_str("    dependencies:\n");
        for (name, range, version) in direct {
            text.push_str(&format!(
                "      {name}:\n        specifier: {range}\n        version: {version}\n"
            ));
        }
    }
    text.push_str("\npackages:\n");
    for (name, version, integrity, _) in packages {
        text.push_str(&format!(
            "\n  {name}@{version}:\n    resolution: {{integrity: {integrity}}}\n"
        ));
    }
    text.push_str("\nsnapshots:\n");
    for (name, version, _, deps) in packages {
        if deps.is_empty() {
            text.push_str(&format!("\n  {name}@{version}: {{}}\n"));
        } else {
            text.push_str(&format!("\n  {name}@{version}:\n    dependencies:\n"));
            for (dep, dep_version) in *deps {
                text.push_str(&format!("      {dep}: {dep_version}\n"));
            }
        }
    }
    text
}
