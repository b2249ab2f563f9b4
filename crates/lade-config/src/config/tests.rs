//! Whole loads over temporary directories with an injected environment and home.

mod auth;
mod layout;
mod precedence;
mod workspace;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use tempfile::TempDir;

use super::*;
use crate::{Origin, PemSource, RegistryUrl, SourceKind};

const FALLBACK: &str = "https://fallback.example.test/";

/// A home directory, an npm prefix and a project, isolated from the machine's own npmrc files.
struct Fixture {
    _dir: TempDir,
    root: PathBuf,
    env: HashMap<String, String>,
}

impl Fixture {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        for sub in ["home", "prefix/etc", "project"] {
            fs_err::create_dir_all(root.join(sub)).unwrap();
        }
        fs_err::write(root.join("project/package.json"), "{}").unwrap();
        let env = HashMap::from([
            ("HOME".to_owned(), root.join("home").display().to_string()),
            ("PREFIX".to_owned(), root.join("prefix").display().to_string()),
            ("PATH".to_owned(), String::new()),
        ]);
        Fixture { _dir: dir, root, env }
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.root.join(relative)
    }

    fn write(&self, relative: &str, text: &str) -> &Self {
        let path = self.path(relative);
        fs_err::create_dir_all(path.parent().unwrap()).unwrap();
        fs_err::write(path, text).unwrap();
        self
    }

    fn set_env(&mut self, name: &str, value: &str) -> &mut Self {
        self.env.insert(name.to_owned(), value.to_owned());
        self
    }

    fn options(&self, cwd: &str, cli: CliSettings) -> LoadOptions {
        LoadOptions {
            cwd: self.path(cwd),
            cli,
            env: self.env.clone(),
            home: None,
            npm_registry: NpmRegistryFallback::Fixed(RegistryUrl::parse(FALLBACK).unwrap()),
        }
    }

    fn load_with(&self, cwd: &str, cli: CliSettings) -> Result<Config, ConfigError> {
        Config::load(&self.options(cwd, cli))
    }

    fn load(&self, cwd: &str) -> Config {
        self.load_with(cwd, CliSettings::default()).unwrap()
    }
}

fn cli_config(pairs: &[(&str, &str)]) -> CliSettings {
    let config = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    CliSettings { config, ..CliSettings::default() }
}

fn url(text: &str) -> Url {
    Url::parse(text).unwrap()
}

fn assert_path(actual: &Path, expected: &Path) {
    assert_eq!(actual, expected);
}
