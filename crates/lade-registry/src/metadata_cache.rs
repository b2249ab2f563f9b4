use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use lade_types::PkgName;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use url::Url;

use crate::PackumentKind;

/// The on-disk packument cache, in pnpm 11's layout: `<cache
/// dir>/v11/metadata[-full]/<host[+port]>/<name>.jsonl`, each file a line of validators
/// (`{"etag":…,"modified":…}`) followed by the document trimmed to the fields lade reads.
#[derive(Clone, Debug)]
pub struct MetadataCache {
    cache_dir: PathBuf,
    prefer_offline: bool,
    fresh_after: Option<SystemTime>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct CacheHeaders {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified: Option<String>,
}

/// A cache entry's file with the offset of its document (not copied out of the file's bytes).
pub(crate) struct CachedBody {
    bytes: Vec<u8>,
    start: usize,
}

impl CachedBody {
    pub(crate) fn into_parts(self) -> (Vec<u8>, usize) {
        (self.bytes, self.start)
    }
}

/// Validators longer than this are not worth a conditional request.
const MAX_HEADER_LINE: u64 = 8 * 1024;

impl MetadataCache {
    pub fn new(cache_dir: impl Into<PathBuf>) -> Self {
        MetadataCache { cache_dir: cache_dir.into(), prefer_offline: false, fresh_after: None }
    }

    /// `--prefer-offline`: serve a cached document without asking the registry whether it is
    /// still current; only documents missing from the cache are requested.
    pub fn prefer_offline(mut self, prefer: bool) -> Self {
        self.prefer_offline = prefer;
        self
    }

    /// With `minimumReleaseAge`, versions published after `cutoff` are not picked anyway, so an
    /// entry written after it is used without revalidation (pnpm's publishedBy shortcut).
    pub fn fresh_after(mut self, cutoff: SystemTime) -> Self {
        self.fresh_after = Some(cutoff);
        self
    }

    /// The same cache, revalidating every entry it serves (for a document found stale).
    pub fn revalidating(&self) -> MetadataCache {
        MetadataCache { prefer_offline: false, fresh_after: None, ..self.clone() }
    }

    /// Whether the entry at `path` may be used without asking the registry.
    pub(crate) fn serves_without_revalidation(&self, path: &Path) -> bool {
        if self.prefer_offline {
            return true;
        }
        let Some(cutoff) = self.fresh_after else { return false };
        fs_err::metadata(path).and_then(|m| m.modified()).is_ok_and(|written| written >= cutoff)
    }

    /// The file caching `name`'s document of `kind` from `registry`.
    pub fn path(&self, registry: &Url, name: &PkgName, kind: PackumentKind) -> PathBuf {
        let kind_dir = match kind {
            PackumentKind::Abbreviated => "v11/metadata",
            PackumentKind::Full => "v11/metadata-full",
        };
        let host = registry.host_str().unwrap_or("unknown-host");
        let registry_dir = match registry.port() {
            Some(port) => format!("{host}+{port}"),
            None => host.to_owned(),
        };
        self.cache_dir.join(kind_dir).join(registry_dir).join(format!("{}.jsonl", file_stem(name)))
    }

    /// The validators line, or `None` when there is no usable entry.
    pub(crate) fn read_headers(path: &Path) -> Option<CacheHeaders> {
        let file = fs_err::File::open(path).ok()?;
        let mut line = String::new();
        BufReader::new(file).take(MAX_HEADER_LINE).read_line(&mut line).ok()?;
        if !line.ends_with('\n') {
            return None;
        }
        serde_json::from_str(&line).ok()
    }

    /// The cached document (everything after the validators line).
    pub(crate) fn read_body(path: &Path) -> Option<CachedBody> {
        let bytes = fs_err::read(path).ok()?;
        let start = bytes.iter().position(|b| *b == b'\n')? + 1;
        Some(CachedBody { bytes, start })
    }

    /// Replaces the entry atomically, so a concurrent reader sees the old file or the new one.
    pub(crate) fn write(path: &Path, headers: &CacheHeaders, body: &[u8]) -> io::Result<()> {
        let dir = path.parent().ok_or_else(|| io::Error::other("cache path has no parent"))?;
        fs_err::create_dir_all(dir)?;
        let mut temp = tempfile::NamedTempFile::new_in(dir)?;
        serde_json::to_writer(&mut temp, headers)?;
        temp.write_all(b"\n")?;
        temp.write_all(body)?;
        temp.persist(path).map_err(|e| e.error)?;
        Ok(())
    }
}

/// Names with capitals get a hash suffix so case-insensitive file systems keep `Foo` and `foo`
/// apart, as pnpm does.
fn file_stem(name: &PkgName) -> String {
    let name = name.as_str();
    if name == name.to_lowercase() {
        name.to_owned()
    } else {
        format!("{name}_{}", hex::encode(Sha256::digest(name.as_bytes())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lays_out_files_like_pnpm() {
        let cache = MetadataCache::new("/cache");
        let registry = Url::parse("http://127.0.0.1:4873/").unwrap();
        let name = PkgName::parse("@s/pkg").unwrap();
        assert_eq!(
            cache.path(&registry, &name, PackumentKind::Abbreviated),
            Path::new("/cache/v11/metadata/127.0.0.1+4873/@s/pkg.jsonl")
        );
        let upper = PkgName::parse("JSONStream").unwrap();
        let path = cache.path(
            &Url::parse("https://registry.example.test/").unwrap(),
            &upper,
            PackumentKind::Full,
        );
        let file = path.file_name().unwrap().to_str().unwrap();
        assert!(path.starts_with("/cache/v11/metadata-full/registry.example.test"));
        assert!(file.starts_with("JSONStream_") && file.len() == "JSONStream_".len() + 64 + 6);
    }

    #[test]
    fn round_trips_headers_and_body() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a/b.jsonl");
        let headers = CacheHeaders { etag: Some("\"x\"".into()), modified: None };
        MetadataCache::write(&path, &headers, b"{\"name\":\"b\"}\n").unwrap();
        assert_eq!(MetadataCache::read_headers(&path), Some(headers));
        let (bytes, start) = MetadataCache::read_body(&path).unwrap().into_parts();
        assert_eq!(&bytes[start..], b"{\"name\":\"b\"}\n");
        assert_eq!(
            fs_err::read_to_string(&path).unwrap().lines().next(),
            Some("{\"etag\":\"\\\"x\\\"\"}")
        );
        assert_eq!(MetadataCache::read_headers(&dir.path().join("missing")), None);
    }
}
