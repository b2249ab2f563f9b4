use std::fmt;
use std::path::PathBuf;

/// Something pnpm tolerates with a warning (or silently) that the CLI should tell the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigWarning {
    /// A line the ini reader cannot use (`=value`, a `[section]` header); pnpm ignores it
    /// silently.
    IgnoredNpmrcLine { path: PathBuf, line: usize },
    /// The whole file was skipped, as pnpm does when a placeholder names an unset variable.
    SkippedNpmrc { path: PathBuf, reason: String },
    /// A `${VAR}` in a registry, proxy or credential setting of a committed `.npmrc`.
    IgnoredRepositoryExpansion { path: PathBuf, key: String },
    /// Unscoped credentials (`_authToken=…`) pinned to the registry of their own source.
    RescopedCredentials { source: String, keys: Vec<String>, scope: String },
    /// Unscoped credentials whose source has an unusable `registry`, dropped.
    DroppedCredentials { source: String, keys: Vec<String> },
    /// A `${VAR}` in a request destination of pnpm-workspace.yaml, which pnpm ignores.
    IgnoredWorkspaceExpansion { path: PathBuf, key: String },
}

impl fmt::Display for ConfigWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigWarning::IgnoredNpmrcLine { path, line } => {
                write!(f, "{}:{line}: line ignored (not a key=value setting)", path.display())
            }
            ConfigWarning::SkippedNpmrc { path, reason } => {
                write!(f, "issue while reading {}: {reason}; the file was ignored", path.display())
            }
            ConfigWarning::IgnoredRepositoryExpansion { path, key } => write!(
                f,
                "ignored {key:?} in {}: environment variables are not expanded in registry, proxy \
                 or credential settings of a project .npmrc; put it in ~/.npmrc instead",
                path.display()
            ),
            ConfigWarning::RescopedCredentials { source, keys, scope } => write!(
                f,
                "unscoped credentials ({}) in {source} are deprecated; they were pinned to \
                 {scope}: write them as {scope}:{}=…",
                keys.join(", "),
                keys.first().map_or("_authToken", String::as_str)
            ),
            ConfigWarning::DroppedCredentials { source, keys } => write!(
                f,
                "unscoped credentials ({}) in {source} were ignored: its registry is not a valid \
                 URL; write them URL-scoped (//host/:_authToken=…)",
                keys.join(", ")
            ),
            ConfigWarning::IgnoredWorkspaceExpansion { path, key } => write!(
                f,
                "ignored {key:?} in {}: environment variables are not expanded in request \
                 destinations of pnpm-workspace.yaml",
                path.display()
            ),
        }
    }
}
