//! Registry faults through `lade install`: what pnpm retries (5xx, resets, timeouts, short and
//! long bodies, integrity mismatches) is retried `fetch-retries` times and then reported with a
//! code; what it does not retry (404, 401) fails at once. A failed install adds nothing to the
//! store index and writes no `.modules.yaml`.

use std::time::Duration;

use lade_test_registry::{Fault, PackageSpec, RegistryFixture};

use crate::context::TestContext;
use crate::inspect::check_store;

const RETRIES: usize = 2;

fn context() -> TestContext {
    let fixture = RegistryFixture::new()
        .package(PackageSpec::new("solo", "1.0.0").file("index.js", "x".repeat(64 * 1024)))
        .package(PackageSpec::new("calm", "1.0.0").file("index.js", "calm"));
    let context = TestContext::new(fixture);
    context.depend_on(&[("solo", "1.0.0"), ("calm", "1.0.0")]);
    context.write(
        ".npmrc",
        &format!(
            "registry={}\nfetch-retries={RETRIES}\nfetch-retry-mintimeout=10\nfetch-retry-maxtimeout=50\nfetch-timeout=700\n",
            context.registry.url()
        ),
    );
    context
}

fn tarball(context: &TestContext) -> String {
    context.registry.tarball_path("solo", "1.0.0")
}

/// Faults that a retry can get past.
fn transient() -> Vec<Fault> {
    vec![
        Fault::Status(500),
        Fault::Status(503),
        Fault::Status(429),
        Fault::Reset,
        Fault::Stall(Duration::from_secs(3)),
        Fault::StallMidBody(Duration::from_secs(3)),
        Fault::TruncatedBody,
        Fault::OverlongBody,
        Fault::CorruptBody,
    ]
}

#[test]
fn transient_faults_are_retried_until_the_download_succeeds() {
    for fault in transient() {
        let context = context();
        let path = tarball(&context);
        context.registry.set_fault(fault.clone().on_path(&path).times(RETRIES));
        let run = context.lade(&["install", "--frozen-lockfile"]);
        assert!(run.success(), "{fault:?}:\n{}", run.output());
        assert_eq!(context.registry.request_count(&path), RETRIES + 1, "{fault:?}");
        assert_eq!(context.read("node_modules/solo/index.js").len(), 64 * 1024, "{fault:?}");
        let check = check_store(&context.store());
        check.assert_sound();
        assert_eq!(check.rows, 2, "{fault:?}");
    }
}

#[test]
fn persistent_faults_fail_with_a_code_after_the_retries() {
    let expected = |fault: &Fault| match fault {
        Fault::Status(status) => format!("ERR_PNPM_FETCH_{status}"),
        Fault::Stall(_) | Fault::StallMidBody(_) => "ERR_LADE_FETCH_TIMEOUT".to_owned(),
        Fault::Reset => "ERR_LADE_FETCH_NETWORK".to_owned(),
        Fault::TruncatedBody => "ERR_PNPM_BAD_TARBALL_SIZE".to_owned(),
        // The connection closes after the declared length: what arrived is the tarball's first
        // half, which fails its integrity.
        Fault::CorruptBody | Fault::OverlongBody => "ERR_PNPM_TARBALL_INTEGRITY".to_owned(),
    };
    for fault in transient() {
        let context = context();
        let path = tarball(&context);
        context.registry.set_fault(fault.clone().on_path(&path));
        let run = context.lade(&["install", "--frozen-lockfile"]);
        run.assert_failure_with(&expected(&fault));
        assert!(run.output().contains("solo"), "{fault:?} names the package: {}", run.output());
        assert_eq!(context.registry.request_count(&path), RETRIES + 1, "{fault:?}");
        assert!(!context.exists("node_modules/.modules.yaml"), "{fault:?}");
        let check = check_store(&context.store());
        check.assert_sound();
        assert!(check.rows <= 1, "only the healthy package may be indexed ({fault:?})");
    }
}

#[test]
fn client_errors_are_not_retried() {
    for status in [404, 401, 403] {
        let context = context();
        let path = tarball(&context);
        context.registry.set_fault(Fault::Status(status).on_path(&path));
        let run = context.lade(&["install", "--frozen-lockfile"]);
        run.assert_failure_with(&format!("ERR_PNPM_FETCH_{status}"));
        assert_eq!(context.registry.request_count(&path), 1, "{status} is final");
        check_store(&context.store()).assert_sound();
    }
}

#[test]
fn a_rerun_after_a_failed_install_completes_it() {
    let context = context();
    let path = tarball(&context);
    context.registry.set_fault(Fault::Reset.on_path(&path));
    assert!(!context.lade(&["install", "--frozen-lockfile"]).success());
    context.registry.clear_faults();
    context.lade(&["install", "--frozen-lockfile"]).assert_success();
    assert_eq!(check_store(&context.store()).rows, 2);
}
