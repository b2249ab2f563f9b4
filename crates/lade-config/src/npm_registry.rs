//! The registry to use when no setting names one: what `npm config get registry` reports (npm's
//! built-in npmrc or default). Asking npm costs a process spawn (~150 ms), so the answer is
//! remembered on disk, keyed by the npm binary and the npmrc files npm reads, so that
//! upgrading npm or editing its config invalidates it.

use std::cell::OnceCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};

use crate::locations::{find_executable, lade_cache_dir};
use crate::registry::RegistryUrl;

/// How to find the registry when no setting names one.
#[derive(Debug, Clone, Default)]
pub enum NpmRegistryFallback {
    /// Ask `npm config get registry`, remembering the answer on disk.
    #[default]
    AskNpm,
    /// Use this registry (tests, or a caller that already knows).
    Fixed(RegistryUrl),
    /// There is no fallback: a registry must be configured.
    Unavailable,
}

#[derive(Serialize, Deserialize)]
struct CacheEntry {
    key: String,
    registry: String,
}

/// Looks the fallback up at most once per load, and only if something needs it.
pub(crate) struct NpmRegistryProbe<'a> {
    pub(crate) mode: &'a NpmRegistryFallback,
    pub(crate) env: &'a HashMap<String, String>,
    pub(crate) home: Option<PathBuf>,
    /// npmrc files whose edits must invalidate the remembered answer.
    pub(crate) npmrc_files: Vec<PathBuf>,
    pub(crate) answer: OnceCell<Result<RegistryUrl, String>>,
}

impl NpmRegistryProbe<'_> {
    pub(crate) fn registry(&self) -> Result<RegistryUrl, String> {
        self.answer.get_or_init(|| self.look_up()).clone()
    }

    fn look_up(&self) -> Result<RegistryUrl, String> {
        match self.mode {
            NpmRegistryFallback::Fixed(url) => Ok(url.clone()),
            NpmRegistryFallback::Unavailable => Err("no fallback registry is allowed".to_owned()),
            NpmRegistryFallback::AskNpm => self.ask_npm_cached(),
        }
    }

    fn ask_npm_cached(&self) -> Result<RegistryUrl, String> {
        let npm = find_executable("npm", self.env).ok_or("npm is not on PATH")?;
        let npm = std::fs::canonicalize(&npm).unwrap_or(npm);
        let key = self.cache_key(&npm);
        let cache_file = self
            .home
            .as_deref()
            .map(|home| lade_cache_dir(self.env, home).join("npm-registry.json"));
        if let Some(cached) = cache_file.as_deref().and_then(|file| read_cache(file, &key)) {
            return Ok(cached);
        }
        let registry = ask_npm(&npm, self.env, self.home.as_deref())?;
        if let Some(file) = cache_file {
            write_cache(&file, &CacheEntry { key, registry: registry.as_str().to_owned() });
        }
        Ok(registry)
    }

    fn cache_key(&self, npm: &Path) -> String {
        std::iter::once(npm)
            .chain(self.npmrc_files.iter().map(PathBuf::as_path))
            .map(|path| format!("{}@{}", path.display(), file_stamp(path)))
            .collect::<Vec<_>>()
            .join("|")
    }
}

/// Modification time and size, or `absent`.
fn file_stamp(path: &Path) -> String {
    let Ok(meta) = std::fs::metadata(path) else { return "absent".to_owned() };
    let modified = meta
        .modified()
        .ok()
        .and_then(|time| time.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |since| since.as_nanos());
    format!("{modified}:{}", meta.len())
}

fn read_cache(file: &Path, key: &str) -> Option<RegistryUrl> {
    let text = std::fs::read_to_string(file).ok()?;
    let entry: CacheEntry = serde_json::from_str(&text).ok()?;
    (entry.key == key).then(|| RegistryUrl::parse(&entry.registry).ok()).flatten()
}

