use std::path::PathBuf;

use miette::Diagnostic;
use thiserror::Error;

/// Everything that can go wrong while laying out `node_modules`.
#[derive(Debug, Error, Diagnostic)]
pub enum LinkerError {
    #[error("could not create the symlink {link} -> {target}")]
    #[diagnostic(
        code(ERR_LADE_SYMLINK),
        help("check that the parent directory is writable and not occupied by a file")
    )]
    Symlink {
        link: PathBuf,
        target: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("symlink {link} would point at itself")]
    #[diagnostic(
        code(ERR_LADE_SYMLINK_TO_ITSELF),
        help(
            "a package cannot be linked onto its own location; check the lockfile for a self-referencing link: dependency"
        )
    )]
    SymlinkToItself { link: PathBuf },

    #[error("could not write the command shim {path}")]
    #[diagnostic(code(ERR_LADE_BIN_SHIM), help("check that node_modules/.bin is writable"))]
    WriteShim {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("could not prepare the executable {path}")]
    #[diagnostic(
        code(ERR_LADE_BIN_TARGET),
        help(
            "the package's bin file must be readable and its directory writable; reinstall the package"
        )
    )]
    FixBin {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("could not list the packages in {path}")]
    #[diagnostic(
        code(ERR_LADE_READ_MODULES_DIR),
        help("check that the node_modules directory is readable")
    )]
    ReadModulesDir {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("could not read {path}")]
    #[diagnostic(
        code(ERR_LADE_MODULES_YAML_READ),
        help("remove node_modules/.modules.yaml and install again")
    )]
    ReadModulesYaml {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("{path} is not a valid modules manifest")]
    #[diagnostic(
        code(ERR_LADE_MODULES_YAML_PARSE),
        help("remove node_modules/.modules.yaml and install again")
    )]
    ParseModulesYaml {
        path: PathBuf,
        #[source]
        source: serde_yaml_ng::Error,
    },

    #[error("could not write {path}")]
    #[diagnostic(code(ERR_LADE_MODULES_YAML_WRITE), help("check that node_modules is writable"))]
    WriteModulesYaml {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error(
        "{dep_path} has the version {version:?}, which would place it outside the global virtual store"
    )]
    #[diagnostic(
        code(ERR_PNPM_INVALID_DEPENDENCY_NAME),
        help("the lockfile names a version with a `..` path segment; regenerate pnpm-lock.yaml")
    )]
    UnsafeSlotVersion { dep_path: String, version: String },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_stable() {
        let io = || std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        let path = PathBuf::from("/p/node_modules");
        let yaml = serde_yaml_ng::from_str::<u32>("[").unwrap_err();
        let cases = [
            (
                LinkerError::Symlink { link: path.clone(), target: path.clone(), source: io() },
                "ERR_LADE_SYMLINK",
            ),
            (LinkerError::SymlinkToItself { link: path.clone() }, "ERR_LADE_SYMLINK_TO_ITSELF"),
            (LinkerError::WriteShim { path: path.clone(), source: io() }, "ERR_LADE_BIN_SHIM"),
            (LinkerError::FixBin { path: path.clone(), source: io() }, "ERR_LADE_BIN_TARGET"),
            (
                LinkerError::ReadModulesDir { path: path.clone(), source: io() },
                "ERR_LADE_READ_MODULES_DIR",
            ),
            (
                LinkerError::ReadModulesYaml { path: path.clone(), source: io() },
                "ERR_LADE_MODULES_YAML_READ",
            ),
            (
                LinkerError::ParseModulesYaml { path: path.clone(), source: yaml },
                "ERR_LADE_MODULES_YAML_PARSE",
            ),
            (
                LinkerError::WriteModulesYaml { path: path.clone(), source: io() },
                "ERR_LADE_MODULES_YAML_WRITE",
            ),
            (
                LinkerError::UnsafeSlotVersion {
                    dep_path: "a@../../p/node_modules".to_owned(),
                    version: "../../p/node_modules".to_owned(),
                },
                "ERR_PNPM_INVALID_DEPENDENCY_NAME",
            ),
        ];
        for (error, code) in cases {
            assert_eq!(error.code().map(|c| c.to_string()).as_deref(), Some(code));
            assert!(error.to_string().contains("/p/node_modules"), "{error}");
        }
    }
}
