use super::*;

const DOC: &str = r#"{
  "name": "@s/pkg",
  "dist-tags": { "latest": "2.0.0", "broken": "not a version\n" },
  "modified": "2020-01-01T00:00:02.000Z",
  "versions": {
    "1.0.0": {
      "name": "@s/pkg", "version": "1.0.0",
      "dependencies": { "a": "^1.0.0", "weird": 3 },
      "os": "darwin", "engines": ["node >= 0.4"], "deprecated": false,
      "bin": "cli.js",
      "dist": { "tarball": "https://registry.example.test/@s/pkg/-/pkg-1.0.0.tgz",
                "shasum": "aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d" }
    },
    "2.0.0": {
      "name": "@s/pkg", "version": "2.0.0",
      "peerDependencies": { "react": "^18" },
      "peerDependenciesMeta": { "react": { "optional": true }, "bad": 1 },
      "optionalDependencies": { "fsevents": "^2" },
      "bin": { "pkg": "bin/pkg.js" }, "cpu": ["x64"], "libc": ["glibc"],
      "deprecated": "use something else", "hasInstallScript": true,
      "dist": { "tarball": "https://registry.example.test/@s/pkg/-/pkg-2.0.0.tgz",
                "integrity": "sha512-m3HSJL1i83hdltRq0+o9czGb+8KJDKra4t/3JRlnPKcjI8PZm6XBHXx6zG4UuMXaDEZjR1wuXDre9G9zvN7AQw==" }
    }
  }
}"#;

fn version(packument: &Packument, text: &str) -> std::sync::Arc<PackumentVersion> {
    packument.manifest(&Version::parse(text).unwrap()).unwrap()
}

fn parse(text: &str) -> Packument {
    Packument::parse(text.as_bytes().to_vec()).unwrap()
}

#[test]
fn reads_an_abbreviated_document() {
    let packument = parse(DOC);
    assert_eq!(packument.name.as_str(), "@s/pkg");
    assert_eq!(packument.dist_tags.len(), 1);
    assert_eq!(packument.dist_tags["latest"].as_str(), "2.0.0");
    let v2 = version(&packument, "2.0.0");
    assert!(v2.peer_dependencies_meta["react"].optional);
    assert!(!v2.peer_dependencies_meta.contains_key("bad"));
    assert_eq!(v2.bin, Some(Bin::Map([("pkg".into(), "bin/pkg.js".into())].into())));
    assert_eq!(v2.deprecated.as_deref(), Some("use something else"));
    assert!(v2.requires_build());
    assert_eq!(
        v2.dist.as_ref().unwrap().integrity().unwrap().unwrap().algorithm(),
        lade_types::HashAlgorithm::Sha512
    );
}

#[test]
fn malformed_legacy_fields_read_as_absent() {
    let packument = parse(DOC);
    let v1 = version(&packument, "1.0.0");
    assert_eq!(v1.dependencies.len(), 1);
    assert_eq!(v1.os, ["darwin"]);
    assert_eq!(v1.engines.get("0").map(String::as_str), Some("node >= 0.4"));
    assert_eq!(v1.deprecated, None);
    assert_eq!(v1.bin, Some(Bin::Single("cli.js".into())));
    let sha1 = v1.dist.as_ref().unwrap().integrity().unwrap().unwrap();
    assert_eq!(sha1.algorithm(), lade_types::HashAlgorithm::Sha1);
    assert!(!v1.requires_build());
}

#[test]
fn full_documents_carry_time_and_scripts() {
    let doc = r#"{"name":"a","time":{"created":"2020-01-01T00:00:00.000Z","1.0.0":"2020-01-01T00:00:01.000Z"},
        "versions":{"1.0.0":{"version":"1.0.0","scripts":{"install":"node-gyp rebuild"},
        "dist":{"tarball":"t"}}}}"#;
    let packument = parse(doc);
    assert_eq!(packument.time.len(), 2);
    assert!(version(&packument, "1.0.0").requires_build());
    assert_eq!(version(&packument, "1.0.0").dist.as_ref().unwrap().integrity().unwrap(), None);
}

#[test]
fn keeps_dependency_order_bundles_and_bin_directories() {
    let doc = r#"{"name":"a","versions":{
        "1.0.0":{"version":"1.0.0","dependencies":{"z":"1","a":"1","m":"1"},
          "bundleDependencies":["m"],"directories":{"bin":"./bin"}},
        "2.0.0":{"version":"2.0.0","bundledDependencies":true,"bin":"","directories":{"bin":"b"},
          "engines":{"node":">=8"}},
        "3.0.0":{"version":"3.0.0","bundledDependencies":"nonsense","directories":"nonsense"}}}"#;
    let packument = parse(doc);
    let v1 = version(&packument, "1.0.0");
    assert_eq!(v1.dependencies.keys().collect::<Vec<_>>(), ["z", "a", "m"]);
    let bundled = v1.bundled().unwrap();
    assert!(bundled.contains("m", &v1.dependencies) && !bundled.contains("a", &v1.dependencies));
    assert!(v1.has_bin(), "directories.bin counts when bin is absent");
    let v2 = version(&packument, "2.0.0");
    assert_eq!(v2.bundled(), Some(&BundledDependencies::All));
    assert!(!v2.has_bin(), "an empty bin wins over directories.bin, as in pnpm");
    assert_eq!(v2.engines["node"], ">=8");
    let v3 = version(&packument, "3.0.0");
    assert_eq!(v3.bundled(), None);
    assert!(!v3.has_bin());
}

