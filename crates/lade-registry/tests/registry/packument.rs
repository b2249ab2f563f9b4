use lade_registry::{MetadataCache, NetworkSettings, PackumentKind, RegistryClient};
use lade_test_registry::{Fault, RegistryFixture, TestRegistry};
use lade_types::{PkgName, Version};
use url::Url;

use crate::{client, fixture, settings};

fn name(text: &str) -> PkgName {
    PkgName::parse(text).unwrap()
}

fn registry(server: &TestRegistry) -> Url {
    Url::parse(server.url()).unwrap()
}

#[tokio::test]
async fn abbreviated_and_full_documents() {
    let server = TestRegistry::start(fixture()).await;
    let client = client();
    let corgi = client
        .fetch_packument(&registry(&server), &name("foo"), None, PackumentKind::Abbreviated, None)
        .await
        .unwrap();
    assert!(corgi.time.is_empty());
    assert_eq!(corgi.dist_tags["latest"].as_str(), "1.1.0");
    let v110 = corgi.manifest(&Version::parse("1.1.0").unwrap()).unwrap();
    assert_eq!(v110.dependencies["bar"], "^1.0.0");
    let dist = v110.dist.as_ref().unwrap();
    assert_eq!(dist.tarball, server.dist("foo", "1.1.0").unwrap().tarball);
    assert!(dist.integrity().unwrap().is_some());

    let full = client
        .fetch_packument(&registry(&server), &name("foo"), None, PackumentKind::Full, None)
        .await
        .unwrap();
    assert!(full.time.contains_key("1.0.0"));
    let accepts: Vec<_> =
        server.requests().iter().map(|r| r.header("accept").unwrap().to_owned()).collect();
    assert!(accepts[0].starts_with("application/vnd.npm.install-v1+json"));
    assert!(accepts[1].starts_with("application/json"));
}

#[tokio::test]
async fn scoped_names_are_requested_encoded() {
    let server = TestRegistry::start(fixture()).await;
    let packument = client()
        .fetch_packument(
            &registry(&server),
            &name("@scope/pkg"),
            None,
            PackumentKind::Abbreviated,
            None,
        )
        .await
        .unwrap();
    assert_eq!(packument.name.as_str(), "@scope/pkg");
    assert_eq!(server.requests()[0].path, "/@scope%2Fpkg");
}

#[tokio::test]
async fn cached_documents_are_revalidated_with_their_etag() {
    let server = TestRegistry::start(fixture()).await;
    let dir = tempfile::tempdir().unwrap();
    let cache = MetadataCache::new(dir.path());
    let client = client();
    let (url, foo) = (registry(&server), name("foo"));
    let fetch =
        || client.fetch_packument(&url, &foo, None, PackumentKind::Abbreviated, Some(&cache));
    let first = fetch().await.unwrap();
    let path = cache.path(&registry(&server), &name("foo"), PackumentKind::Abbreviated);
    assert!(path.exists());
    let second = fetch().await.unwrap();
    assert_eq!(first.versions.len(), second.versions.len());
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert!(requests[0].header("if-none-match").is_none());
    assert!(requests[1].header("if-none-match").unwrap().starts_with('"'));

    // A 304 for an entry that rotted on disk is answered by fetching the body again.
    let text = fs_err::read_to_string(&path).unwrap();
    let headers = text.lines().next().unwrap();
    fs_err::write(&path, format!("{headers}\n{{broken")).unwrap();
    fetch().await.unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 4);
    assert!(requests[3].header("if-none-match").is_none());
}

