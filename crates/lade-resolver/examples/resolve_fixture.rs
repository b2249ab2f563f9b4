//! Resolves a fixture directory against a registry and prints the lockfile:
//! `resolve_fixture <dir> <registry-url> <cache-dir>`. A throwaway driver for comparing with pnpm.

use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use indexmap::IndexMap;
use lade_lockfile::ImporterId;
use lade_manifest::PackageManifest;
use lade_registry::{MetadataCache, NetworkSettings, RegistryClient};
use lade_resolver::{Project, RegistryMetadata, ResolveInput, resolve};

fn project(dir: &Path, id: &str) -> Project {
    let path = dir.join("package.json");
    let manifest = PackageManifest::from_path(&path).unwrap_or_else(|e| panic!("{e}"));
    Project { id: ImporterId::new(id), manifest }
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let dir = Path::new(&args[1]);
    let registry = url::Url::parse(&args[2]).expect("registry URL");
    let mut input = ResolveInput { projects: vec![project(dir, ".")], ..ResolveInput::default() };
    if let Ok(text) = fs_err::read_to_string(dir.join("pnpm-workspace.yaml")) {
        let yaml: serde_yaml_ng::Value = serde_yaml_ng::from_str(&text).expect("workspace yaml");
        for pattern in
            yaml["packages"].as_sequence().into_iter().flatten().filter_map(|p| p.as_str())
        {
            let base = pattern.trim_end_matches("/*");
            let mut entries: Vec<_> =
                fs_err::read_dir(dir.join(base)).expect("read dir").flatten().collect();
            entries.sort_by_key(|e| e.file_name());
            for entry in entries {
                let id = format!("{base}/{}", entry.file_name().to_string_lossy());
                input.projects.push(project(&entry.path(), &id));
            }
        }
        let mut catalog = IndexMap::new();
        for (k, v) in yaml["catalog"].as_mapping().into_iter().flatten() {
            catalog.insert(
                k.as_str().unwrap_or_default().to_owned(),
                v.as_str().unwrap_or_default().to_owned(),
            );
        }
        if !catalog.is_empty() {
            input.catalogs.insert("default".to_owned(), catalog);
        }
    }
    let client = Arc::new(RegistryClient::new(NetworkSettings::default()).expect("client"));
    let source =
        Arc::new(RegistryMetadata::new(client, registry, Some(MetadataCache::new(&args[3]))));
    let started = Instant::now();
    let resolved =
        resolve(source, &input).await.unwrap_or_else(|e| panic!("{:?}", miette::Report::new(e)));
    eprintln!("resolved in {:?}", started.elapsed());
    print!("{}", resolved.lockfile.to_yaml_string());
}
