//! Where pnpm 10 looks for things: the project directory, the workspace root, pnpm's own
//! directories, npm's prefix, the default store. Platform differences live here and nowhere else.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::ConfigError;

const WORKSPACE_MANIFEST: &str = "pnpm-workspace.yaml";

/// Misspellings pnpm refuses instead of ignoring.
const BAD_WORKSPACE_MANIFEST_NAMES: [&str; 7] = [
    "pnpm-workspaces.yaml",
    "pnpm-workspaces.yml",
    "pnpm-workspace.yml",
    ".pnpm-workspace.yaml",
    ".pnpm-workspace.yml",
    ".pnpm-workspaces.yaml",
    ".pnpm-workspaces.yml",
];

const PROJECT_MARKERS: [&str; 5] =
    ["node_modules", "package.json", "package.json5", "package.yaml", WORKSPACE_MANIFEST];

/// npm's `findPrefix`: out of any `node_modules`, then up to the nearest directory holding a
/// package manifest, `node_modules` or a workspace manifest; `cwd` itself when none does.
pub(crate) fn find_project_dir(cwd: &Path) -> PathBuf {
    let mut dir = cwd;
    let mut walked_out = false;
    while dir.file_name().is_some_and(|name| name == "node_modules") {
        let Some(parent) = dir.parent() else { break };
        dir = parent;
        walked_out = true;
    }
    if walked_out {
        return dir.to_path_buf();
    }
    let mut candidate = Some(dir);
    while let Some(current) = candidate {
        // The filesystem root never counts, as in npm.
        if current.parent().is_none() {
            break;
        }
        if PROJECT_MARKERS.iter().any(|marker| current.join(marker).exists()) {
            return current.to_path_buf();
        }
        candidate = current.parent();
    }
    cwd.to_path_buf()
}

/// The directory of the nearest `pnpm-workspace.yaml` at or above `cwd`, or the one named by
/// `NPM_CONFIG_WORKSPACE_DIR`.
pub(crate) fn find_workspace_dir(
    cwd: &Path,
    env: &HashMap<String, String>,
) -> Result<Option<PathBuf>, ConfigError> {
    let from_env =
        env.get("NPM_CONFIG_WORKSPACE_DIR").or_else(|| env.get("npm_config_workspace_dir"));
    if let Some(dir) = from_env.filter(|dir| !dir.is_empty()) {
        return Ok(Some(cwd.join(dir)));
    }
    for dir in cwd.ancestors() {
        if dir.join(WORKSPACE_MANIFEST).is_file() {
            return Ok(Some(dir.to_path_buf()));
        }
        if let Some(bad) =
            BAD_WORKSPACE_MANIFEST_NAMES.iter().map(|name| dir.join(name)).find(|p| p.exists())
        {
            return Err(ConfigError::BadWorkspaceManifestName { path: bad });
        }
    }
    Ok(None)
}

pub(crate) fn workspace_manifest_path(workspace_dir: &Path) -> PathBuf {
    workspace_dir.join(WORKSPACE_MANIFEST)
}

/// The home directory from the injected environment.
pub(crate) fn home_from_env(env: &HashMap<String, String>) -> Option<PathBuf> {
    let home = if cfg!(windows) { env.get("USERPROFILE") } else { env.get("HOME") };
    home.filter(|home| !home.is_empty()).map(PathBuf::from)
}

fn xdg_or(env: &HashMap<String, String>, variable: &str) -> Option<PathBuf> {
    env.get(variable).filter(|dir| !dir.is_empty()).map(|dir| Path::new(dir).join("pnpm"))
}

/// pnpm's config directory, home of its global `rc` file.
pub(crate) fn pnpm_config_dir(env: &HashMap<String, String>, home: &Path) -> PathBuf {
    if let Some(dir) = xdg_or(env, "XDG_CONFIG_HOME") {
        return dir;
    }
    if cfg!(target_os = "macos") {
        return home.join("Library/Preferences/pnpm");
    }
    if let Some(local) = env.get("LOCALAPPDATA").filter(|_| cfg!(windows)) {
        return Path::new(local).join("pnpm/config");
    }
    home.join(".config/pnpm")
}

/// `PNPM_HOME`, or pnpm's data directory: the parent of the default store.
pub(crate) fn pnpm_home_dir(env: &HashMap<String, String>, home: &Path) -> PathBuf {
    if let Some(dir) = env.get("PNPM_HOME").filter(|dir| !dir.is_empty()) {
        return PathBuf::from(dir);
    }
    if let Some(dir) = xdg_or(env, "XDG_DATA_HOME") {
        return dir;
    }
    if cfg!(target_os = "macos") {
        return home.join("Library/pnpm");
    }
    if cfg!(windows) {
        if let Some(local) = env.get("LOCALAPPDATA") {
            return Path::new(local).join("pnpm");
        }
        return home.join(".pnpm");
    }
    home.join(".local/share/pnpm")
}

