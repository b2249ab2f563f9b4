//! One function per fuzz target. Each takes arbitrary bytes and panics only on a real defect: a
//! panic inside lade, or a broken invariant (the fast lockfile reader disagreeing with the full
//! YAML parser, a row that does not survive re-encoding, a stored file outside the package).

use std::path::{Path, PathBuf};

use lade_config::{Config, LoadOptions};
use lade_lockfile::Lockfile;
use lade_manifest::{DependencyField, PackageManifest};
use lade_registry::Packument;
use lade_resolver::semver::{self, Range, SemVer};
use lade_store::{
    ExtractOptions, StoreDir, decode_package_files_index, encode_package_files_index,
};
use lade_types::Version;

/// What the fuzzers exercise, named as the cargo-fuzz targets and the seed directories are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Lockfile,
    Npmrc,
    WorkspaceManifest,
    Manifest,
    Tarball,
    IndexRow,
    Semver,
    Packument,
}

impl Target {
    pub const ALL: [Target; 8] = [
        Target::Lockfile,
        Target::Npmrc,
        Target::WorkspaceManifest,
        Target::Manifest,
        Target::Tarball,
        Target::IndexRow,
        Target::Semver,
        Target::Packument,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Target::Lockfile => "lockfile",
            Target::Npmrc => "npmrc",
            Target::WorkspaceManifest => "workspace_manifest",
            Target::Manifest => "manifest",
            Target::Tarball => "tarball",
            Target::IndexRow => "index_row",
            Target::Semver => "semver",
            Target::Packument => "packument",
        }
    }

    /// Feeds `data` to the target.
    pub fn run(self, data: &[u8]) {
        match self {
            Target::Lockfile => lockfile(data),
            Target::Npmrc => config_file(".npmrc", data),
            Target::WorkspaceManifest => config_file("pnpm-workspace.yaml", data),
            Target::Manifest => manifest(data),
            Target::Tarball => tarball(data),
            Target::IndexRow => index_row(data),
            Target::Semver => semver(data),
            Target::Packument => packument(data),
        }
    }
}

/// pnpm-lock.yaml: never a panic; where the fast reader reads a document, the full parser reads
/// the same lockfile; and whatever lade reads, it writes back in a form it reads the same.
pub fn lockfile(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let path = Path::new("pnpm-lock.yaml");
    let Ok(lockfile) = Lockfile::from_str(text, path) else { return };
    let plain = !text.starts_with('\u{feff}') && !text.contains('\r') && !text.starts_with("---");
    if plain {
        match serde_yaml_ng::from_str::<Lockfile>(text) {
            Ok(full) => assert_eq!(full, lockfile, "the fast reader disagrees with serde_yaml_ng"),
            Err(error) => panic!("read a lockfile the full parser rejects: {error}"),
        }
    }
    let written = lockfile.to_file_string();
    match Lockfile::from_str(&written, path) {
        Ok(reread) => assert_eq!(reread, lockfile, "written as:\n{written}"),
        Err(error) => panic!("cannot read back its own lockfile: {error}\n{written}"),
    }
}

/// `.npmrc` or pnpm-workspace.yaml, loaded as part of a whole configuration with an empty
/// environment: never a panic.
pub fn config_file(name: &str, data: &[u8]) {
    let dir = scratch("config");
    let project = dir.join("project");
    std::fs::create_dir_all(&project).expect("scratch directory");
    for file in [".npmrc", "pnpm-workspace.yaml"] {
        let _ = std::fs::remove_file(project.join(file));
    }
    std::fs::write(project.join("package.json"), "{}").expect("scratch file");
    std::fs::write(project.join(name), data).expect("scratch file");
    let options =
        LoadOptions { cwd: project, home: Some(dir.join("home")), ..LoadOptions::default() };
    if let Ok(config) = Config::load(&options) {
        let _ = config.workspace_projects();
    }
}

