use std::time::Duration;

use lade_registry::{AuthHeader, NetworkSettings, RegistryClient, RegistryError};
use lade_test_registry::{AuthScheme, Fault, RequiredAuth, TestRegistry};
use lade_types::Integrity;
use miette::Diagnostic;

use crate::{client, fixture, settings, url};

const FOO: &str = "foo@1.0.0";

struct Setup {
    server: TestRegistry,
    path: String,
    url: url::Url,
    integrity: Integrity,
}

async fn setup() -> Setup {
    let server = TestRegistry::start(fixture()).await;
    let path = server.tarball_path("foo", "1.0.0");
    let url = url(&server, &path);
    let integrity = Integrity::parse(&server.dist("foo", "1.0.0").unwrap().integrity).unwrap();
    Setup { server, path, url, integrity }
}

fn help(error: &RegistryError) -> String {
    error.help().map(|h| h.to_string()).unwrap_or_default()
}

#[tokio::test]
async fn downloads_once_with_identity_encoding_and_a_lade_user_agent() {
    let s = setup().await;
    let bytes = client().fetch_verified_tarball(&s.url, None, FOO, &s.integrity).await.unwrap();
    assert_eq!(Integrity::sha512_of(&bytes), s.integrity);
    let requests = s.server.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].header("accept-encoding"), Some("identity"));
    assert!(requests[0].header("user-agent").unwrap().starts_with("lade/"));
    assert!(!requests[0].had_auth());
}

#[tokio::test]
async fn not_found_names_package_and_url_and_is_not_retried() {
    let s = setup().await;
    let missing = url(&s.server, "/foo/-/foo-9.9.9.tgz");
    let error = client().fetch_tarball(&missing, None, "foo@9.9.9").await.unwrap_err();
    assert_eq!(error.error_code(), "ERR_PNPM_FETCH_404");
    let message = error.to_string();
    assert!(message.contains("foo@9.9.9") && message.contains(missing.as_str()), "{message}");
    assert!(help(&error).contains("no authorization header was sent"));
    assert_eq!(s.server.requests().len(), 1);
}

#[tokio::test]
async fn unauthorized_without_a_token_and_fine_with_it() {
    let s = setup().await;
    s.server.set_required_auth(Some(RequiredAuth::bearer("npm_s3cr3tT0ken")));
    let error = client().fetch_tarball(&s.url, None, FOO).await.unwrap_err();
    assert_eq!(error.error_code(), "ERR_PNPM_FETCH_401");
    assert!(
        help(&error).contains(&format!(
            "check the auth token for {}",
            s.server.url().trim_end_matches('/')
        ))
    );
    assert_eq!(s.server.requests().len(), 1, "401 must not be retried");

    let wrong = AuthHeader::bearer("npm_wrongWrongWrong").unwrap();
    let error = client().fetch_tarball(&s.url, Some(&wrong), FOO).await.unwrap_err();
    let shown = format!("{error} {error:?} {}", help(&error));
    assert!(!shown.contains("npm_wrong"), "{shown}");
    assert!(help(&error).contains("Bearer [hidden]"));

    let token = AuthHeader::bearer("npm_s3cr3tT0ken").unwrap();
    client().fetch_tarball(&s.url, Some(&token), FOO).await.unwrap();
    let last = s.server.requests().pop().unwrap();
    assert_eq!(last.auth, Some(AuthScheme::Bearer));
}

#[tokio::test]
async fn basic_auth_is_sent() {
    let s = setup().await;
    s.server.set_required_auth(Some(RequiredAuth::basic("me", "pw")));
    let auth = AuthHeader::basic("me", "pw").unwrap();
    client().fetch_tarball(&s.url, Some(&auth), FOO).await.unwrap();
    assert_eq!(s.server.requests()[0].auth, Some(AuthScheme::Basic));
}

#[tokio::test]
async fn server_errors_are_retried_until_success() {
    let s = setup().await;
    s.server.set_fault(Fault::Status(500).on_path(&s.path).times(2));
    client().fetch_verified_tarball(&s.url, None, FOO, &s.integrity).await.unwrap();
    assert_eq!(s.server.request_count(&s.path), 3);
}

#[tokio::test]
async fn persistent_server_errors_give_up_after_the_retries() {
    let s = setup().await;
    s.server.set_fault(Fault::Status(503).everywhere());
    let error = client().fetch_tarball(&s.url, None, FOO).await.unwrap_err();
    assert_eq!(error.error_code(), "ERR_PNPM_FETCH_503");
    assert_eq!(s.server.request_count(&s.path), 3);
}

#[tokio::test]
async fn a_reset_connection_is_retried() {
    let s = setup().await;
    s.server.set_fault(Fault::Reset.on_path(&s.path).times(1));
    client().fetch_verified_tarball(&s.url, None, FOO, &s.integrity).await.unwrap();
    assert_eq!(s.server.request_count(&s.path), 2);
}