#[tokio::test]
async fn offline_reads_only_the_cache() {
    let server = TestRegistry::start(fixture()).await;
    let dir = tempfile::tempdir().unwrap();
    let cache = MetadataCache::new(dir.path());
    let online = client();
    online
        .fetch_packument(
            &registry(&server),
            &name("foo"),
            None,
            PackumentKind::Abbreviated,
            Some(&cache),
        )
        .await
        .unwrap();
    server.clear_requests();

    let offline = RegistryClient::new(NetworkSettings { offline: true, ..settings() }).unwrap();
    let cached = offline
        .fetch_packument(
            &registry(&server),
            &name("foo"),
            None,
            PackumentKind::Abbreviated,
            Some(&cache),
        )
        .await
        .unwrap();
    assert_eq!(cached.name.as_str(), "foo");
    let error = offline
        .fetch_packument(
            &registry(&server),
            &name("@scope/pkg"),
            None,
            PackumentKind::Abbreviated,
            Some(&cache),
        )
        .await
        .unwrap_err();
    assert_eq!(error.error_code(), "ERR_PNPM_NO_OFFLINE_META");
    assert!(error.to_string().contains("@scope/pkg"));
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn broken_json_is_retried_then_reported() {
    let server =
        TestRegistry::start(RegistryFixture::new().raw_packument("broken", "{\"name\": ")).await;
    let error = client()
        .fetch_packument(
            &registry(&server),
            &name("broken"),
            None,
            PackumentKind::Abbreviated,
            None,
        )
        .await
        .unwrap_err();
    assert_eq!(error.error_code(), "ERR_PNPM_BROKEN_METADATA_JSON");
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn missing_packages_and_flaky_servers() {
    let server = TestRegistry::start(fixture()).await;
    let client = client();
    let error = client
        .fetch_packument(&registry(&server), &name("nope"), None, PackumentKind::Abbreviated, None)
        .await
        .unwrap_err();
    assert_eq!(error.error_code(), "ERR_PNPM_FETCH_404");
    assert_eq!(server.requests().len(), 1);

    server.clear_requests();
    server.set_fault(Fault::Status(502).on_path("/foo").times(1));
    client
        .fetch_packument(&registry(&server), &name("foo"), None, PackumentKind::Full, None)
        .await
        .unwrap();
    assert_eq!(server.request_count("/foo"), 2);
}

#[tokio::test]
async fn not_modified_without_a_cached_copy_is_an_error() {
    let server = TestRegistry::start(fixture()).await;
    server.set_fault(Fault::Status(304).everywhere());
    let error = client()
        .fetch_packument(&registry(&server), &name("foo"), None, PackumentKind::Abbreviated, None)
        .await
        .unwrap_err();
    assert_eq!(error.error_code(), "ERR_PNPM_META_NOT_MODIFIED_WITHOUT_CACHE");
}

#[tokio::test]
async fn preferring_offline_serves_cached_documents_without_a_request() {
    let server = TestRegistry::start(fixture()).await;
    let dir = tempfile::tempdir().unwrap();
    let cache = MetadataCache::new(dir.path()).prefer_offline(true);
    let client = client();
    let (url, foo) = (registry(&server), name("foo"));
    let fetch =
        || client.fetch_packument(&url, &foo, None, PackumentKind::Abbreviated, Some(&cache));
    let first = fetch().await.unwrap();
    assert_eq!(server.requests().len(), 1, "a missing entry is still fetched");
    let second = fetch().await.unwrap();
    assert_eq!(first.versions.len(), second.versions.len());
    assert_eq!(server.requests().len(), 1, "the cached entry is used without revalidation");
}

#[tokio::test]
async fn entries_written_after_the_release_age_cutoff_are_not_revalidated() {
    let server = TestRegistry::start(fixture()).await;
    let dir = tempfile::tempdir().unwrap();
    let an_hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    let cache = MetadataCache::new(dir.path()).fresh_after(an_hour_ago);
    let client = client();
    let (url, foo) = (registry(&server), name("foo"));
    client
        .fetch_packument(&url, &foo, None, PackumentKind::Abbreviated, Some(&cache))
        .await
        .unwrap();
    client
        .fetch_packument(&url, &foo, None, PackumentKind::Abbreviated, Some(&cache))
        .await
        .unwrap();
    assert_eq!(server.requests().len(), 1, "the entry written just now is fresh enough");
    let in_the_future = std::time::SystemTime::now() + std::time::Duration::from_secs(3600);
    let strict = MetadataCache::new(dir.path()).fresh_after(in_the_future);
    client
        .fetch_packument(&url, &foo, None, PackumentKind::Abbreviated, Some(&strict))
        .await
        .unwrap();
    assert_eq!(server.requests().len(), 2, "an entry older than the cutoff is revalidated");
}
