//! Drives the server over plain sockets, so the faults are observed exactly as sent.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use lade_test_registry::{
    AuthScheme, Fault, PackageSpec, RegistryFixture, RequiredAuth, TestRegistry,
};
use lade_types::Integrity;
use serde_json::Value;

struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

fn connect(server: &TestRegistry) -> BufReader<TcpStream> {
    let stream = TcpStream::connect(server.addr()).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    BufReader::new(stream)
}

fn send(
    conn: &mut BufReader<TcpStream>,
    path: &str,
    extra_headers: &str,
) -> std::io::Result<Response> {
    write!(conn.get_mut(), "GET {path} HTTP/1.1\r\nHost: x\r\n{extra_headers}\r\n")?;
    let mut line = String::new();
    if conn.read_line(&mut line)? == 0 {
        return Err(std::io::ErrorKind::UnexpectedEof.into());
    }
    let status = line.split(' ').nth(1).unwrap().parse().unwrap();
    let mut headers = Vec::new();
    loop {
        line.clear();
        conn.read_line(&mut line)?;
        let trimmed = line.trim_end();
        if trimmed.is_empty() {
            break;
        }
        let (name, value) = trimmed.split_once(": ").unwrap();
        headers.push((name.to_ascii_lowercase(), value.to_owned()));
    }
    let len: usize =
        headers.iter().find(|(n, _)| n == "content-length").unwrap().1.parse().unwrap();
    let mut body = Vec::new();
    conn.take(len as u64).read_to_end(&mut body)?;
    Ok(Response { status, headers, body })
}

fn get(server: &TestRegistry, path: &str, extra_headers: &str) -> std::io::Result<Response> {
    send(&mut connect(server), path, extra_headers)
}

fn fixture() -> RegistryFixture {
    RegistryFixture::new()
        .package(PackageSpec::new("@scope/pkg", "1.0.0").file("index.js", "module.exports = 1"))
        .package(PackageSpec::new("plain", "2.0.0").bin("plain", "cli.js"))
}

#[test]
fn serves_packuments_for_both_scoped_spellings_and_abbreviated_on_request() {
    let server = TestRegistry::start_blocking(fixture());
    assert!(server.url().starts_with("http://127.0.0.1:") && server.url().ends_with('/'));
    for path in ["/@scope%2fpkg", "/@scope%2Fpkg", "/@scope/pkg"] {
        let response = get(&server, path, "").unwrap();
        assert_eq!(response.status, 200, "{path}");
        let doc: Value = serde_json::from_slice(&response.body).unwrap();
        assert_eq!(doc["versions"]["1.0.0"]["_id"], "@scope/pkg@1.0.0");
    }
    let corgi = get(&server, "/plain", "Accept: application/vnd.npm.install-v1+json\r\n").unwrap();
    assert_eq!(corgi.header("content-type"), Some("application/vnd.npm.install-v1+json"));
    let doc: Value = serde_json::from_slice(&corgi.body).unwrap();
    assert!(doc.get("time").is_none());
    assert_eq!(doc["versions"]["2.0.0"]["bin"]["plain"], "cli.js");
    assert_eq!(get(&server, "/missing", "").unwrap().status, 404);
}

#[test]
fn tarballs_match_their_advertised_integrity_and_revalidate_with_etags() {
    let server = TestRegistry::start_blocking(fixture());
    let dist = server.dist("@scope/pkg", "1.0.0").unwrap();
    let path = server.tarball_path("@scope/pkg", "1.0.0");
    assert_eq!(dist.tarball, format!("{}{}", server.url().trim_end_matches('/'), path));
    let mut conn = connect(&server);
    let first = send(&mut conn, &path, "").unwrap();
    assert_eq!(Integrity::sha512_of(&first.body).to_string(), dist.integrity);
    let etag = first.header("etag").unwrap().to_owned();
    // The same connection serves the conditional request: keep-alive works.
    let second = send(&mut conn, &path, &format!("If-None-Match: {etag}\r\n")).unwrap();
    assert_eq!((second.status, second.body.len()), (304, 0));
    assert_eq!(server.request_count(&path), 2);
}

#[test]
fn counted_faults_fire_then_clear() {
    let server = TestRegistry::start_blocking(fixture());
    server.set_fault(Fault::Status(503).everywhere().times(2));
    assert_eq!(get(&server, "/plain", "").unwrap().status, 503);
    assert_eq!(get(&server, "/plain", "").unwrap().status, 503);
    assert_eq!(get(&server, "/plain", "").unwrap().status, 200);
}

#[test]
fn reset_and_truncation_break_the_connection() {
    let server = TestRegistry::start_blocking(fixture());
    let path = server.tarball_path("plain", "2.0.0");
    server.set_fault(Fault::Reset.on_path("/plain").times(1));
    assert!(get(&server, "/plain", "").is_err());
    server.set_fault(Fault::TruncatedBody.on_path(&path));
    let mut conn = connect(&server);
    write!(conn.get_mut(), "GET {path} HTTP/1.1\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    conn.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw);
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    let declared: usize =
        head.split("content-length: ").nth(1).unwrap().lines().next().unwrap().parse().unwrap();
    assert!(raw.len() - head.len() - 4 < declared, "sent {} of {declared}", body.len());
}

#[test]
fn required_auth_is_checked_and_logged_without_the_secret() {
    let server =
        TestRegistry::start_blocking(fixture().require_auth(RequiredAuth::bearer("s3cret")));
    assert_eq!(get(&server, "/plain", "").unwrap().status, 401);
    assert_eq!(get(&server, "/plain", "Authorization: Bearer wrong\r\n").unwrap().status, 401);
    assert_eq!(get(&server, "/plain", "Authorization: Bearer s3cret\r\n").unwrap().status, 200);
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    assert!(!requests[0].had_auth());
    assert_eq!(requests[2].auth, Some(AuthScheme::Bearer));
    assert!(!format!("{requests:?}").contains("s3cret"));
}

#[tokio::test]
async fn starts_inside_an_async_test() {
    let server = TestRegistry::start(fixture()).await;
    let addr = server.addr();
    let status = tokio::task::spawn_blocking(move || {
        let mut conn = BufReader::new(TcpStream::connect(addr).unwrap());
        send(&mut conn, "/plain", "").unwrap().status
    })
    .await
    .unwrap();
    assert_eq!(status, 200);
}
