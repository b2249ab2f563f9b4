//! Credentials (`_authToken`, `_auth`, `_password`, passwords in registry and proxy URLs) never
//! show in anything lade prints or writes: installs that succeed and installs that fail, with
//! `LADE_LOG=trace`, are searched byte for byte, in every file of the project, store, cache and
//! home (the `.npmrc` that holds them aside).

use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use lade_test_registry::{Fault, PackageSpec, RegistryFixture, RequiredAuth};

use crate::context::{Run, TestContext};

const TOKEN: &str = "npm_TokenThatMustNeverLeak0001";
const PASSWORD: &str = "PasswordThatMustNeverLeak0002";
const USER: &str = "lade-user";

fn fixture() -> RegistryFixture {
    RegistryFixture::new().package(PackageSpec::new("solo", "1.0.0").file("index.js", "1"))
}

/// Every form a secret could leak in: as written, base64-encoded alone and with the user name
/// (a Basic credential), and percent-encoded.
fn forms(secret: &str) -> Vec<String> {
    vec![
        secret.to_owned(),
        STANDARD.encode(secret),
        STANDARD.encode(format!("{USER}:{secret}")),
        url::form_urlencoded::byte_serialize(secret.as_bytes()).collect(),
    ]
}

/// Runs `lade install` with trace logging and returns what it printed.
fn traced_install(context: &TestContext) -> Run {
    let mut command = context.command_in(&context.project(), &["install", "--frozen-lockfile"]);
    let run: Run = command.env("LADE_LOG", "trace").output().unwrap().into();
    let logged = run.stderr.lines().filter(|line| line.contains("TRACE") || line.contains("DEBUG"));
    assert!(logged.count() > 0, "trace logging is on:\n{}", run.stderr);
    run
}

/// Fails if `secret` appears in `run`'s output or in any file under the test's directories,
/// `.npmrc` files excepted.
#[track_caller]
fn assert_hidden(context: &TestContext, run: &Run, secret: &str, what: &str) {
    let printed = run.output();
    for form in forms(secret) {
        assert!(!printed.contains(&form), "{what}: printed {form:?}:\n{printed}");
    }
    let mut pending = vec![context.root().to_path_buf()];
    let mut searched = 0;
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let kind = entry.file_type().unwrap();
            if kind.is_dir() {
                pending.push(entry.path());
            } else if kind.is_file() && entry.file_name() != ".npmrc" {
                searched += 1;
                assert_file_clean(&entry.path(), secret, what);
            }
        }
    }
    assert!(searched > 0);
}

fn assert_file_clean(path: &Path, secret: &str, what: &str) {
    let bytes = std::fs::read(path).unwrap();
    for form in forms(secret) {
        let found = bytes.windows(form.len()).any(|window| window == form.as_bytes());
        assert!(!found, "{what}: {form:?} written to {}", path.display());
    }
}

fn host(context: &TestContext) -> String {
    context.registry.url().trim_start_matches("http:").to_owned()
}

#[test]
fn tokens_stay_hidden_when_installs_succeed_and_fail() {
    let context = TestContext::new(fixture().require_auth(RequiredAuth::bearer(TOKEN)));
    context.depend_on(&[("solo", "1.0.0")]);
    let npmrc =
        format!("registry={}\n{}:_authToken={TOKEN}\n", context.registry.url(), host(&context));
    context.write(".npmrc", &npmrc);
    let run = traced_install(&context);
    run.assert_success();
    assert_hidden(&context, &run, TOKEN, "success");

    // The registry refuses the token; then it fails the download; then it is unreachable.
    let _ = std::fs::remove_dir_all(context.project().join("node_modules"));
    let _ = std::fs::remove_dir_all(context.store());
    context.registry.set_required_auth(Some(RequiredAuth::bearer("another")));
    let run = traced_install(&context);
    run.assert_failure_with("ERR_PNPM_FETCH_401");
    assert_hidden(&context, &run, TOKEN, "401");
    context.registry.set_required_auth(Some(RequiredAuth::bearer(TOKEN)));
    context.registry.set_fault(Fault::Status(500).everywhere());
    context.write(".npmrc", &format!("{npmrc}fetch-retries=1\nfetch-retry-mintimeout=10\n"));
    let run = traced_install(&context);
    run.assert_failure_with("ERR_PNPM_FETCH_500");
    assert_hidden(&context, &run, TOKEN, "500");
}

#[test]
fn basic_credentials_stay_hidden() {
    let encoded_password = STANDARD.encode(PASSWORD);
    let auth = STANDARD.encode(format!("{USER}:{PASSWORD}"));
    let cases = [
        ("_auth", format!("{{host}}:_auth={auth}\n")),
        ("_password", format!("{{host}}:username={USER}\n{{host}}:_password={encoded_password}\n")),
        ("url", String::new()),
    ];
    for (what, lines) in cases {
        let context = TestContext::new(fixture().require_auth(RequiredAuth::basic(USER, PASSWORD)));
        context.depend_on(&[("solo", "1.0.0")]);
        let registry = match what {
            "url" => {
                context.registry.url().replace("http://", &format!("http://{USER}:{PASSWORD}@"))
            }
            _ => context.registry.url().to_owned(),
        };
        let npmrc = format!("registry={registry}\n{}", lines.replace("{host}", &host(&context)));
        context.write(".npmrc", &npmrc);
        let run = traced_install(&context);
        run.assert_success();
        assert_hidden(&context, &run, PASSWORD, what);

        let _ = std::fs::remove_dir_all(context.project().join("node_modules"));
        let _ = std::fs::remove_dir_all(context.store());
        context.registry.set_fault(Fault::Status(403).everywhere());
        let run = traced_install(&context);
        run.assert_failure_with("ERR_PNPM_FETCH_403");
        assert_hidden(&context, &run, PASSWORD, what);
    }
}

#[test]
fn proxy_and_unreachable_registry_credentials_stay_hidden() {
    let context = TestContext::new(fixture());
    context.depend_on(&[("solo", "1.0.0")]);
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let npmrc = format!(
        "registry=http://{USER}:{PASSWORD}@127.0.0.1:{port}/\nfetch-retries=0\n//127.0.0.1:{port}/:_authToken={TOKEN}\n"
    );
    context.write(".npmrc", &npmrc);
    let run = traced_install(&context);
    run.assert_failure_with("ERR_LADE_FETCH_NETWORK");
    assert_hidden(&context, &run, PASSWORD, "unreachable registry");
    assert_hidden(&context, &run, TOKEN, "unreachable registry");

    let npmrc = format!(
        "registry={}\nfetch-retries=0\nproxy=http://{USER}:{PASSWORD}@127.0.0.1:{port}/\nhttps-proxy=http://{USER}:{PASSWORD}@127.0.0.1:{port}/\n",
        context.registry.url()
    );
    context.write(".npmrc", &npmrc);
    let run = traced_install(&context);
    assert!(!run.success(), "the proxy is unreachable: {}", run.output());
    assert_hidden(&context, &run, PASSWORD, "proxy");
}
