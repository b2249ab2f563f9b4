//! Reading pnpm-lock.yaml: BOM and CRLF handling, pnpm 11's leading env document, the version
//! gate, and errors that name the position.

use std::borrow::Cow;
use std::path::Path;

use crate::{Lockfile, LockfileError};

const DOCUMENT_START: &str = "---\n";
const DOCUMENT_SEPARATOR: &str = "\n---\n";

/// The text split as pnpm 11's `extractMainDocument`/`extractEnvDocument` split it.
struct Documents<'a> {
    env: Option<&'a str>,
    main: &'a str,
    /// Lines before `main`, to report positions in the whole file.
    main_line_offset: usize,
}

fn split_documents(text: &str) -> Documents<'_> {
    let Some(rest) = text.strip_prefix(DOCUMENT_START) else {
        return Documents { env: None, main: text, main_line_offset: 0 };
    };
    match rest.find(DOCUMENT_SEPARATOR) {
        Some(at) => {
            let main_start = DOCUMENT_START.len() + at + DOCUMENT_SEPARATOR.len();
            let main_line_offset = text[..main_start].matches('\n').count();
            Documents { env: Some(&rest[..at]), main: &text[main_start..], main_line_offset }
        }
        // A file with only the env document has no main lockfile yet.
        None => Documents { env: Some(rest), main: "", main_line_offset: 0 },
    }
}

impl Lockfile {
    /// Reads a lockfile. A missing file, or one with no main document, is
    /// [`LockfileError::NotFound`].
    pub fn from_path(path: &Path) -> Result<Self, LockfileError> {
        match fs_err::read_to_string(path) {
            Ok(text) => Self::from_str(&text, path),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                Err(LockfileError::NotFound { path: path.to_path_buf() })
            }
            Err(source) => Err(LockfileError::Read { path: path.to_path_buf(), source }),
        }
    }

    /// Parses lockfile text; `path` only names the file in errors.
    pub fn from_str(text: &str, path: &Path) -> Result<Self, LockfileError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let text: Cow<str> = if text.contains("\r\n") {
            Cow::Owned(text.replace("\r\n", "\n"))
        } else {
            text.into()
        };
        let documents = split_documents(&text);
        if documents.main.trim().is_empty() {
            return Err(LockfileError::NotFound { path: path.to_path_buf() });
        }
        if let Some(version) = sniff_version(documents.main) {
            check_version(&version, path)?;
        }
        let fast = crate::yaml_fast::parse(documents.main)
            .and_then(|events| crate::yaml_fast::from_events::<Lockfile>(&events).ok());
        let mut lockfile = match fast {
            Some(lockfile) => lockfile,
            None => serde_yaml_ng::from_str(documents.main)
                .map_err(|err| broken(documents.main, err, documents.main_line_offset, path))?,
        };
        check_version(lockfile.lockfile_version.as_str(), path)?;
        lockfile.env_document = documents.env.map(str::to_owned);
        Ok(lockfile)
    }
}

fn check_version(version: &str, path: &Path) -> Result<(), LockfileError> {
    // Only a number such as `9.0` qualifies; text that merely starts with one does not.
    let numeric = version.trim().split('.').all(|part| part.bytes().all(|b| b.is_ascii_digit()));
    let supported = numeric
        && version.split('.').next().and_then(|major| major.trim().parse::<u64>().ok()) == Some(9);
    if supported {
        Ok(())
    } else {
        Err(LockfileError::UnsupportedVersion {
            path: path.to_path_buf(),
            version: version.to_owned(),
        })
    }
}

/// `lockfileVersion` read from its top-level line, so that an old-format lockfile is reported as
/// an unsupported version rather than as a type error somewhere in its body.
fn sniff_version(main: &str) -> Option<String> {
    let line = main.lines().find_map(|line| line.strip_prefix("lockfileVersion:"))?;
    let value = line.split(" #").next().unwrap_or_default().trim();
    Some(value.trim_matches(|c| c == '\'' || c == '"').to_owned())
}

/// Turns a parse failure into a position in the whole file; re-parses with path tracking to name
/// the field, which costs nothing on the successful path.
fn broken(main: &str, err: serde_yaml_ng::Error, line_offset: usize, path: &Path) -> LockfileError {
    let tracked = serde_path_to_error::deserialize::<_, Lockfile>(
        serde_yaml_ng::Deserializer::from_str(main),
    );
    let (err, field) = match tracked {
        Err(tracked) => {
            let field = tracked.path().to_string();
            (tracked.into_inner(), (field != ".").then_some(field))
        }
        Ok(_) => (err, None),
    };
    let (line, column) = err.location().map_or((0, 0), |at| (at.line() + line_offset, at.column()));
    let message = err.to_string();
    let message = match message.rfind(" at line ") {
        Some(at) => message[..at].to_owned(),
        None => message,
    };
    LockfileError::Broken { path: path.to_path_buf(), line, column, field, message }
}

#[cfg(test)]
pub(crate) mod tests;
