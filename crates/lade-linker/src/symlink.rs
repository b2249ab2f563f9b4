//! Directory symlinks as pnpm writes them: always relative, computed like Node's
//! `path.relative(path.dirname(link), target)` (symlink-dir 6, used by
//! fs/symlink-dependency and pkg-manager/hoist).

use std::io::ErrorKind;
use std::path::{Component, Path, PathBuf};

use crate::LinkerError;

/// What a symlink writer found and did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkOutcome {
    Created,
    /// A symlink with the same target was already there.
    Reused,
    /// A symlink to somewhere else was replaced.
    Replaced,
    /// A directory or file occupied the name; it was renamed to this `.ignored_<name>` path.
    MovedAside(PathBuf),
    /// Left alone: a directory, or a symlink pointing outside the virtual store, is there.
    KeptExisting,
}

/// The text of a symlink at `link` that points at `target`, relative to the link's directory.
/// Both paths should be absolute; `.` and `..` components are resolved lexically.
pub fn symlink_target(link: &Path, target: &Path) -> PathBuf {
    let link = normalize(link);
    let from: Vec<Component<'_>> =
        link.parent().map(|p| p.components().collect()).unwrap_or_default();
    let target = normalize(target);
    let to: Vec<Component<'_>> = target.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut relative = PathBuf::new();
    for _ in common..from.len() {
        relative.push("..");
    }
    for component in &to[common..] {
        relative.push(component.as_os_str());
    }
    relative
}

/// Lexically resolves `.` and `..`, as Node's `path.resolve` does for an absolute path.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => match out.components().next_back() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => out.push(".."),
            },
            other => out.push(other),
        }
    }
    out
}

/// `dir` is `parent` or inside it, compared lexically (is-subdir).
pub(crate) fn is_subdir(parent: &Path, dir: &Path) -> bool {
    normalize(dir).starts_with(normalize(parent))
}

/// Links `link` to the directory `target`, replacing a symlink that points elsewhere and moving a
/// directory or file that occupies the name to `.ignored_<name>`, as symlink-dir does by default.
/// The common case (nothing there yet) costs one `symlink` call.
pub fn link_dir(target: &Path, link: &Path) -> Result<LinkOutcome, LinkerError> {
    let text = checked_target(target, link)?;
    match try_create(&text, link, target)? {
        None => Ok(LinkOutcome::Created),
        Some(()) => match std::fs::read_link(link) {
            Ok(existing) if same_link_text(&existing, &text) => Ok(LinkOutcome::Reused),
            Ok(_) => {
                remove_link(link, target)?;
                create_or_fail(&text, link, target)?;
                Ok(LinkOutcome::Replaced)
            }
            Err(_) => {
                let aside = move_aside(link, target)?;
                create_or_fail(&text, link, target)?;
                Ok(LinkOutcome::MovedAside(aside))
            }
        },
    }
}

/// Links a hoisted alias (pkg-manager/hoist `symlinkHoistedDependency`): an existing directory or
/// a symlink pointing outside `virtual_store_dir` is kept; a stale symlink into the virtual store is
/// replaced.
pub fn link_hoisted(
    target: &Path,
    link: &Path,
    virtual_store_dir: &Path,
) -> Result<LinkOutcome, LinkerError> {
    let text = checked_target(target, link)?;
    if try_create(&text, link, target)?.is_none() {
        return Ok(LinkOutcome::Created);
    }
    let Ok(existing) = std::fs::read_link(link) else {
        return Ok(LinkOutcome::KeptExisting);
    };
    if same_link_text(&existing, &text) {
        return Ok(LinkOutcome::Reused);
    }
    let resolved = link.parent().map_or_else(|| existing.clone(), |dir| dir.join(&existing));
    if !is_subdir(virtual_store_dir, &resolved) {
        return Ok(LinkOutcome::KeptExisting);
    }
    remove_link(link, target)?;
    create_or_fail(&text, link, target)?;
    Ok(LinkOutcome::Replaced)
}

fn checked_target(target: &Path, link: &Path) -> Result<PathBuf, LinkerError> {
    if normalize(target) == normalize(link) {
        return Err(LinkerError::SymlinkToItself { link: link.to_owned() });
    }
    Ok(symlink_target(link, target))
}

/// Creates the symlink, making its parent directory when missing. `Some(())` means the name is
/// already taken.
fn try_create(text: &Path, link: &Path, target: &Path) -> Result<Option<()>, LinkerError> {
    let error =
        |source| LinkerError::Symlink { link: link.to_owned(), target: target.to_owned(), source };
    match create_symlink(text, link) {
        Ok(()) => Ok(None),
        Err(e) if e.kind() == ErrorKind::AlreadyExists => Ok(Some(())),
        Err(e) if e.kind() == ErrorKind::NotFound => {
            let parent = link.parent().ok_or_else(|| error(e))?;
            std::fs::create_dir_all(parent).map_err(error)?;
            match create_symlink(text, link) {
                Ok(()) => Ok(None),
                Err(e) if e.kind() == ErrorKind::AlreadyExists => Ok(Some(())),
                Err(e) => Err(error(e)),
            }
        }
        Err(e) => Err(error(e)),
    }
}

fn create_or_fail(text: &Path, link: &Path, target: &Path) -> Result<(), LinkerError> {
    create_symlink(text, link).map_err(|source| LinkerError::Symlink {
        link: link.to_owned(),
        target: target.to_owned(),
        source,
    })
}

fn remove_link(link: &Path, target: &Path) -> Result<(), LinkerError> {
    match std::fs::remove_file(link) {
        Err(e) if e.kind() != ErrorKind::NotFound => Err(LinkerError::Symlink {
            link: link.to_owned(),
            target: target.to_owned(),
            source: e,
        }),
        _ => Ok(()),
    }
}

/// Renames whatever occupies `link` to `.ignored_<name>` beside it, replacing an older one.
fn move_aside(link: &Path, target: &Path) -> Result<PathBuf, LinkerError> {
    let error =
        |source| LinkerError::Symlink { link: link.to_owned(), target: target.to_owned(), source };
    let name = link.file_name().ok_or_else(|| error(ErrorKind::InvalidInput.into()))?;
    let mut aside_name = std::ffi::OsString::from(".ignored_");
    aside_name.push(name);
    let aside = link.with_file_name(aside_name);
    if let Err(first) = std::fs::rename(link, &aside) {
        match std::fs::symlink_metadata(&aside) {
            Ok(meta) if meta.is_dir() => std::fs::remove_dir_all(&aside).map_err(error)?,
            Ok(_) => std::fs::remove_file(&aside).map_err(error)?,
            Err(_) => return Err(error(first)),
        }
        std::fs::rename(link, &aside).map_err(error)?;
    }
    Ok(aside)
}

/// Two link texts name the same place when they agree after lexical normalization
/// (`path.relative(a, b) === ""`).
fn same_link_text(a: &Path, b: &Path) -> bool {
    a == b || normalize(a) == normalize(b)
}

#[cfg(unix)]
fn create_symlink(text: &Path, link: &Path) -> std::io::Result<()> {
    std::os::unix::fs::symlink(text, link)
}

#[cfg(windows)]
fn create_symlink(text: &Path, link: &Path) -> std::io::Result<()> {
    std::os::windows::fs::symlink_dir(text, link)
}

#[cfg(all(test, unix))]
mod tests;
