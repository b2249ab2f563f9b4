//! Malformed pnpm-lock.yaml, package.json, .npmrc and pnpm-workspace.yaml through `lade install`:
//! wrong types, missing fields, huge and deeply nested values, bad encodings. Each ends in a coded
//! error that names the file (or is accepted, where pnpm accepts it too), never in a panic or a
//! hang.

use std::time::{Duration, Instant};

use lade_test_registry::{PackageSpec, RegistryFixture};

use crate::context::{Run, TestContext};

/// A run on these inputs must finish well within this, however large the input.
const DEADLINE: Duration = Duration::from_secs(20);

fn solo() -> RegistryFixture {
    RegistryFixture::new().package(PackageSpec::new("solo", "1.0.0").file("index.js", "1"))
}

/// Installs a project whose `file` is replaced by `bytes`.
fn install_with(file: &str, bytes: &[u8]) -> (TestContext, Run) {
    let context = TestContext::new(solo());
    context.depend_on(&[("solo", "1.0.0")]);
    std::fs::write(context.project().join(file), bytes).unwrap();
    let started = Instant::now();
    let run = context.lade(&["install", "--frozen-lockfile"]);
    assert!(started.elapsed() < DEADLINE, "{file}: took {:?}", started.elapsed());
    assert!(!run.output().contains("panicked"), "{file} made lade panic:\n{}", run.output());
    (context, run)
}

#[track_caller]
fn assert_refused(file: &str, bytes: &[u8]) -> Run {
    let (context, run) = install_with(file, bytes);
    let shown = String::from_utf8_lossy(&bytes[..bytes.len().min(200)]).into_owned();
    assert!(!run.success(), "{file} was accepted:\n{shown}\n{}", run.output());
    assert!(run.output().contains("ERR_"), "{file}: no code for\n{shown}\n{}", run.output());
    assert!(run.mentions(file), "{file}: the error does not name it:\n{}", run.output());
    assert!(!context.exists("node_modules/.modules.yaml"));
    run
}

/// Inputs pnpm also takes: whatever happens, it is a clean success or a coded failure.
#[track_caller]
fn assert_handled(file: &str, bytes: &[u8]) {
    let (_, run) = install_with(file, bytes);
    assert!(run.success() || run.output().contains("ERR_"), "{file}:\n{}", run.output());
}

/// A YAML document whose aliases expand to 10^9 nodes ("billion laughs").
fn billion_laughs(top_key: &str) -> String {
    let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for level in 1..9 {
        let refs = vec![format!("*a{}", level - 1); 10].join(", ");
        text.push_str(&format!("a{level}: &a{level} [{refs}]\n"));
    }
    text.push_str(&format!("{top_key}: *a8\n"));
    text
}