/// package.json: never a panic, in reading or in what lade derives from it.
pub fn manifest(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(manifest) = PackageManifest::from_str(text, Path::new("package.json")) else { return };
    let _ = manifest.pkg_name();
    let _ = manifest.pkg_version();
    let _ = manifest.bin_commands();
    let _ = manifest.bundled();
    for field in DependencyField::ALL {
        if let Some(map) = manifest.dependency_field(field) {
            map.iter().for_each(drop);
        }
    }
}

/// A tarball into a fresh store with small limits: never a panic; every stored path stays inside
/// the package and every file of the row is in the store with its content.
pub fn tarball(data: &[u8]) {
    let dir = scratch("store");
    let _ = std::fs::remove_dir_all(&dir);
    let store = StoreDir::new(&dir);
    let options =
        ExtractOptions { max_unpacked_bytes: 1 << 20, max_entries: 4096, tar_integrity: true };
    let Ok(added) = store.add_tarball_with(data, &options) else { return };
    for path in added.index.files.keys() {
        let safe = !path.starts_with('/')
            && path.split('/').all(|segment| !matches!(segment, "" | "." | ".."))
            && !path.contains(['\\', '\0']);
        assert!(safe, "stored an unsafe path {path:?}");
    }
    assert!(store.verify_package(&added.index).is_empty(), "a listed file is not in the store");
    let encoded = encode_package_files_index("key", &added.index).expect("a new row encodes");
    let decoded = decode_package_files_index(&encoded).expect("a new row decodes");
    assert_eq!(decoded, added.index);
}

/// An `index.db` value: never a panic; a row that decodes and encodes again decodes to the same
/// bytes once more (compared as bytes: a NaN `checkedAt` is not equal to itself).
pub fn index_row(data: &[u8]) {
    let Ok(row) = decode_package_files_index(data) else { return };
    let Ok(encoded) = encode_package_files_index("key", &row) else { return };
    let again = decode_package_files_index(&encoded).expect("lade decodes what it encodes");
    let re_encoded = encode_package_files_index("key", &again).expect("encodes again");
    assert_eq!(encoded, re_encoded);
}

/// Two lines, a version and a range: never a panic; what prints parses back to the same value;
/// the loose comparison is antisymmetric.
pub fn semver(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (version, range) = text.split_once('\n').unwrap_or((text, text));
    let _ = Version::parse(version);
    let _ = semver::valid(version, true);
    let _ = semver::normalize(range, true);
    let ordering = semver::compare_loose(version, range);
    assert_eq!(ordering.reverse(), semver::compare_loose(range, version));
    for loose in [false, true] {
        let parsed = SemVer::parse(version, loose);
        if let Some(parsed) = &parsed {
            let shown = parsed.to_string();
            assert_eq!(SemVer::parse(&shown, loose).as_ref(), Some(parsed), "printed {shown:?}");
        }
        for include_prerelease in [false, true] {
            let Some(range) = Range::parse(range, loose, include_prerelease) else { continue };
            let _ = range.is_any();
            let _ = range.intersect(&range);
            let shown = range.to_string();
            let again = Range::parse(&shown, loose, include_prerelease);
            let again = again.unwrap_or_else(|| panic!("printed range {shown:?} does not parse"));
            if let Some(parsed) = &parsed {
                assert_eq!(range.test(parsed), again.test(parsed), "{shown:?} on {parsed}");
            }
        }
    }
}

/// A registry document: never a panic, in reading or in what the resolver asks of it.
pub fn packument(data: &[u8]) {
    let Ok(packument) = Packument::parse(data.to_vec()) else { return };
    for version in packument.versions.keys() {
        let Some(manifest) = packument.manifest(version) else { continue };
        if let Some(dist) = &manifest.dist {
            let _ = dist.integrity();
        }
        let _ = manifest.has_bin();
        let _ = manifest.requires_build();
    }
}

/// A directory for one target's scratch files, private to this process and thread.
fn scratch(purpose: &str) -> PathBuf {
    thread_local! {
        static ROOT: tempfile::TempDir = tempfile::tempdir().expect("a temporary directory");
    }
    ROOT.with(|root| root.path().join(purpose))
}