#[tokio::test]
async fn resets_that_persist_become_a_network_error() {
    let s = setup().await;
    s.server.set_fault(Fault::Reset.everywhere());
    let error = client().fetch_tarball(&s.url, None, FOO).await.unwrap_err();
    assert_eq!(error.error_code(), "ERR_LADE_FETCH_NETWORK");
    assert_eq!(s.server.request_count(&s.path), 3);
}

#[tokio::test]
async fn a_stalled_server_times_out_each_attempt() {
    let s = setup().await;
    s.server.set_fault(Fault::Stall(Duration::from_secs(5)).everywhere());
    let started = std::time::Instant::now();
    let error = client().fetch_tarball(&s.url, None, FOO).await.unwrap_err();
    assert_eq!(error.error_code(), "ERR_LADE_FETCH_TIMEOUT");
    assert_eq!(s.server.request_count(&s.path), 3);
    assert!(started.elapsed() < Duration::from_secs(3), "took {:?}", started.elapsed());
}

#[tokio::test]
async fn a_body_stalled_midway_times_out_then_succeeds() {
    let s = setup().await;
    s.server.set_fault(Fault::StallMidBody(Duration::from_secs(5)).on_path(&s.path).times(1));
    client().fetch_verified_tarball(&s.url, None, FOO, &s.integrity).await.unwrap();
    assert_eq!(s.server.request_count(&s.path), 2);
}

#[tokio::test]
async fn a_truncated_body_is_a_size_error_and_is_retried() {
    let s = setup().await;
    s.server.set_fault(Fault::TruncatedBody.on_path(&s.path));
    let error = client().fetch_tarball(&s.url, None, FOO).await.unwrap_err();
    assert_eq!(error.error_code(), "ERR_PNPM_BAD_TARBALL_SIZE");
    assert_eq!(s.server.request_count(&s.path), 3);
    s.server.set_fault(Fault::TruncatedBody.on_path(&s.path).times(1));
    client().fetch_verified_tarball(&s.url, None, FOO, &s.integrity).await.unwrap();
}

#[tokio::test]
async fn a_body_longer_than_its_content_length_fails_verification() {
    let s = setup().await;
    s.server.set_fault(Fault::OverlongBody.on_path(&s.path));
    let client = client();
    let error = client.fetch_verified_tarball(&s.url, None, FOO, &s.integrity).await.unwrap_err();
    assert_eq!(error.error_code(), "ERR_PNPM_TARBALL_INTEGRITY");
    assert_eq!(s.server.request_count(&s.path), 3);
    // The surplus bytes must not be read as the next response on a reused connection.
    s.server.clear_faults();
    client.fetch_verified_tarball(&s.url, None, FOO, &s.integrity).await.unwrap();
}

#[tokio::test]
async fn corrupt_bytes_are_retried_when_verifying() {
    let s = setup().await;
    s.server.set_fault(Fault::CorruptBody.on_path(&s.path).times(1));
    client().fetch_verified_tarball(&s.url, None, FOO, &s.integrity).await.unwrap();
    assert_eq!(s.server.request_count(&s.path), 2);
    s.server.set_fault(Fault::CorruptBody.on_path(&s.path).times(1));
    let unverified = client().fetch_tarball(&s.url, None, FOO).await.unwrap();
    assert_ne!(Integrity::sha512_of(&unverified), s.integrity);
}

#[tokio::test]
async fn oversized_tarballs_are_refused_without_retrying() {
    let s = setup().await;
    let client =
        RegistryClient::new(NetworkSettings { max_tarball_size: 16, ..settings() }).unwrap();
    let error = client.fetch_tarball(&s.url, None, FOO).await.unwrap_err();
    assert_eq!(error.error_code(), "ERR_PNPM_TARBALL_TOO_LARGE");
    assert_eq!(s.server.requests().len(), 1);
}

#[tokio::test]
async fn offline_mode_makes_no_request() {
    let s = setup().await;
    let client = RegistryClient::new(NetworkSettings { offline: true, ..settings() }).unwrap();
    let error = client.fetch_tarball(&s.url, None, FOO).await.unwrap_err();
    assert_eq!(error.error_code(), "ERR_PNPM_NO_OFFLINE_TARBALL");
    assert!(s.server.requests().is_empty());
}

#[tokio::test]
async fn credentials_in_the_url_never_reach_the_message() {
    let s = setup().await;
    let mut with_credentials = url(&s.server, "/foo/-/foo-9.9.9.tgz");
    with_credentials.set_username("user").unwrap();
    with_credentials.set_password(Some("hunter2")).unwrap();
    let error = client().fetch_tarball(&with_credentials, None, "foo@9.9.9").await.unwrap_err();
    let shown = format!("{error} {error:?} {}", help(&error));
    assert!(!shown.contains("hunter2"), "{shown}");
    assert!(help(&error).contains("Basic [hidden]"));
    assert_eq!(s.server.requests()[0].auth, Some(AuthScheme::Basic));
}
