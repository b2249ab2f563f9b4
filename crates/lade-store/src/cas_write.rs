//! Writing file contents into `files/`. Content goes to a private temporary file first and is
//! renamed to its content address without replacing anything there, so a crash never leaves a
//! partial file under a final name. A file already at that address is reused once its bytes are
//! confirmed equal; otherwise (a torn write by some earlier process) it is replaced.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use sha2::{Digest, Sha512};

use crate::link_strategy::{create_new_file, rename_no_replace};
use crate::{FileDigest, FileInfo, StoreDir, StoreError};

const COPY_BUFFER: usize = 128 * 1024;

impl StoreDir {
    /// Stores `content` and returns its description, with `mode` 0o755 or 0o644 and `checked_at`
    /// now. pnpm gives the executable copy of a content its own `-exec` file.
    pub fn write_file(&self, content: &[u8], executable: bool) -> Result<FileInfo, StoreError> {
        let digest = FileDigest::of(content);
        let final_path = self.shards().path(&digest, executable);
        let dir = self
            .shards()
            .ensure(digest.shard())
            .map_err(|error| StoreError::io("create directory", final_path.clone(), error))?;
        let (temp, mut file) = TempFile::create(&dir, executable)?;
        file.write_all(content)
            .map_err(|error| StoreError::io("write file", temp.path.clone(), error))?;
        drop(file);
        temp.commit(&final_path, |existing| same_bytes(existing, content))?;
        Ok(described(digest, executable, content.len() as u64))
    }

    /// Streams a file of `expected_size` bytes into the store without holding it in memory.
    /// A reader that ends early or runs long stores nothing.
    pub(crate) fn write_file_from_reader(
        &self,
        reader: &mut dyn Read,
        executable: bool,
        expected_size: u64,
    ) -> Result<FileInfo, StreamError> {
        let temp_dir = self.root().join("tmp");
        fs_err::create_dir_all(&temp_dir)
            .map_err(|error| StoreError::io("create directory", temp_dir.clone(), error))?;
        let (temp, mut file) = TempFile::create(&temp_dir, executable)?;
        let mut hasher = Sha512::new();
        let mut size = 0u64;
        let mut buffer = vec![0u8; COPY_BUFFER];
        loop {
            let n = match reader.read(&mut buffer) {
                Ok(0) => break,
                Ok(n) => n,
                Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
                Err(error) => return Err(StreamError::Read(error)),
            };
            hasher.update(&buffer[..n]);
            file.write_all(&buffer[..n])
                .map_err(|error| StoreError::io("write file", temp.path.clone(), error))?;
            size += n as u64;
        }
        drop(file);
        if size != expected_size {
            return Err(StreamError::SizeMismatch);
        }
        let digest = FileDigest::from_hasher(hasher);
        let final_path = self.shards().path(&digest, executable);
        self.shards()
            .ensure(digest.shard())
            .map_err(|error| StoreError::io("create directory", final_path.clone(), error))?;
        let temp_path = temp.path.clone();
        temp.commit(&final_path, |existing| same_file_bytes(existing, &temp_path))?;
        Ok(described(digest, executable, size))
    }
}

/// Why streaming a file into the store failed.
#[derive(Debug)]
pub(crate) enum StreamError {
    /// The source failed; the caller knows what it was reading.
    Read(io::Error),
    /// The source gave a different number of bytes than announced.
    SizeMismatch,
    Store(StoreError),
}

impl From<StoreError> for StreamError {
    fn from(error: StoreError) -> Self {
        StreamError::Store(error)
    }
}

fn described(digest: FileDigest, executable: bool, size: u64) -> FileInfo {
    let mode = if executable { 0o755 } else { 0o644 };
    FileInfo { digest, mode, size, checked_at: Some(now_ms()) }
}

/// Unix milliseconds, whole like JavaScript's `Date.now()`.
pub(crate) fn now_ms() -> f64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0.0, |since| since.as_millis() as f64)
}

/// The process id, asked of the kernel once: temporary names need it for every file and package.
pub(crate) fn process_id() -> u32 {
    static ID: OnceLock<u32> = OnceLock::new();
    *ID.get_or_init(std::process::id)
}

/// A uniquely named file, removed when dropped unless it was committed to its address.
struct TempFile {
    path: PathBuf,
    committed: bool,
}

impl TempFile {
    /// Names carry the process id and a counter; a leftover from a crashed process that had the
    /// same id is skipped over.
    fn create(dir: &Path, executable: bool) -> Result<(Self, File), StoreError> {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let pid = process_id();
        loop {
            let path = dir.join(format!("tmp-{pid}-{}", COUNTER.fetch_add(1, Ordering::Relaxed)));
            match create_new_file(&path, executable) {
                Ok(file) => return Ok((TempFile { path, committed: false }, file)),
                Err(error) if error.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(error) => return Err(StoreError::io("create file", path, error)),
            }
        }
    }

    /// Moves the written and closed file to `final_path` without replacing it; `matches` decides whether a
    /// file already there holds the same bytes, and a file that does not is replaced.
    fn commit(
        mut self,
        final_path: &Path,
        matches: impl FnOnce(&Path) -> bool,
    ) -> Result<(), StoreError> {
        let result = match rename_no_replace(&self.path, final_path) {
            Ok(()) => Ok(()),
            Err(error) if error.kind() == io::ErrorKind::AlreadyExists => {
                if matches(final_path) {
                    return Ok(());
                }
                std::fs::rename(&self.path, final_path)
            }
            Err(error) => Err(error),
        };
        self.committed = result.is_ok();
        result.map_err(|error| StoreError::io("rename file", final_path, error))
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// Whether the regular file at `path` holds exactly `content`.
fn same_bytes(path: &Path, content: &[u8]) -> bool {
    let Ok(file) = open_regular(path, content.len() as u64) else { return false };
    let mut reader = BufReader::with_capacity(COPY_BUFFER, file);
    let mut rest = content;
    loop {
        let Ok(chunk) = reader.fill_buf() else { return false };
        if chunk.is_empty() {
            return rest.is_empty();
        }
        let n = chunk.len().min(rest.len());
        if n == 0 || chunk[..n] != rest[..n] {
            return false;
        }
        rest = &rest[n..];
        reader.consume(n);
    }
}

fn same_file_bytes(path: &Path, other: &Path) -> bool {
    let Ok(other_meta) = std::fs::metadata(other) else { return false };
    let (Ok(left), Ok(right)) = (open_regular(path, other_meta.len()), File::open(other)) else {
        return false;
    };
    let mut left = BufReader::with_capacity(COPY_BUFFER, left);
    let mut right = BufReader::with_capacity(COPY_BUFFER, right);
    loop {
        let (Ok(a), Ok(b)) = (left.fill_buf(), right.fill_buf()) else { return false };
        if a.is_empty() || b.is_empty() {
            return a.is_empty() && b.is_empty();
        }
        let n = a.len().min(b.len());
        if a[..n] != b[..n] {
            return false;
        }
        left.consume(n);
        right.consume(n);
    }
}

/// Opens `path` if it is a regular file (not a symlink) of `size` bytes.
fn open_regular(path: &Path, size: u64) -> io::Result<File> {
    let metadata = std::fs::symlink_metadata(path)?;
    if !metadata.is_file() || metadata.len() != size {
        return Err(io::Error::new(io::ErrorKind::InvalidData, "not the expected file"));
    }
    File::open(path)
}

#[cfg(all(test, unix))]
mod tests;