/// lade's own cache directory (for the remembered npm registry).
pub(crate) fn lade_cache_dir(env: &HashMap<String, String>, home: &Path) -> PathBuf {
    match env.get("XDG_CACHE_HOME").filter(|dir| !dir.is_empty()) {
        Some(dir) => Path::new(dir).join("lade"),
        None => home.join(".cache/lade"),
    }
}

/// The first executable called `name` on `PATH`.
pub(crate) fn find_executable(name: &str, env: &HashMap<String, String>) -> Option<PathBuf> {
    let path = env.get("PATH").or_else(|| env.get("Path"))?;
    let names: Vec<String> = if cfg!(windows) {
        vec![format!("{name}.cmd"), format!("{name}.exe"), name.to_owned()]
    } else {
        vec![name.to_owned()]
    };
    std::env::split_paths(path)
        .flat_map(|dir| names.iter().map(move |name| dir.join(name)))
        .find(|candidate| candidate.is_file())
}

/// npm's global prefix when `prefix` is not configured: `$PREFIX`, else derived from the real
/// location of the `node` binary (`<prefix>/bin/node`, or `<prefix>\node.exe` on Windows).
pub(crate) fn npm_global_prefix(env: &HashMap<String, String>) -> Option<PathBuf> {
    if let Some(prefix) = env.get("PREFIX").filter(|prefix| !prefix.is_empty()) {
        return Some(PathBuf::from(prefix));
    }
    let node = find_executable("node", env)?;
    let node = std::fs::canonicalize(&node).unwrap_or(node);
    let bin_dir = node.parent()?;
    if cfg!(windows) {
        return Some(bin_dir.to_path_buf());
    }
    let prefix = bin_dir.parent()?.to_path_buf();
    match env.get("DESTDIR").filter(|dir| !dir.is_empty()) {
        Some(destdir) => Some(Path::new(destdir).join(prefix.strip_prefix("/").unwrap_or(&prefix))),
        None => Some(prefix),
    }
}

/// The store pnpm uses when `store-dir` is unset: `<pnpm home>/store` when the project is on
/// the same filesystem as pnpm's home, else `.pnpm-store` at the root of the project's
/// filesystem (so that packages can be hard-linked rather than copied).
pub(crate) fn default_store_dir(project_root: &Path, pnpm_home: &Path) -> PathBuf {
    let home_store = pnpm_home.join("store");
    match mount_point_if_other_device(project_root, pnpm_home) {
        Some(mount) if mount != project_root => mount.join(".pnpm-store"),
        _ => home_store,
    }
}

#[cfg(unix)]
fn mount_point_if_other_device(project_root: &Path, pnpm_home: &Path) -> Option<PathBuf> {
    use std::os::unix::fs::MetadataExt;
    let device = |path: &Path| std::fs::metadata(path).ok().map(|meta| meta.dev());
    let project_device = device(project_root)?;
    let home_device = pnpm_home.ancestors().find_map(device)?;
    if project_device == home_device {
        return None;
    }
    let mut mount = project_root;
    while let Some(parent) = mount.parent().filter(|parent| device(parent) == Some(project_device))
    {
        mount = parent;
    }
    Some(mount.to_path_buf())
}

#[cfg(not(unix))]
fn mount_point_if_other_device(_project_root: &Path, _pnpm_home: &Path) -> Option<PathBuf> {
    None
}

/// Whether the environment looks like CI, as the `ci-info` package pnpm uses decides it for
/// the vendor-neutral variables.
pub(crate) fn is_ci(env: &HashMap<String, String>) -> bool {
    const CI_VARIABLES: [&str; 9] = [
        "BUILD_ID",
        "BUILD_NUMBER",
        "CI",
        "CI_APP_ID",
        "CI_BUILD_ID",
        "CI_BUILD_NUMBER",
        "CI_NAME",
        "CONTINUOUS_INTEGRATION",
        "RUN_ID",
    ];
    let set = |var: &str| env.get(var).is_some_and(|value| !value.is_empty());
    env.get("CI").is_none_or(|ci| ci != "false") && CI_VARIABLES.iter().any(|var| set(var))
}

#[cfg(test)]
mod tests;
