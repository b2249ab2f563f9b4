use std::io::{self, Read, Write};

use flate2::Compression;
use flate2::write::GzEncoder;
use tar::{EntryType, Header};

/// The mtime npm writes into every packed entry (1985-10-26T08:15:00Z), so built tarballs are
/// byte-for-byte reproducible.
const NPM_MTIME: u64 = 499_162_500;

/// Builds a gzip-compressed ustar archive from raw entries.
///
/// Paths and link targets are written verbatim, without the validation the `tar` crate applies,
/// so tests can build hostile archives: `../` escapes, absolute paths, symlinks out of the
/// package, hard links, and decompression bombs. Paths longer than the ustar fields get a PAX
/// extended header, as npm's own packer writes them.
#[derive(Clone, Debug, Default)]
pub struct TarballBuilder {
    entries: Vec<TarEntry>,
}

#[derive(Clone, Debug)]
struct TarEntry {
    path: Vec<u8>,
    kind: EntryKind,
}

#[derive(Clone, Debug)]
enum EntryKind {
    File { contents: Vec<u8>, mode: u32 },
    Zeros { len: u64 },
    Directory,
    Symlink { target: Vec<u8> },
    Hardlink { target: Vec<u8> },
}

impl TarballBuilder {
    pub fn new() -> Self {
        TarballBuilder::default()
    }

    /// A regular file with mode 0644.
    pub fn file(self, path: impl AsRef<[u8]>, contents: impl Into<Vec<u8>>) -> Self {
        self.file_with_mode(path, contents, 0o644)
    }

    /// A regular file with mode 0755.
    pub fn executable_file(self, path: impl AsRef<[u8]>, contents: impl Into<Vec<u8>>) -> Self {
        self.file_with_mode(path, contents, 0o755)
    }

    pub fn file_with_mode(
        self,
        path: impl AsRef<[u8]>,
        contents: impl Into<Vec<u8>>,
        mode: u32,
    ) -> Self {
        self.push(path, EntryKind::File { contents: contents.into(), mode })
    }

    /// A file of `len` zero bytes, streamed into the archive: a few kilobytes of gzip that
    /// expand to `len` bytes (a decompression bomb when `len` is large).
    pub fn zeros(self, path: impl AsRef<[u8]>, len: u64) -> Self {
        self.push(path, EntryKind::Zeros { len })
    }

    pub fn directory(self, path: impl AsRef<[u8]>) -> Self {
        self.push(path, EntryKind::Directory)
    }

    pub fn symlink(self, path: impl AsRef<[u8]>, target: impl AsRef<[u8]>) -> Self {
        self.push(path, EntryKind::Symlink { target: target.as_ref().to_vec() })
    }

    pub fn hardlink(self, path: impl AsRef<[u8]>, target: impl AsRef<[u8]>) -> Self {
        self.push(path, EntryKind::Hardlink { target: target.as_ref().to_vec() })
    }

    fn push(mut self, path: impl AsRef<[u8]>, kind: EntryKind) -> Self {
        self.entries.push(TarEntry { path: path.as_ref().to_vec(), kind });
        self
    }

    pub(crate) fn has_path(&self, path: &[u8]) -> bool {
        self.entries.iter().any(|entry| entry.path == path)
    }

    /// The `.tgz` bytes.
    pub fn build(&self) -> Vec<u8> {
        self.try_build().unwrap_or_else(|error| unreachable!("writing to memory failed: {error}"))
    }

    fn try_build(&self) -> io::Result<Vec<u8>> {
        let mut archive = tar::Builder::new(GzEncoder::new(Vec::new(), Compression::default()));
        for entry in &self.entries {
            append_entry(&mut archive, entry)?;
        }
        archive.into_inner()?.finish()
    }
}

