//! Drives the store by hand for interop checks with pnpm and for timing.
//!
//! ```text
//! store_interop fill <store> <packages.txt> <tarball-dir> [no-tar-integrity]
//! store_interop import-all <store> <out-dir> [copy|hardlink|auto] [no-verify]
//! store_interop decode <store>                              # single-threaded decode timing
//! ```
//! Lines of `packages.txt` are `name@version integrity`. `fill` adds `npm pack` tarballs and writes their rows; `import-all` decodes every row in
//! the store's `index.db` and imports each package under `<out-dir>`, timing both phases.

use std::path::{Path, PathBuf};
use std::time::Instant;

use lade_store::{
    ExtractOptions, ImportMethod, ImportOptions, ImportOutcome, StoreDir, StoreIndex,
    decode_package_files_index, index_key,
};
use lade_types::Integrity;
use rayon::prelude::*;

fn main() -> miette::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["fill", store, list, tarballs, rest @ ..] => {
            let options = ExtractOptions {
                tar_integrity: !rest.contains(&"no-tar-integrity"),
                ..Default::default()
            };
            fill(&StoreDir::new(store), Path::new(list), Path::new(tarballs), &options)
        }
        ["import-all", store, out, rest @ ..] => {
            let method = match rest.first().copied() {
                Some("copy") => ImportMethod::Copy,
                Some("hardlink") => ImportMethod::Hardlink,
                _ => ImportMethod::Auto,
            };
            let options =
                ImportOptions { method, verify_store_integrity: !rest.contains(&"no-verify") };
            import_all(&StoreDir::new(store), Path::new(out), options)
        }
        ["decode", store] => decode(&StoreDir::new(store)),
        _ => Err(miette::miette!("usage: see the comment at the top of store_interop.rs")),
    }
}

fn fill(
    store: &StoreDir,
    list: &Path,
    tarballs: &Path,
    options: &ExtractOptions,
) -> miette::Result<()> {
    let text = fs_err::read_to_string(list).map_err(|e| miette::miette!("{e}"))?;
    let started = Instant::now();
    let rows = text
        .lines()
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .par_iter()
        .map(|line| {
            let (id, integrity) =
                line.split_once(' ').ok_or_else(|| miette::miette!("bad line {line}"))?;
            let integrity = Integrity::parse(integrity)?;
            let (name, version) =
                id.rsplit_once('@').ok_or_else(|| miette::miette!("bad id {id}"))?;
            let file = tarballs
                .join(format!("{}-{version}.tgz", name.trim_start_matches('@').replace('/', "-")));
            let bytes = fs_err::read(&file).map_err(|e| miette::miette!("{e}"))?;
            let mut checker = integrity.checker();
            checker.update(&bytes);
            checker.finish().map_err(|actual| miette::miette!("{id}: integrity {actual}"))?;
            let added = store.add_tarball_with(&bytes, options)?;
            Ok((index_key(&integrity, id), added.index))
        })
        .collect::<miette::Result<Vec<_>>>()?;
    let files: usize = rows.iter().map(|(_, row)| row.files.len()).sum();
    let mut index = StoreIndex::open(store)?;
    index.set_many(rows.clone())?;
    println!("added {} packages, {files} files in {:?}", rows.len(), started.elapsed());
    Ok(())
}

fn import_all(store: &StoreDir, out: &Path, options: ImportOptions) -> miette::Result<()> {
    let index = StoreIndex::open_readonly(store)?.ok_or_else(|| miette::miette!("no index.db"))?;
    let raw = index.all_raw()?;
    let started = Instant::now();
    let rows = raw
        .par_iter()
        .map(|(key, data)| Ok((key.clone(), decode_package_files_index(data)?)))
        .collect::<miette::Result<Vec<_>>>()?;
    let decoded = started.elapsed();
    let files: usize = rows.iter().map(|(_, row)| row.files.len()).sum();
    let started = Instant::now();
    let outcomes = rows
        .par_iter()
        .map(|(key, row)| {
            let id = key.split_once('\t').map_or(key.as_str(), |(_, id)| id);
            let target: PathBuf = out.join(id.replace('/', "+")).join("node_modules").join(id);
            Ok(store.import_package(row, &target, options)?)
        })
        .collect::<miette::Result<Vec<_>>>()?;
    let imported = started.elapsed();
    let stale = outcomes.iter().filter(|o| matches!(o, ImportOutcome::NeedsRefetch { .. })).count();
    println!(
        "{} rows decoded in {decoded:?} ({:.2} µs/row); {files} files imported in {imported:?} ({:.2} µs/file); {stale} need a refetch",
        rows.len(),
        decoded.as_secs_f64() * 1e6 / rows.len().max(1) as f64,
        imported.as_secs_f64() * 1e6 / files.max(1) as f64,
    );
    Ok(())
}

fn decode(store: &StoreDir) -> miette::Result<()> {
    let index = StoreIndex::open_readonly(store)?.ok_or_else(|| miette::miette!("no index.db"))?;
    let raw = index.all_raw()?;
    let bytes: usize = raw.iter().map(|(_, data)| data.len()).sum();
    let rounds = 20;
    let started = Instant::now();
    for _ in 0..rounds {
        for (_, data) in &raw {
            std::hint::black_box(decode_package_files_index(data)?);
        }
    }
    let per_row = started.elapsed().as_secs_f64() * 1e6 / (rounds * raw.len()) as f64;
    println!(
        "{} rows, {} bytes on average: {per_row:.2} µs/row on one thread",
        raw.len(),
        bytes / raw.len().max(1)
    );
    Ok(())
}
