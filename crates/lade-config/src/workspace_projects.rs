//! Workspace projects from the `packages:` globs, matched as pnpm 10 matches them with
//! tinyglobby: each pattern names directories holding a `package.json`, `package.yaml` or
//! `package.json5`; `!pattern` removes exactly the directories it matches (not their
//! subdirectories); `*` and `**` skip dot-directories; anything under `node_modules` or
//! `bower_components` is ignored; the workspace root is always a project.

use std::path::{Path, PathBuf};

use globset::{GlobBuilder, GlobMatcher};

use crate::ConfigError;

const MANIFEST_NAMES: [&str; 3] = ["package.json", "package.yaml", "package.json5"];
const IGNORED_DIRS: [&str; 2] = ["node_modules", "bower_components"];

struct Pattern {
    matcher: GlobMatcher,
    /// Literal leading directories: the walk starts there.
    base: PathBuf,
    /// Dot-prefixed segments the pattern names literally, which `*` would not match.
    dot_segments: Vec<String>,
}

/// The project directories of a workspace, sorted, the root first among equals.
/// `patterns: None` (no `packages` field) means the root project alone.
pub fn find_workspace_projects(
    root: &Path,
    patterns: Option<&[String]>,
) -> Result<Vec<PathBuf>, ConfigError> {
    let mut projects = vec![PathBuf::new()];
    let (mut include, mut exclude) = (Vec::new(), Vec::new());
    for text in patterns.unwrap_or_default() {
        match text.strip_prefix('!') {
            Some(negated) => exclude.push(compile(negated, root)?),
            None => include.push(compile(text, root)?),
        }
    }
    let mut candidates = Vec::new();
    for pattern in &include {
        walk(root, &pattern.base, pattern, &mut candidates);
    }
    candidates.retain(|dir| !exclude.iter().any(|pattern| matches(pattern, dir)));
    projects.extend(candidates);
    // pnpm sorts by the path string, where `a-b` comes before `a/b`.
    projects.sort_by(|a, b| a.as_os_str().cmp(b.as_os_str()));
    projects.dedup();
    Ok(projects.into_iter().map(|relative| root.join(relative)).collect())
}

fn compile(text: &str, root: &Path) -> Result<Pattern, ConfigError> {
    let mut normalized = text.trim_end_matches('/');
    while let Some(rest) = normalized.strip_prefix("./") {
        normalized = rest;
    }
    let normalized = if normalized == "." { "" } else { normalized };
    // Matching the manifest path lets `dir/**` match `dir` itself, as in tinyglobby.
    let manifest_glob = match normalized {
        "" => "package.json".to_owned(),
        dir => format!("{dir}/package.json"),
    };
    let matcher = GlobBuilder::new(&manifest_glob)
        .literal_separator(true)
        .build()
        .map_err(|error| ConfigError::InvalidWorkspaceManifest {
            path: crate::locations::workspace_manifest_path(root),
            message: format!("invalid packages pattern {text:?}: {error}"),
        })?
        .compile_matcher();
    let segments: Vec<&str> = normalized.split('/').filter(|s| !s.is_empty()).collect();
    let base =
        segments.iter().take_while(|segment| !segment.contains(['*', '?', '[', '{'])).collect();
    let dot_segments = segments
        .iter()
        .filter(|segment| segment.starts_with('.') && **segment != "." && **segment != "..")
        .map(|segment| segment.to_string())
        .collect();
    Ok(Pattern { matcher, base, dot_segments })
}

fn matches(pattern: &Pattern, relative: &Path) -> bool {
    let hidden_ok = relative.iter().all(|segment| {
        let segment = segment.to_string_lossy();
        let hidden = segment.starts_with('.') && segment != "..";
        !hidden || pattern.dot_segments.iter().any(|dot| *dot == segment)
    });
    hidden_ok && pattern.matcher.is_match(relative.join("package.json"))
}

/// Visits `relative` (a directory below `root`) and its descendants, collecting those that
/// hold a manifest and match. Descends only where a match is still possible.
fn walk(root: &Path, relative: &Path, pattern: &Pattern, found: &mut Vec<PathBuf>) {
    let dir = root.join(relative);
    if MANIFEST_NAMES.iter().any(|name| dir.join(name).is_file()) && matches(pattern, relative) {
        found.push(relative.to_path_buf());
    }
    let Ok(entries) = std::fs::read_dir(&dir) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name_text = name.to_string_lossy();
        let skip = IGNORED_DIRS.contains(&name_text.as_ref())
            || (name_text.starts_with('.')
                && !pattern.dot_segments.iter().any(|dot| *dot == name_text));
        // `is_dir` follows symlinks, as tinyglobby does by default.
        if skip || !entry.path().is_dir() || !may_match_below(pattern, relative) {
            continue;
        }
        if entry.file_type().is_ok_and(|kind| kind.is_symlink())
            && links_to_ancestor(&entry.path(), &dir)
        {
            continue;
        }
        walk(root, &relative.join(&*name), pattern, found);
    }
}

/// A symlink to a directory that contains it would make the walk endless.
fn links_to_ancestor(link: &Path, dir: &Path) -> bool {
    match (std::fs::canonicalize(link), std::fs::canonicalize(dir)) {
        (Ok(target), Ok(dir)) => dir.starts_with(target),
        _ => true,
    }
}

/// Whether a path under `relative/name` could match: a pattern without `**` has a fixed depth.
fn may_match_below(pattern: &Pattern, relative: &Path) -> bool {
    let glob = pattern.matcher.glob().glob();
    if glob.contains("**") {
        return true;
    }
    let directory_depth = glob.split('/').filter(|s| !s.is_empty()).count() - 1;
    relative.iter().count() < directory_depth
}

#[cfg(test)]
mod tests;
