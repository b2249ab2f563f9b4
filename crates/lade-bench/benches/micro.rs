//! `cargo bench -p lade-bench`: the pieces of an install that run once per package or per file.

use std::path::PathBuf;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use lade_bench::{filled_store, package_tarball};
use lade_lockfile::Lockfile;
use lade_store::{ImportOptions, StoreDir, StoreIndex, decode_package_files_index};
use rayon::prelude::*;
use sha2::{Digest, Sha512};

fn tarball_into_store(c: &mut Criterion) {
    let tarball = package_tarball(0, 60);
    let mut group = c.benchmark_group("tarball_to_store");
    group.throughput(Throughput::Bytes(tarball.len() as u64));
    group.bench_function("60_files", |b| {
        b.iter_batched(
            || tempfile::tempdir().unwrap(),
            |dir| StoreDir::new(dir.path()).add_tarball(&tarball).unwrap(),
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

fn sha512_of_files(c: &mut Criterion) {
    let files: Vec<Vec<u8>> = (0..1000).map(|i| vec![(i % 251) as u8; 2048 + i * 7]).collect();
    let bytes: usize = files.iter().map(Vec::len).sum();
    let mut group = c.benchmark_group("sha512");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("1000_files", |b| {
        b.iter(|| files.iter().map(|file| Sha512::digest(file)[0]).fold(0u8, u8::wrapping_add))
    });
    group.finish();
}

fn batched_index_read(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let store = StoreDir::new(dir.path());
    let rows = filled_store(&store, 500, 20);
    let keys: Vec<String> =
        (0..rows.len()).map(|i| format!("sha512-key{i:05}\tbench-{i}@1.0.0")).collect();
    StoreIndex::open(&store).unwrap().set_many(keys.iter().cloned().zip(rows)).unwrap();
    let mut group = c.benchmark_group("index_read");
    group.throughput(Throughput::Elements(keys.len() as u64));
    group.bench_function("500_rows_query_and_parallel_decode", |b| {
        b.iter(|| {
            let index = StoreIndex::open_readonly(&store).unwrap().unwrap();
            let raw = index.get_many_raw(&keys).unwrap();
            raw.par_iter()
                .map(|(_, bytes)| decode_package_files_index(bytes).unwrap().files.len())
                .sum::<usize>()
        })
    });
    group.finish();
}

fn link_10k_files(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let store = StoreDir::new(dir.path().join("store"));
    let rows = filled_store(&store, 100, 100);
    let mut group = c.benchmark_group("import");
    group.throughput(Throughput::Elements(10_000));
    group.sample_size(10);
    group.bench_function("10k_files_hardlinked_in_parallel", |b| {
        b.iter_batched(
            || tempfile::tempdir_in(dir.path()).unwrap(),
            |target| {
                rows.par_iter().enumerate().for_each(|(i, row)| {
                    let to: PathBuf = target.path().join(format!("p{i}/node_modules/pkg"));
                    store.import_package(row, &to, ImportOptions::default()).unwrap();
                });
                target
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

fn lockfile_parse(c: &mut Criterion) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/fixtures/alotta-files/pnpm-lock.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut group = c.benchmark_group("lockfile");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("parse_alotta_files", |b| {
        b.iter(|| Lockfile::from_str(&text, &path).unwrap())
    });
    group.finish();
}

criterion_group!(
    benches,
    tarball_into_store,
    sha512_of_files,
    batched_index_read,
    link_10k_files,
    lockfile_parse
);
criterion_main!(benches);