#[test]
fn cached_documents_keep_only_what_lade_reads() {
    let doc = r#"{"name":"a","readme":"long text","dist-tags":{"latest":"1.0.0"},"modified":"2020-01-02T00:00:00.000Z",
        "versions":{"1.0.0":{"name":"a","version":"1.0.0","description":"x",
          "dependencies":{"z":"^1","b":"^2"},"bundleDependencies":["b"],
          "scripts":{"test":"jest","postinstall":"node x"},"engines":["node >= 8"],
          "dist":{"tarball":"https://registry.example.test/a/-/a-1.0.0.tgz","shasum":"aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d"}}}}"#;
    let packument = parse(doc);
    let cached = packument.to_cached_json();
    let text = String::from_utf8(cached.clone()).unwrap();
    assert!(!text.contains("readme") && !text.contains("description") && !text.contains("jest"));
    let again = Packument::parse(cached.clone()).unwrap();
    assert!(again.time.is_empty());
    assert_eq!(again.modified.as_deref(), Some("2020-01-02T00:00:00.000Z"));
    let v = version(&again, "1.0.0");
    assert_eq!(v.dependencies.keys().collect::<Vec<_>>(), ["z", "b"]);
    assert_eq!(v.bundled(), Some(&BundledDependencies::Names(vec!["b".into()])));
    assert!(v.requires_build());
    assert_eq!(v.engines["0"], "node >= 8");
}

#[test]
fn cached_documents_keep_the_publish_times_the_registry_sent() {
    let doc = r#"{"name":"a","dist-tags":{"latest":"1.0.0"},
        "time":{"modified":"2020-01-02T00:00:00.000Z","1.0.0":"2020-01-01T00:00:00.000Z"},
        "versions":{"1.0.0":{"name":"a","version":"1.0.0"}}}"#;
    let cached = Packument::parse(parse(doc).to_cached_json()).unwrap();
    assert_eq!(cached.time.len(), 2, "publish times, which minimumReleaseAge reads, are kept");
}

#[test]
fn manifests_are_read_once_on_demand() {
    let packument = parse(DOC);
    let v2 = Version::parse("2.0.0").unwrap();
    let first = packument.manifest(&v2).unwrap();
    assert!(std::sync::Arc::ptr_eq(&first, &packument.manifest(&v2).unwrap()));
    assert!(packument.manifest(&Version::parse("9.9.9").unwrap()).is_none());
    assert_eq!(packument.versions[&v2].deprecated.as_deref(), Some("use something else"));
    let only_v1: BTreeMap<_, _> = packument
        .versions
        .iter()
        .filter(|(v, _)| v.as_str() == "1.0.0")
        .map(|(v, s)| (v.clone(), s.clone()))
        .collect();
    let view = packument.with_versions(only_v1, BTreeMap::new());
    assert!(view.manifest(&v2).is_none(), "a filtered view hides the other versions");
    assert_eq!(view.manifest(&Version::parse("1.0.0").unwrap()).unwrap().dependencies.len(), 1);
}

/// The cached copy is written in one pass over the document: a package with thousands of
/// versions (as typescript or @types/node publish) stays linear, a manifest that cannot be read
/// is left out as `manifest` leaves it out, and of duplicate keys the first counts.
#[test]
fn cached_documents_read_every_manifest_in_one_pass() {
    let count = 3000;
    let padding = "x".repeat(2000);
    let versions: Vec<String> = (0..count)
        .map(|i| format!(r#""1.0.{i}":{{"version":"1.0.{i}","description":"{padding}","dependencies":{{"d":"^{i}"}}}}"#))
        .collect();
    let doc = format!(
        r#"{{"name":"big","dist-tags":{{"latest":"1.0.0"}},"versions":{{{},"2.0.0":{{"version":"2.0.0","dependencies":7}},"3.0.0":{{"version":"3.0.0","dependencies":{{"first":"1"}}}},"3.0.0":{{"version":"3.0.0","dependencies":{{"second":"1"}}}}}}}}"#,
        versions.join(",")
    );
    let started = std::time::Instant::now();
    let packument = parse(&doc);
    let cached = Packument::parse(packument.to_cached_json()).unwrap();
    // Scanning the 6 MB document once per version took minutes; one pass takes milliseconds.
    assert!(started.elapsed() < std::time::Duration::from_secs(20), "{:?}", started.elapsed());
    assert_eq!(cached.versions.len(), count + 2);
    assert_eq!(version(&cached, "1.0.2999").dependencies["d"], "^2999");
    assert!(version(&cached, "2.0.0").dependencies.is_empty(), "malformed maps read as empty");
    assert!(version(&cached, "3.0.0").dependencies.contains_key("first"));
}
