use std::collections::HashSet;
use std::path::Path;

use serde_json::Value;

use super::*;
use crate::bins::{commands_of_package, prefer_direct_commands, resolve_conflicts};
use crate::hoist::{HoistPatterns, hoist};
use crate::hoist_pattern::HoistPattern;
use crate::symlink::symlink_target;
use crate::test_support::{graph_of_fixture, pnpm10_reference, workspace_packages_of_fixture};

/// Every shim pnpm 10 wrote for `fixture` as `<.bin dir>\t<name>\t<target relative to the .bin>`,
/// recomputed from the plan and the manifests of the packages with commands.
fn planned_shims(
    fixture: &str,
    reference: &str,
    patterns: &HoistPatterns,
    options: BinsPlanOptions,
) -> Vec<String> {
    let root = Path::new("/project");
    let skipped: HashSet<String> =
        pnpm10_reference(reference, "skipped.txt").lines().map(str::to_owned).collect();
    let (graph, importers) = graph_of_fixture(fixture, &skipped);
    let workspace = workspace_packages_of_fixture(fixture, &importers);
    let hoisting = hoist(&graph, &importers, &workspace, patterns);
    let manifests: serde_json::Map<String, Value> =
        serde_json::from_str(&pnpm10_reference(reference, "bin-manifests.json")).unwrap();
    let layout = Layout::new(root);
    let mut shims = Vec::new();
    for plan in plan_bins(&graph, &importers, &hoisting, &layout, options) {
        let (sources, prefer_direct) = match plan.sources {
            BinsSources::Packages(sources) => (sources, false),
            BinsSources::PreferringDirect(sources) => (sources, true),
            BinsSources::ModulesDir(dir) => panic!("no fixture bundles dependencies: {dir:?}"),
        };
        let (mut direct, mut others) = (Vec::new(), Vec::new());
        for source in sources {
            let key = match source.node {
                Some(id) => graph.node(id).dep_path.without_peers().to_owned(),
                None => {
                    format!("link:{}", source.real_location.strip_prefix(root).unwrap().display())
                }
            };
            let Some(manifest) = manifests.get(&key) else { continue };
            let files: Vec<&str> = manifest
                .get("files")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            let commands =
                commands_of_package(manifest, &source.location, &source.real_location, files);
            if source.is_direct { direct.extend(commands) } else { others.extend(commands) }
        }
        let commands = if prefer_direct {
            prefer_direct_commands(direct, others)
        } else {
            [direct, others].concat()
        };
        for command in resolve_conflicts(commands) {
            let target = symlink_target(&plan.bins_dir.join(command.name.as_str()), &command.path);
            let dir = plan.bins_dir.strip_prefix(root).unwrap().display().to_string();
            shims.push(format!("{dir}\t{}\t{}", command.name, target.display()));
        }
    }
    shims.sort();
    shims
}

fn pnpm10_shims(reference: &str) -> Vec<String> {
    pnpm10_reference(reference, "bin-shims.txt").lines().map(str::to_owned).collect()
}

/// Importer, private-hoisting and per-package `.bin` directories, each command's winner and the
/// path its shim runs, for the peers, alotta-files (with skipped optional dependencies) and
/// workspace (with `link:` projects) fixtures.
#[test]
fn bins_match_pnpm10_layouts() {
    for fixture in ["peers", "alotta-files", "workspace"] {
        let planned =
            planned_shims(fixture, fixture, &HoistPatterns::default(), BinsPlanOptions::default());
        assert_eq!(planned, pnpm10_shims(fixture), "{fixture}");
    }
}

/// With `shamefully-hoist`, the root `.bin` is filled from the whole root `node_modules` and its
/// shims run the packages through their root symlinks.
#[test]
fn shamefully_hoisted_bins_match_pnpm10() {
    let patterns = HoistPatterns {
        private: HoistPattern::hoist_everything(),
        public: HoistPattern::hoist_everything(),
    };
    let options = BinsPlanOptions { public_hoisting: true, dedupe_direct_deps: false };
    assert_eq!(
        planned_shims("small", "small-shameful", &patterns, options),
        pnpm10_shims("small-shameful")
    );
}
