use std::path::Path;

use lade_types::PkgName;
use reqwest::StatusCode;
use reqwest::header::{ACCEPT, ETAG, IF_NONE_MATCH};
use url::Url;

use super::RegistryClient;
use super::retry::Failure;
use super::target::Target;
use crate::metadata_cache::CacheHeaders;
use crate::{AuthHeader, MetadataCache, Packument, PackumentKind, RegistryError, packument_url};

/// pnpm's Accept headers: the abbreviated document preferred, the full one accepted.
const ACCEPT_ABBREVIATED: &str =
    "application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*";
const ACCEPT_FULL: &str = "application/json; q=1.0, */*";

/// A 200 answer, parsed.
struct Fresh {
    packument: Packument,
    etag: Option<String>,
}

impl RegistryClient {
    /// A package's metadata. With a cache, a stored ETag is revalidated with `If-None-Match` and
    /// a 304 is served from disk; a 200 replaces the entry. Offline, only the cache is read;
    /// preferring offline (or within the cache's freshness window), a cached entry is used as is.
    pub async fn fetch_packument(
        &self,
        registry: &Url,
        name: &PkgName,
        auth: Option<&AuthHeader>,
        kind: PackumentKind,
        cache: Option<&MetadataCache>,
    ) -> Result<Packument, RegistryError> {
        let url = packument_url(registry, name)?;
        let target = Target { url: &url, package: name.as_str(), auth };
        let cache_path = cache.map(|cache| cache.path(registry, name, kind));
        if self.offline {
            return cache_path.as_deref().and_then(read_cached).ok_or_else(|| {
                RegistryError::OfflineMetadata {
                    package: name.to_string(),
                    path: cache_path.clone(),
                }
            });
        }
        if let (Some(cache), Some(path)) = (cache, cache_path.as_deref())
            && cache.serves_without_revalidation(path)
            && let Some(cached) = read_cached(path)
        {
            let mut cached = cached;
            cached.unrevalidated = true;
            return Ok(cached);
        }
        let etag = cache_path.as_deref().and_then(MetadataCache::read_headers).and_then(|h| h.etag);
        let mut validator = etag.as_deref();
        loop {
            let answer =
                self.with_retries(|| self.fetch_packument_once(target, kind, validator)).await?;
            match answer {
                Some(fresh) => {
                    return Ok(match &cache_path {
                        Some(path) => store(path, fresh),
                        None => fresh.packument,
                    });
                }
                None if validator.is_some() => {
                    if let Some(cached) = cache_path.as_deref().and_then(read_cached) {
                        return Ok(cached);
                    }
                    // The entry vanished or rotted since its ETag was read: ask for the body.
                    validator = None;
                }
                None => {
                    return Err(RegistryError::NotModifiedWithoutCache {
                        package: name.to_string(),
                        url: target.display_url(),
                    });
                }
            }
        }
    }

    /// One request; `None` for 304 Not Modified. Broken JSON fails the attempt, so it is retried.
    async fn fetch_packument_once(
        &self,
        target: Target<'_>,
        kind: PackumentKind,
        validator: Option<&str>,
    ) -> Result<Option<Fresh>, Failure> {
        let accept = match kind {
            PackumentKind::Abbreviated => ACCEPT_ABBREVIATED,
            PackumentKind::Full => ACCEPT_FULL,
        };
        let (_permit, response) = self
            .send(target, |request| {
                let request = request.header(ACCEPT, accept);
                match validator {
                    Some(etag) => request.header(IF_NONE_MATCH, etag),
                    None => request,
                }
            })
            .await?;
        if response.status() == StatusCode::NOT_MODIFIED {
            return Ok(None);
        }
        if !response.status().is_success() {
            return Err(target.status_failure(&response));
        }
        let etag = response.headers().get(ETAG).and_then(|v| v.to_str().ok()).map(str::to_owned);
        let body = response.bytes().await.map_err(|e| target.transport_error(e, self.timeout))?;
        let packument =
            Packument::parse(body.to_vec()).map_err(|source| RegistryError::BrokenMetadata {
                package: target.package.to_owned(),
                url: target.display_url(),
                source,
            })?;
        Ok(Some(Fresh { packument, etag }))
    }
}

/// A cache entry that cannot be read or parsed counts as absent.
fn read_cached(path: &Path) -> Option<Packument> {
    let (bytes, start) = MetadataCache::read_body(path)?.into_parts();
    Packument::parse_from(bytes.into_boxed_slice(), start).ok()
}

/// Caching is best effort, as in pnpm: a read-only cache directory must not fail an install.
/// The entry keeps only what lade reads (pnpm also trims what it caches), which makes a warm
/// resolution read a fraction of the registry's documents; the trimmed document is also what
/// this resolution goes on with.
fn store(path: &Path, fresh: Fresh) -> Packument {
    let packument = &fresh.packument;
    let modified = packument.modified.clone().or_else(|| packument.time.get("modified").cloned());
    let headers = CacheHeaders { etag: fresh.etag, modified };
    let trimmed = packument.to_cached_json();
    if let Err(error) = MetadataCache::write(path, &headers, &trimmed) {
        tracing::warn!(path = %path.display(), %error, "could not write the metadata cache");
    }
    Packument::parse(trimmed).unwrap_or(fresh.packument)
}
