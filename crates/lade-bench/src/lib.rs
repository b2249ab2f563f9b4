//! Synthetic inputs shared by lade's micro-benchmarks (see `benches/micro.rs`).

use lade_store::{PackageFilesIndex, StoreDir};
use lade_test_registry::TarballBuilder;

/// A package tarball shaped like a typical npm package: `files` source files of a few KB spread
/// over a handful of directories, plus a package.json.
pub fn package_tarball(seed: usize, files: usize) -> Vec<u8> {
    let mut builder = TarballBuilder::new().file(
        "package/package.json",
        format!(r#"{{"name":"bench-{seed}","version":"1.0.0","main":"lib/index.js"}}"#),
    );
    for i in 0..files {
        let dir = ["lib", "lib/util", "dist", "dist/esm", "src"][i % 5];
        let body =
            format!("// {seed}/{i}\n{}", "module.exports = function () {};\n".repeat(40 + i % 60));
        builder = builder.file(format!("package/{dir}/file{i}.js"), body);
    }
    builder.build()
}

/// A store holding `packages` synthetic packages of `files_per_package` files each, with their
/// rows; returns the rows in insertion order.
pub fn filled_store(
    store: &StoreDir,
    packages: usize,
    files_per_package: usize,
) -> Vec<PackageFilesIndex> {
    (0..packages)
        .map(|seed| {
            store.add_tarball(&package_tarball(seed, files_per_package)).map(|added| added.index)
        })
        .collect::<Result<_, _>>()
        .unwrap_or_else(|error| panic!("filling the bench store failed: {error}"))
}
