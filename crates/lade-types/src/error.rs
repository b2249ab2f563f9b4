use miette::Diagnostic;
use thiserror::Error;

/// A domain string that failed validation.
#[derive(Debug, Error, Diagnostic, Clone, PartialEq, Eq)]
pub enum TypesError {
    #[error("invalid package name {name:?}: {reason}")]
    #[diagnostic(
        code(ERR_LADE_INVALID_PACKAGE_NAME),
        help("package names are npm names: lowercase, optionally @scope/name, no path segments")
    )]
    InvalidPackageName { name: String, reason: &'static str },

    #[error("invalid version {version:?}: {reason}")]
    #[diagnostic(
        code(ERR_LADE_INVALID_VERSION),
        help("versions come from the lockfile or registry")
    )]
    InvalidVersion { version: String, reason: &'static str },

    #[error("invalid integrity {integrity:?}: {reason}")]
    #[diagnostic(
        code(ERR_LADE_INVALID_INTEGRITY),
        help("integrity must be an SRI string such as sha512-<base64> or a hex sha1 shasum")
    )]
    InvalidIntegrity { integrity: String, reason: &'static str },

    #[error("invalid dependency path {dep_path:?}: {reason}")]
    #[diagnostic(
        code(ERR_LADE_INVALID_DEP_PATH),
        help("dependency paths look like name@version or name@version(peer@version)")
    )]
    InvalidDepPath { dep_path: String, reason: &'static str },
}
