use lade_registry::NetworkSettings;
use lade_test_registry::{Fault, PackageSpec, RegistryFixture, TestRegistry};
use lade_types::{Integrity, PkgName, Version};
use url::Url;

use super::*;

fn fetcher(store: &StoreDir) -> Fetcher<'_> {
    let mut settings = NetworkSettings::default();
    settings.retry.retries = 0;
    Fetcher::new(RegistryClient::new(settings).unwrap(), store)
}

fn source(server: &TestRegistry, integrity: Integrity) -> TarballSource {
    let registry = Url::parse(server.url()).unwrap();
    let name = PkgName::parse("left-pad").unwrap();
    let version = Version::parse("1.3.0").unwrap();
    TarballSource::from_registry(&registry, &name, &version, integrity).unwrap()
}

fn fixture() -> RegistryFixture {
    RegistryFixture::new()
        .package(PackageSpec::new("left-pad", "1.3.0").file("index.js", "module.exports = 1"))
}

#[tokio::test]
async fn downloads_verifies_and_extracts() {
    let server = TestRegistry::start(fixture()).await;
    let integrity = Integrity::parse(&server.dist("left-pad", "1.3.0").unwrap().integrity).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = StoreDir::new(dir.path());
    let fetcher = fetcher(&store);
    let bytes = fetcher.download(&source(&server, integrity), None).await.unwrap();
    let added = fetcher.extract("left-pad@1.3.0", &bytes).unwrap();
    assert!(added.index.files.contains_key("index.js"));
    assert!(added.index.files.contains_key("package.json"));
}

#[tokio::test]
async fn integrity_mismatch_adds_nothing_to_the_store() {
    let server = TestRegistry::start(fixture()).await;
    server.set_fault(Fault::CorruptBody.everywhere());
    let integrity = Integrity::parse(&server.dist("left-pad", "1.3.0").unwrap().integrity).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = StoreDir::new(dir.path());
    let fetcher = fetcher(&store);
    let error = fetcher.download(&source(&server, integrity), None).await.unwrap_err();
    assert!(matches!(error, FetchError::Registry(_)), "{error:?}");
    let entries = std::fs::read_dir(dir.path()).unwrap().count();
    assert_eq!(entries, 0, "nothing may enter the store before verification");
}

#[test]
fn tarball_field_must_be_http() {
    let registry = Url::parse("https://registry.example.test/").unwrap();
    let relative =
        TarballSource::from_tarball_field("a@1.0.0".into(), &registry, "a/-/a-1.0.0.tgz", None)
            .unwrap();
    assert_eq!(relative.url.as_str(), "https://registry.example.test/a/-/a-1.0.0.tgz");
    let file =
        TarballSource::from_tarball_field("a@1.0.0".into(), &registry, "file:///etc/x", None);
    assert!(matches!(file, Err(FetchError::InvalidTarballUrl { .. })));
}
