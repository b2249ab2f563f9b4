//! Writing shims into a `.bin` directory and preparing their targets
//! (pkg-manager/link-bins `_linkBins`/`linkBin`, bin-links `fixBin`).

use std::borrow::Cow;
use std::fs::{File, OpenOptions};
use std::io::{ErrorKind, Read, Write};
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering as AtomicOrdering};

use super::shim::{ScriptRuntime, node_path, sh_shim};
use super::{BinName, Command, resolve_conflicts};
use crate::LinkerError;
use crate::js_compat::is_js_whitespace;
use crate::symlink::symlink_target;

/// The mode pnpm gives both the shim and its target (`fixBin(path, 0o755)`, cmd-shim's chmod).
const EXECUTABLE: u32 = 0o755;

/// How far `fixBin` looks for a CRLF shebang line.
const SHEBANG_PROBE: usize = 2048;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BinOutcome {
    Linked(BinName),
    /// The command's file is missing or is a directory; pnpm warns and links nothing.
    TargetMissing(BinName),
}

/// Links `commands` into `bins_dir` after resolving name conflicts, creating the directory only
/// when there is something to link. Each target is made executable (0755) and a Windows line
/// ending on its shebang line is removed; each shim is (re)written with mode 0755.
pub fn link_bins(
    bins_dir: &Path,
    commands: Vec<Command>,
    extra_node_paths: &[PathBuf],
) -> Result<Vec<BinOutcome>, LinkerError> {
    link_bins_staged(bins_dir, commands, extra_node_paths, &|path| Cow::Borrowed(path))
}

/// Where a path of the finished install is on disk while it is still being built.
pub type StagedPath<'a> = dyn for<'p> Fn(&'p Path) -> Cow<'p, Path> + Sync + 'a;

/// [`link_bins`] into a directory that is still being built under another name, possibly with
/// its targets: the shims' text is computed for where everything will be (`bins_dir` and the
/// commands' paths), while files are read and written where `staged` says they are now.
pub fn link_bins_staged(
    bins_dir: &Path,
    commands: Vec<Command>,
    extra_node_paths: &[PathBuf],
    staged: &StagedPath<'_>,
) -> Result<Vec<BinOutcome>, LinkerError> {
    let commands = resolve_conflicts(commands);
    if commands.is_empty() {
        return Ok(Vec::new());
    }
    let staged_dir = staged(bins_dir);
    std::fs::create_dir_all(&staged_dir)
        .map_err(|source| LinkerError::WriteShim { path: staged_dir.to_path_buf(), source })?;
    commands.iter().map(|command| link_bin(bins_dir, command, extra_node_paths, staged)).collect()
}

fn link_bin(
    bins_dir: &Path,
    command: &Command,
    extra_node_paths: &[PathBuf],
    staged: &StagedPath<'_>,
) -> Result<BinOutcome, LinkerError> {
    let target = staged(&command.path);
    let Some(head) = read_head(&target)? else {
        return Ok(BinOutcome::TargetMissing(command.name.clone()));
    };
    let runtime = ScriptRuntime::detect(&head.text(), &command.path);
    let shim_path = bins_dir.join(command.name.as_str());
    let relative = symlink_target(&shim_path, &command.path);
    let text = sh_shim(&runtime, &relative, &node_path(&command.real_path, extra_node_paths));
    write_shim(&staged(&shim_path), text.as_bytes())?;
    fix_bin(&target, &head)?;
    Ok(BinOutcome::Linked(command.name.clone()))
}

/// The start of a target: at least the first 2048 bytes, and enough to hold the first
/// non-blank line.
struct Head {
    bytes: Vec<u8>,
    whole_file: bool,
}

impl Head {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes).into_owned()
    }
}

fn read_head(path: &Path) -> Result<Option<Head>, LinkerError> {
    let error = |source| LinkerError::FixBin { path: path.to_owned(), source };
    let mut file = match File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == ErrorKind::NotFound || e.raw_os_error() == Some(libc::ENOTDIR) => {
            return Ok(None);
        }
        Err(e) => return Err(error(e)),
    };
    let mut bytes = Vec::with_capacity(4096);
    let mut chunk = [0u8; 4096];
    loop {
        let read = match file.read(&mut chunk) {
            Ok(read) => read,
            Err(e) if e.raw_os_error() == Some(libc::EISDIR) => return Ok(None),
            Err(e) => return Err(error(e)),
        };
        if read == 0 {
            return Ok(Some(Head { bytes, whole_file: true }));
        }
        bytes.extend_from_slice(&chunk[..read]);
        if bytes.len() >= SHEBANG_PROBE && first_line_is_complete(&bytes) {
            return Ok(Some(Head { bytes, whole_file: false }));
        }
    }
}