fn append_entry<W: Write>(archive: &mut tar::Builder<W>, entry: &TarEntry) -> io::Result<()> {
    let mut header = Header::new_ustar();
    header.set_mtime(NPM_MTIME);
    let mut pax = Vec::new();
    set_field(&mut header.as_old_mut().name, &entry.path, "path", &mut pax);
    let (size, data): (u64, Box<dyn Read + '_>) = match &entry.kind {
        EntryKind::File { contents, mode } => {
            header.set_entry_type(EntryType::Regular);
            header.set_mode(*mode);
            (contents.len() as u64, Box::new(contents.as_slice()))
        }
        EntryKind::Zeros { len } => {
            header.set_entry_type(EntryType::Regular);
            header.set_mode(0o644);
            (*len, Box::new(io::repeat(0).take(*len)))
        }
        EntryKind::Directory => {
            header.set_entry_type(EntryType::Directory);
            header.set_mode(0o755);
            (0, Box::new(io::empty()))
        }
        EntryKind::Symlink { target } | EntryKind::Hardlink { target } => {
            let kind = if matches!(entry.kind, EntryKind::Symlink { .. }) {
                EntryType::Symlink
            } else {
                EntryType::Link
            };
            header.set_entry_type(kind);
            header.set_mode(0o777);
            set_field(&mut header.as_old_mut().linkname, target, "linkpath", &mut pax);
            (0, Box::new(io::empty()))
        }
    };
    if !pax.is_empty() {
        let mut pax_header = Header::new_ustar();
        pax_header.set_entry_type(EntryType::XHeader);
        pax_header.set_mode(0o644);
        pax_header.set_mtime(NPM_MTIME);
        pax_header.set_size(pax.len() as u64);
        pax_header.set_cksum();
        archive.append(&pax_header, pax.as_slice())?;
    }
    header.set_size(size);
    header.set_cksum();
    archive.append(&header, data)
}

/// Writes `value` into a fixed-size header field, or, when it does not fit, a truncated copy
/// there plus a PAX record carrying the full value.
fn set_field(field: &mut [u8], value: &[u8], pax_key: &str, pax: &mut Vec<u8>) {
    let fits = value.len() <= field.len();
    let shown = if fits { value } else { &value[..field.len()] };
    field[..shown.len()].copy_from_slice(shown);
    if !fits {
        pax.extend_from_slice(&pax_record(pax_key, value));
    }
}

/// A PAX record is `<length> <key>=<value>\n`, where the length counts its own digits.
fn pax_record(key: &str, value: &[u8]) -> Vec<u8> {
    let body_len = 1 + key.len() + 1 + value.len() + 1;
    let mut len = body_len + 1;
    while len != body_len + len.to_string().len() {
        len = body_len + len.to_string().len();
    }
    let mut record = format!("{len} {key}=").into_bytes();
    record.extend_from_slice(value);
    record.push(b'\n');
    record
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::read::GzDecoder;

    fn read_entries(tgz: &[u8]) -> Vec<(Vec<u8>, EntryType, Vec<u8>)> {
        let mut archive = tar::Archive::new(GzDecoder::new(tgz));
        let mut out = Vec::new();
        for entry in archive.entries().unwrap() {
            let mut entry = entry.unwrap();
            let path = entry.path_bytes().into_owned();
            let kind = entry.header().entry_type();
            let mut contents = Vec::new();
            entry.read_to_end(&mut contents).unwrap();
            out.push((path, kind, contents));
        }
        out
    }

    #[test]
    fn writes_hostile_entries_verbatim() {
        let tgz = TarballBuilder::new()
            .file("package/../../escape.txt", "x")
            .symlink("package/link", "../../../etc/passwd")
            .hardlink("package/hard", "/etc/shadow")
            .executable_file("package/bin.js", "#!/usr/bin/env node")
            .build();
        let entries = read_entries(&tgz);
        assert_eq!(entries[0].0, b"package/../../escape.txt");
        assert_eq!(entries[1].1, EntryType::Symlink);
        assert_eq!(entries[2].1, EntryType::Link);
        assert_eq!(entries[3].2, b"#!/usr/bin/env node");
        let mut archive = tar::Archive::new(GzDecoder::new(tgz.as_slice()));
        let link = archive.entries().unwrap().nth(1).unwrap().unwrap();
        assert_eq!(link.link_name_bytes().unwrap().as_ref(), b"../../../etc/passwd");
    }

    #[test]
    fn long_paths_use_pax_headers() {
        let long = format!("package/{}/index.js", "d".repeat(150));
        let entries = read_entries(&TarballBuilder::new().file(&long, "1").build());
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].0, long.as_bytes());
    }

    #[test]
    fn zeros_compress_to_a_bomb() {
        let tgz = TarballBuilder::new().zeros("package/bomb", 64 * 1024 * 1024).build();
        assert!(tgz.len() < 256 * 1024, "compressed to {} bytes", tgz.len());
        assert_eq!(read_entries(&tgz)[0].2.len(), 64 * 1024 * 1024);
    }

    #[test]
    fn builds_are_reproducible() {
        let build = || TarballBuilder::new().file("package/a", "a").build();
        assert_eq!(build(), build());
    }

    #[test]
    fn pax_record_length_counts_itself() {
        let record = pax_record("path", &[b'x'; 95]);
        let (len, _) = std::str::from_utf8(&record).unwrap().split_once(' ').unwrap();
        assert_eq!(len.parse::<usize>().unwrap(), record.len());
    }
}