/// Best effort: failing to remember the answer only costs a spawn next time.
fn write_cache(file: &Path, entry: &CacheEntry) {
    let Some(dir) = file.parent() else { return };
    let Ok(text) = serde_json::to_string(entry) else { return };
    let temporary = dir.join(format!(".npm-registry.{}.tmp", std::process::id()));
    let written = std::fs::create_dir_all(dir)
        .and_then(|()| std::fs::write(&temporary, text))
        .and_then(|()| std::fs::rename(&temporary, file));
    if written.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
}

/// Runs npm outside any project so that only its own, user and global configuration count.
fn ask_npm(
    npm: &Path,
    env: &HashMap<String, String>,
    home: Option<&Path>,
) -> Result<RegistryUrl, String> {
    let output = Command::new(npm)
        .args(["config", "get", "registry"])
        .current_dir(home.unwrap_or(Path::new("/")))
        .env_clear()
        .envs(env)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .map_err(|error| format!("running {} failed: {error}", npm.display()))?;
    if !output.status.success() {
        return Err(format!("`npm config get registry` exited with {}", output.status));
    }
    let text = String::from_utf8_lossy(&output.stdout);
    let text = text.trim();
    RegistryUrl::parse(text)
        .map_err(|_| format!("npm reported {text:?}, which is not a registry URL"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn probe<'a>(
        mode: &'a NpmRegistryFallback,
        env: &'a HashMap<String, String>,
        home: &'a Path,
    ) -> NpmRegistryProbe<'a> {
        let home = Some(home.to_path_buf());
        NpmRegistryProbe { mode, env, home, npmrc_files: Vec::new(), answer: OnceCell::new() }
    }

    #[cfg(unix)]
    fn fake_npm(dir: &Path, body: &str) {
        use std::os::unix::fs::PermissionsExt;
        let npm = dir.join("npm");
        std::fs::write(&npm, format!("#!/bin/sh\n{body}\n")).unwrap();
        std::fs::set_permissions(&npm, std::fs::Permissions::from_mode(0o755)).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn asks_npm_once_then_remembers_until_npm_changes() {
        let dir = tempfile::tempdir().unwrap();
        let bin = dir.path().join("bin");
        std::fs::create_dir(&bin).unwrap();
        let count = dir.path().join("count");
        fake_npm(
            &bin,
            &format!("echo x >> {}\necho http://registry.example.test/npm", count.display()),
        );
        let env: HashMap<String, String> =
            [("PATH".to_owned(), bin.display().to_string())].into_iter().collect();
        let mode = NpmRegistryFallback::AskNpm;
        for _ in 0..2 {
            let registry = probe(&mode, &env, dir.path()).registry().unwrap();
            assert_eq!(registry.as_str(), "http://registry.example.test/npm/");
        }
        assert_eq!(std::fs::read_to_string(&count).unwrap().lines().count(), 1);
        fake_npm(&bin, &format!("echo x >> {}\necho http://other.example.test/", count.display()));
        let registry = probe(&mode, &env, dir.path()).registry().unwrap();
        assert_eq!(registry.as_str(), "http://other.example.test/");
    }

    #[test]
    fn missing_npm_is_an_explained_failure() {
        let dir = tempfile::tempdir().unwrap();
        let env: HashMap<String, String> =
            [("PATH".to_owned(), dir.path().display().to_string())].into_iter().collect();
        let mode = NpmRegistryFallback::AskNpm;
        assert_eq!(probe(&mode, &env, dir.path()).registry().unwrap_err(), "npm is not on PATH");
        let mode = NpmRegistryFallback::Unavailable;
        assert!(probe(&mode, &env, dir.path()).registry().is_err());
    }

    #[cfg(unix)]
    #[test]
    fn npm_answering_garbage_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        fake_npm(dir.path(), "echo undefined");
        let env: HashMap<String, String> =
            [("PATH".to_owned(), dir.path().display().to_string())].into_iter().collect();
        let mode = NpmRegistryFallback::AskNpm;
        let error = probe(&mode, &env, dir.path()).registry().unwrap_err();
        assert!(error.contains("undefined"), "{error}");
    }
}