fn nested_json(depth: usize) -> String {
    format!(r#"{{"name":"app","dependencies":{}1{}}}"#, "[".repeat(depth), "]".repeat(depth))
}

#[test]
fn malformed_lockfiles() {
    let base = "lockfileVersion: '9.0'\n\nimporters:\n  .:\n    dependencies:\n      solo:\n        specifier: 1.0.0\n        version: 1.0.0\n";
    let huge_key = format!(
        "{base}\npackages:\n  solo@1.0.0:\n    resolution: {{integrity: sha512-{}}}\n",
        "A".repeat(8 << 20)
    );
    let refused: Vec<Vec<u8>> = vec![
        b"lockfileVersion: '9.0'\nimporters: 5\n".to_vec(),
        b"lockfileVersion: '9.0'\nimporters:\n  .: [1, 2]\n".to_vec(),
        b"lockfileVersion: {a: 1}\n".to_vec(),
        b"lockfileVersion: '5.4'\n".to_vec(),
        b"lockfileVersion: '99.0'\n".to_vec(),
        format!("{base}\npackages: [1, 2]\n").into_bytes(),
        format!("{base}\npackages:\n  solo@1.0.0:\n    resolution: {{integrity: 5}}\n\nsnapshots:\n  solo@1.0.0: {{}}\n").into_bytes(),
        format!("{base}\npackages:\n  solo@1.0.0:\n    resolution: {{integrity: not-an-integrity}}\n\nsnapshots:\n  solo@1.0.0: {{}}\n").into_bytes(),
        format!("{base}\npackages:\n  solo@1.0.0: {{}}\n\nsnapshots:\n  solo@1.0.0: {{}}\n").into_bytes(),
        format!("{base}\nsnapshots: 'text'\n").into_bytes(),
        format!("{base}\npackages:\n  solo@1.0.0:\n    resolution: {{integrity: sha512-x}}\nsnapshots:\n  solo@1.0.0:\n    dependencies: [a]\n").into_bytes(),
        base.replace("specifier: 1.0.0", "specifier: [1, 0]").into_bytes(),
        base.replace("  .:", "\t.:").into_bytes(),
        b"lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies: {\n".to_vec(),
        b"lockfileVersion: '9.0'\n\xff\xfe\x00 importers: \x00\n".to_vec(),
        b"lockfileVersion: '9.0'\nimporters: &x\n  .: *x\n".to_vec(),
        huge_key.into_bytes(),
        format!("lockfileVersion: '9.0'\n{}", billion_laughs("importers")).into_bytes(),
        format!("lockfileVersion: '9.0'\nimporters: {}1{}\n", "[".repeat(5_000), "]".repeat(5_000)).into_bytes(),
        format!("lockfileVersion: '9.0'\nimporters:\n{}", "  ".repeat(20_000) + "x: 1\n").into_bytes(),
    ];
    for bytes in &refused {
        assert_refused("pnpm-lock.yaml", bytes);
    }
    // The line and column of a syntax error.
    let run = assert_refused(
        "pnpm-lock.yaml",
        b"lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies: {\n",
    );
    assert!(run.output().contains("(5:1)") || run.output().contains(":5:"), "{}", run.output());
    let handled: Vec<Vec<u8>> =
        vec![b"".to_vec(), "\u{feff}".as_bytes().to_vec(), b"---\n".to_vec()];
    for bytes in &handled {
        assert_handled("pnpm-lock.yaml", bytes);
    }
}

#[test]
fn malformed_package_json() {
    let refused: Vec<Vec<u8>> = vec![
        b"{".to_vec(),
        b"[1, 2]".to_vec(),
        b"\"a string\"".to_vec(),
        br#"{"name":"app","dependencies":[]}"#.to_vec(),
        br#"{"name":"app","dependencies":{"solo":5}}"#.to_vec(),
        br#"{"name":"app","dependencies":{"":"1.0.0"}}"#.to_vec(),
        br#"{"name":"app","devDependencies":"solo"}"#.to_vec(),
        b"{\"name\":\"app\",\xff\xfe}".to_vec(),
        b"{\"name\":\"app\"\x00}".to_vec(),
        nested_json(5_000).into_bytes(),
        format!(r#"{{"name":"app","dependencies":{{"solo":"{}"}}}}"#, "9".repeat(16 << 20))
            .into_bytes(),
    ];
    for bytes in &refused {
        assert_refused("package.json", bytes);
    }
    let run =
        assert_refused("package.json", b"{\n  \"name\": \"app\",\n  \"dependencies\": {\n}}x");
    assert!(run.mentions("line 4 column 3"), "the position: {}", run.output());
    let handled: Vec<Vec<u8>> = vec![
        br#"{"name":5,"version":{},"dependencies":{"solo":"1.0.0"}}"#.to_vec(),
        br#"{"name":"app","bin":{"../x":"y"},"dependencies":{"solo":"1.0.0"}}"#.to_vec(),
        "\u{feff}{\"name\":\"app\",\"dependencies\":{\"solo\":\"1.0.0\"}}".as_bytes().to_vec(),
    ];
    for bytes in &handled {
        assert_handled("package.json", bytes);
    }
}

#[test]
fn malformed_npmrc() {
    let handled: Vec<Vec<u8>> = vec![
        b"fetch-retries=abc\n".to_vec(),
        b"fetch-retries=99999999999999999999999\n".to_vec(),
        b"fetch-timeout=-1\n".to_vec(),
        b"network-concurrency=0\n".to_vec(),
        b"=value\n[section]\nkey\n;comment\n#comment\n".to_vec(),
        b"store-dir=\n".to_vec(),
        b"registry=${LADE_TEST_UNSET_VARIABLE}\n".to_vec(),
        b"\xff\xfe=\xff\n".to_vec(),
        format!("key={}\n", "v".repeat(16 << 20)).into_bytes(),
        "a=1\n".repeat(200_000).into_bytes(),
        b"hoist-pattern[]=a\nhoist-pattern=b\n".to_vec(),
        b"node-linker=\"unterminated\n".to_vec(),
    ];
    for bytes in &handled {
        assert_handled(".npmrc", bytes);
    }
    let refused: Vec<Vec<u8>> = vec![
        b"registry=not a url\n".to_vec(),
        b"registry=ftp://registry.example.test/\n".to_vec(),
        b"package-import-method=teleport\n".to_vec(),
        b"node-linker=\"\\x\"\n".to_vec(),
    ];
    for bytes in &refused {
        let (_, run) = install_with(".npmrc", bytes);
        assert!(!run.success(), "{}:\n{}", String::from_utf8_lossy(bytes), run.output());
        assert!(run.output().contains("ERR_"), "{}", run.output());
    }
}

#[test]
fn malformed_workspace_manifests() {
    let refused: Vec<Vec<u8>> = vec![
        b"packages: 5\n".to_vec(),
        b"packages: [5, {a: 1}]\n".to_vec(),
        b"catalog: [1, 2]\n".to_vec(),
        b"catalogs: {default: 5}\n".to_vec(),
        b"packages:\n  - 'a\n".to_vec(),
        b"\xff\xfe: \x00\n".to_vec(),
        billion_laughs("packages").into_bytes(),
        format!("packages: {}1{}\n", "[".repeat(5_000), "]".repeat(5_000)).into_bytes(),
        b"overrides: 5\n".to_vec(),
    ];
    for bytes in &refused {
        assert_refused("pnpm-workspace.yaml", bytes);
    }
    let handled: Vec<Vec<u8>> =
        vec![b"".to_vec(), b"packages: []\n".to_vec(), b"packages: ['../../..']\n".to_vec()];
    for bytes in &handled {
        assert_handled("pnpm-workspace.yaml", bytes);
    }
}

/// A registry serving `solo`'s tarball and, as its packument, `document` (`{{dist}}` is replaced
/// by a valid `dist` object for 1.0.0).
fn registry_with_packument(document: &str) -> TestContext {
    use base64::Engine;
    use sha2::{Digest, Sha512};
    let tarball = PackageSpec::new("solo", "1.0.0").file("index.js", "1").build_tarball();
    let integrity = format!(
        "sha512-{}",
        base64::engine::general_purpose::STANDARD.encode(Sha512::digest(&tarball))
    );
    let dist = format!(
        r#"{{"tarball":"{{{{registry}}}}solo/-/solo-1.0.0.tgz","integrity":"{integrity}"}}"#
    );
    let fixture = RegistryFixture::new()
        .raw_packument("solo", document.replace("{{dist}}", &dist))
        .file("/solo/-/solo-1.0.0.tgz", tarball);
    let context = TestContext::new(fixture);
    context.write(
        "package.json",
        r#"{"name":"app","version":"1.0.0","dependencies":{"solo":"^1.0.0"}}"#,
    );
    context.write(".npmrc", &format!("registry={}\nfetch-retries=0\n", context.registry.url()));
    context
}

#[test]
fn malformed_packuments() {
    let version = |extra: &str| {
        format!(
            r#"{{"name":"solo","dist-tags":{{"latest":"1.0.0"}},"versions":{{"1.0.0":{{"name":"solo","version":"1.0.0","dist":{{{{dist}}}}{extra}}}}}}}"#
        )
    };
    let deep =
        format!(r#"{{"name":"solo","versions":{}1{}}}"#, "[".repeat(5_000), "]".repeat(5_000));
    let refused = [
        "{".to_owned(),
        "[]".to_owned(),
        r#"{"name":"solo","versions":[1,2]}"#.to_owned(),
        r#"{"name":"solo","dist-tags":{"latest":"1.0.0"},"versions":{"1.0.0":{"name":"solo","version":"1.0.0"}}}"#.to_owned(),
        r#"{"name":"solo","dist-tags":{"latest":"1.0.0"},"versions":{"1.0.0":{"name":"solo","version":"1.0.0","dist":{"tarball":5}}}}"#.to_owned(),
        r#"{"name":"solo","dist-tags":{"latest":"2.0.0"},"versions":{}}"#.to_owned(),
        r#"{"name":"../../escaped","versions":{}}"#.to_owned(),
        version(r#","dependencies":{"../../escaped":"1.0.0"}"#),
        version(r#","dependencies":{"alias":"npm:../../escaped@1.0.0"}"#),
        deep,
    ];
    for document in &refused {
        let context = registry_with_packument(document);
        let run = context.lade(&["install"]);
        let shown = &document[..document.len().min(200)];
        assert!(!run.success(), "accepted {shown}\n{}", run.output());
        assert!(run.output().contains("ERR_"), "{shown}: {}", run.output());
        assert!(!run.output().contains("panicked"), "{shown}: {}", run.output());
        assert!(run.output().contains("solo"), "{shown}: names the package: {}", run.output());
        assert!(crate::inspect::paths_named(context.root(), "escaped").is_empty(), "{shown}");
    }
    let handled = [
        version(
            r#","dependencies":["a"],"bin":5,"engines":"node","os":"linux","deprecated":false"#,
        ),
        version(&format!(r#","description":"{}""#, "x".repeat(8 << 20))),
        version(r#","peerDependenciesMeta":{"react":true},"directories":[]"#),
    ];
    for document in &handled {
        let context = registry_with_packument(document);
        let run = context.lade(&["install"]);
        assert!(run.success() || run.output().contains("ERR_"), "{}", run.output());
        assert!(!run.output().contains("panicked"), "{}", run.output());
    }
}
