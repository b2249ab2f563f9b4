//! A package tarball into the store in one streaming pass: gunzip, untar, hash and write each
//! regular file, and build the package's index row.

use std::cell::Cell;
use std::io::{self, Read};

use base64::Engine as _;
use flate2::read::GzDecoder;
use serde_json::Value;
use sha2::{Digest, Sha512};

use crate::cas_write::StreamError;
use crate::package_files::is_executable;
use crate::{FileInfo, PackageFiles, PackageFilesIndex, StoreDir, StoreError, bundled_manifest};

/// Entries up to this size are read into memory and written in one go; larger ones stream
/// through a temporary file so many concurrent extractions stay within bounded memory.
const BUFFERED_ENTRY_MAX: u64 = 8 * 1024 * 1024;

/// Bounds on what one tarball may unpack to. No published package comes near them; an archive
/// that does is a decompression bomb.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExtractOptions {
    /// Decompressed bytes of the whole tar stream, headers and padding included.
    pub max_unpacked_bytes: u64,
    /// Tar entries of any type.
    pub max_entries: u64,
    /// Also hash the decompressed tar into the row's `tarIntegrity`, as pnpm 12.21 does. Off by
    /// default: it is a second SHA-512 pass over every unpacked byte, and pnpm 12 reads and
    /// reuses rows without it (it only lets pnpm find a row for a recompressed tarball).
    pub tar_integrity: bool,
}

impl Default for ExtractOptions {
    fn default() -> Self {
        ExtractOptions { max_unpacked_bytes: 4 << 30, max_entries: 500_000, tar_integrity: false }
    }
}

/// A package freshly added to the store.
#[derive(Debug, Clone, PartialEq)]
pub struct AddedPackage {
    /// The row to record in `index.db`: files, bundled manifest, `requiresBuild`.
    pub index: PackageFilesIndex,
    /// The whole `package.json`, for callers that need fields the bundled subset drops.
    pub manifest: Option<Value>,
}

impl StoreDir {
    /// Adds a package tarball (gzipped or plain tar) whose integrity the caller has verified.
    /// Only regular files are stored; the top-level directory (`package/`) is stripped from each
    /// path, as pnpm does. Links, devices and fifos are skipped, a later entry of the same path
    /// wins, and an entry path with `..` or a leading `/` rejects the whole tarball.
    pub fn add_tarball(&self, tarball: &[u8]) -> Result<AddedPackage, StoreError> {
        self.add_tarball_with(tarball, &ExtractOptions::default())
    }

    /// [`StoreDir::add_tarball`] with explicit limits and options.
    pub fn add_tarball_with(
        &self,
        tarball: &[u8],
        options: &ExtractOptions,
    ) -> Result<AddedPackage, StoreError> {
        let failure = Cell::new(None);
        let source: Box<dyn Read + '_> = if tarball.starts_with(&[0x1f, 0x8b]) {
            Box::new(GzDecoder::new(tarball))
        } else {
            Box::new(tarball)
        };
        let hasher = options.tar_integrity.then(Sha512::new);
        let stream = Guarded { inner: source, read: 0, options, hasher, failure: &failure };
        let classify = |error: io::Error| classify(&failure, error);
        let mut archive = tar::Archive::new(stream);
        let mut files = PackageFiles::new();
        let mut manifest = None;
        let mut buffer = Vec::new();
        let mut count = 0u64;
        let mut declared = 0u64;
        for entry in archive.entries().map_err(classify)? {
            let mut entry = entry.map_err(classify)?;
            count += 1;
            if count > options.max_entries {
                return Err(too_large(format!("more than {} entries", options.max_entries)));
            }
            if !entry.header().entry_type().is_file() {
                continue;
            }
            let raw_path = entry.path().map_err(classify)?.to_string_lossy().into_owned();
            let path = package_relative_path(&raw_path)?;
            let mode = entry.header().mode().map_err(classify)?;
            let size = entry.size();
            // Declared sizes count against the limit before any byte is inflated, so a bomb
            // that admits its size costs nothing to refuse.
            declared = declared.saturating_add(size);
            if declared > options.max_unpacked_bytes {
                let limit = options.max_unpacked_bytes;
                return Err(too_large(format!("more than {limit} unpacked bytes")));
            }
            let info = if size <= BUFFERED_ENTRY_MAX {
                read_entry(&mut entry, size, &mut buffer, &path).map_err(|error| match error {
                    EntryError::Io(error) => classify(error),
                    EntryError::Store(error) => error,
                })?;
                if path == "package.json" {
                    manifest = bundled_manifest::parse(&buffer);
                }
                self.write_file(&buffer, is_executable(mode))?
            } else if path == "package.json" {
                return Err(StoreError::ManifestTooLarge { size, limit: BUFFERED_ENTRY_MAX });
            } else {
                self.write_file_from_reader(&mut entry, is_executable(mode), size).map_err(
                    |error| match error {
                        StreamError::Read(error) => classify(error),
                        StreamError::SizeMismatch => incomplete(&path, size),
                        StreamError::Store(error) => error,
                    },
                )?
            };
            files.insert(path, FileInfo { mode, ..info });
        }
        if count == 0 {
            return Err(StoreError::TarballTar {
                source: io::Error::other("the archive is empty"),
            });
        }
        let mut rest = archive.into_inner();
        // Reading to the end checks the gzip trailer (CRC and length) past the tar's end marker.
        io::copy(&mut rest, &mut io::sink()).map_err(classify)?;
        let tar_integrity = rest.hasher.take().map(|hasher| {
            let digest = hasher.finalize();
            format!("sha512-{}", base64::engine::general_purpose::STANDARD.encode(digest))
        });
        let bundled = manifest.as_ref().and_then(bundled_manifest::bundled);
        let requires_build = bundled_manifest::requires_build(bundled.as_ref(), &files);
        let index = PackageFilesIndex {
            manifest: bundled,
            requires_build: Some(requires_build),
            files,
            side_effects: None,
            tar_integrity,
        };
        Ok(AddedPackage { index, manifest })
    }
}