/// A newline follows the first character `trim()` keeps, so the first line is complete.
fn first_line_is_complete(bytes: &[u8]) -> bool {
    String::from_utf8_lossy(bytes).trim_start_matches(is_js_whitespace).contains('\n')
}

/// Replaces the shim without following a symlink that may sit at its name.
fn write_shim(path: &Path, text: &[u8]) -> Result<(), LinkerError> {
    let error = |source| LinkerError::WriteShim { path: path.to_owned(), source };
    let open = || {
        OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(EXECUTABLE)
            .custom_flags(libc::O_NOFOLLOW)
            .open(path)
    };
    let mut file = match open() {
        Err(e) if e.raw_os_error() == Some(libc::ELOOP) => {
            std::fs::remove_file(path).map_err(error)?;
            open().map_err(error)?
        }
        other => other.map_err(error)?,
    };
    file.write_all(text).map_err(error)?;
    file.set_permissions(std::fs::Permissions::from_mode(EXECUTABLE)).map_err(error)
}

/// bin-links' `fixBin`: mode 0755, and a `#!…\r\n` first line loses its `\r` (written to a new
/// file renamed over the old one, so a store file hard-linked here keeps its bytes).
fn fix_bin(path: &Path, head: &Head) -> Result<(), LinkerError> {
    let error = |source| LinkerError::FixBin { path: path.to_owned(), source };
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(EXECUTABLE)).map_err(error)?;
    let probe = &head.bytes[..head.bytes.len().min(SHEBANG_PROBE)];
    if crlf_shebang(probe).is_none() {
        return Ok(());
    }
    let mut content =
        if head.whole_file { head.bytes.clone() } else { std::fs::read(path).map_err(error)? };
    // Another `.bin` may have fixed the file since `head` was read: look again.
    let Some(carriage_return) = crlf_shebang(&content[..content.len().min(SHEBANG_PROBE)]) else {
        return Ok(());
    };
    content.remove(carriage_return);
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let temporary = path.with_file_name(format!(
        ".{}.lade-{}-{}",
        path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default(),
        std::process::id(),
        COUNTER.fetch_add(1, AtomicOrdering::Relaxed)
    ));
    let write = || -> std::io::Result<()> {
        let mut file =
            OpenOptions::new().write(true).create_new(true).mode(EXECUTABLE).open(&temporary)?;
        file.write_all(&content)?;
        file.set_permissions(std::fs::Permissions::from_mode(EXECUTABLE))?;
        std::fs::rename(&temporary, path)
    };
    write()
        .inspect_err(|_| {
            let _ = std::fs::remove_file(&temporary);
        })
        .map_err(error)
}

/// The index of the `\r` in a first line matching `^#![^\n]+\r\n`.
fn crlf_shebang(probe: &[u8]) -> Option<usize> {
    if !probe.starts_with(b"#!") {
        return None;
    }
    let newline = probe.iter().position(|&b| b == b'\n')?;
    (newline >= 4 && probe[newline - 1] == b'\r').then(|| newline - 1)
}

/// pnpm's `readModulesDir`: the package directories in a `node_modules` (scoped ones as
/// `@scope/name`), skipping files and dot entries; `None` when the directory does not exist.
pub fn list_modules_dir(modules_dir: &Path) -> Result<Option<Vec<String>>, LinkerError> {
    let error = |path: &Path, source| LinkerError::ReadModulesDir { path: path.to_owned(), source };
    let entries = match std::fs::read_dir(modules_dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(error(modules_dir, e)),
    };
    let mut names = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| error(modules_dir, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let is_file = entry.file_type().map_err(|e| error(&entry.path(), e))?.is_file();
        if is_file || name.starts_with('.') {
            continue;
        }
        if !name.starts_with('@') {
            names.push(name);
            continue;
        }
        let scope = entry.path();
        for inner in std::fs::read_dir(&scope).map_err(|e| error(&scope, e))? {
            let inner = inner.map_err(|e| error(&scope, e))?;
            let inner_name = inner.file_name().to_string_lossy().into_owned();
            if !inner.file_type().map_err(|e| error(&inner.path(), e))?.is_file()
                && !inner_name.starts_with('.')
            {
                names.push(format!("{name}/{inner_name}"));
            }
        }
    }
    names.sort();
    Ok(Some(names))
}

#[cfg(test)]
mod tests;
