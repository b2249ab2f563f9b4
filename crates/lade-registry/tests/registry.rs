//! The client against a local registry with injected faults. Retry delays and timeouts are tiny
//! so every test stays fast.

mod registry {
    pub mod packument;
    pub mod tarball;
}

use std::time::Duration;

use lade_registry::{NetworkSettings, RegistryClient, RetryPolicy};
use lade_test_registry::{PackageSpec, RegistryFixture, TestRegistry};
use url::Url;

pub const TIMEOUT: Duration = Duration::from_millis(300);

pub fn settings() -> NetworkSettings {
    NetworkSettings {
        timeout: TIMEOUT,
        retry: RetryPolicy {
            retries: 2,
            factor: 2,
            min_timeout: Duration::from_millis(5),
            max_timeout: Duration::from_millis(20),
        },
        ..NetworkSettings::default()
    }
}

pub fn client() -> RegistryClient {
    RegistryClient::new(settings()).unwrap()
}

pub fn fixture() -> RegistryFixture {
    RegistryFixture::new()
        .package(PackageSpec::new("foo", "1.0.0").file("index.js", "module.exports = 1"))
        .package(PackageSpec::new("foo", "1.1.0").dependency("bar", "^1.0.0"))
        .package(PackageSpec::new("@scope/pkg", "2.0.0").peer("react", "^18").bin("pkg", "cli.js"))
}

pub fn url(server: &TestRegistry, path: &str) -> Url {
    Url::parse(server.url()).unwrap().join(path.trim_start_matches('/')).unwrap()
}