enum EntryError {
    Io(io::Error),
    Store(StoreError),
}

fn read_entry(
    entry: &mut impl Read,
    size: u64,
    buffer: &mut Vec<u8>,
    path: &str,
) -> Result<(), EntryError> {
    buffer.clear();
    // `size` is at most BUFFERED_ENTRY_MAX, so a lying header cannot force a huge allocation.
    buffer.reserve(size as usize);
    entry.read_to_end(buffer).map_err(EntryError::Io)?;
    if buffer.len() as u64 != size {
        return Err(EntryError::Store(incomplete(path, size)));
    }
    Ok(())
}

fn incomplete(path: &str, declared: u64) -> StoreError {
    StoreError::TarballIncomplete { entry: path.to_owned(), declared }
}

fn too_large(limit: String) -> StoreError {
    StoreError::TarballTooLarge { limit }
}

/// What went wrong underneath the tar reader, which only sees an `io::Error`.
#[derive(Debug, Clone, Copy)]
enum Failure {
    Decompression,
    TooLarge(u64),
}

fn classify(failure: &Cell<Option<Failure>>, error: io::Error) -> StoreError {
    match failure.get() {
        Some(Failure::TooLarge(max)) => too_large(format!("more than {max} unpacked bytes")),
        Some(Failure::Decompression) => StoreError::TarballGzip { source: error },
        None => StoreError::TarballTar { source: error },
    }
}

/// The decompressed stream, counted against the limit and optionally hashed.
struct Guarded<'a, R> {
    inner: R,
    read: u64,
    options: &'a ExtractOptions,
    hasher: Option<Sha512>,
    failure: &'a Cell<Option<Failure>>,
}

impl<R: Read> Read for Guarded<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf).inspect_err(|error| {
            if error.kind() != io::ErrorKind::Interrupted {
                self.failure.set(Some(Failure::Decompression));
            }
        })?;
        self.read += n as u64;
        if self.read > self.options.max_unpacked_bytes {
            self.failure.set(Some(Failure::TooLarge(self.options.max_unpacked_bytes)));
            return Err(io::Error::other("the tarball unpacks past its limit"));
        }
        if let Some(hasher) = &mut self.hasher {
            hasher.update(&buf[..n]);
        }
        Ok(n)
    }
}

/// The entry's path inside the package: `\` read as `/`, empty and `.` segments dropped, and the
/// top-level directory removed. `..` anywhere or a leading `/` is refused, like pnpm 12 does.
pub(crate) fn package_relative_path(raw: &str) -> Result<String, StoreError> {
    let normalized = raw.replace('\\', "/");
    if normalized.starts_with('/') {
        return Err(StoreError::PathTraversal { entry: raw.to_owned() });
    }
    let kept: Vec<&str> =
        normalized.split('/').filter(|segment| !segment.is_empty() && *segment != ".").collect();
    if kept.contains(&"..") {
        return Err(StoreError::PathTraversal { entry: raw.to_owned() });
    }
    if kept.len() < 2 {
        return Err(StoreError::EntryOutsidePackageDir { entry: raw.to_owned() });
    }
    Ok(kept[1..].join("/"))
}

#[cfg(test)]
mod tests;
