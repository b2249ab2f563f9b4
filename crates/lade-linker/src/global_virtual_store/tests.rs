use std::collections::BTreeSet;
use std::path::PathBuf;

use super::*;
use crate::test_support::{fixture_lockfile, ref_to_dep_path, section, text};

/// What pnpm 12.21.0 created under `<store>/v11/links` installing each shared fixture with
/// `enableGlobalVirtualStore: true` (`find . -mindepth 4 -maxdepth 4 | sort`), on Linux x64 with
/// Node.js 20. `small-builds` lists the slots that changed when `allowBuilds: {debug: true}` was
/// added.
fn recorded_slots(name: &str) -> BTreeSet<String> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/pnpm12-gvs")
        .join(format!("{name}.txt"));
    fs_err::read_to_string(path).unwrap().lines().map(str::to_owned).collect()
}

/// Every snapshot of a fixture's lockfile, as the install hands them to the hasher.
fn fixture_snapshots(fixture: &str, builds: &[&str]) -> Vec<SlotSnapshot> {
    let lockfile = fixture_lockfile(fixture);
    let packages = section(&lockfile, "packages");
    section(&lockfile, "snapshots")
        .iter()
        .map(|(key, snapshot)| {
            let dep_path = DepPath::parse(text(key)).unwrap();
            let package = packages.get(dep_path.without_peers()).unwrap();
            let integrity = text(package.get("resolution").unwrap().get("integrity").unwrap());
            let version = package
                .get("version")
                .map_or_else(|| dep_path.version().to_owned(), |v| text(v).to_owned());
            let mut children = Vec::new();
            for group in ["dependencies", "optionalDependencies"] {
                for (alias, reference) in section(snapshot, group) {
                    let child = ref_to_dep_path(text(reference), text(alias)).unwrap();
                    children.push((
                        PkgName::parse(text(alias)).unwrap(),
                        SlotChild::Snapshot(DepPath::parse(&child).unwrap()),
                    ));
                }
            }
            SlotSnapshot {
                name: PkgName::parse(dep_path.name()).unwrap(),
                version,
                full_pkg_id: format!("{}:{integrity}", dep_path.without_peers()),
                children,
                builds: builds.contains(&dep_path.name()),
                dep_path,
            }
        })
        .collect()
}

fn computed_slots(fixture: &str, builds: &[&str], engine: Option<&str>) -> BTreeSet<String> {
    global_slot_paths(&fixture_snapshots(fixture, builds), engine).unwrap().into_iter().collect()
}

#[test]
fn fixtures_get_the_slots_pnpm12_created() {
    for fixture in ["small", "peers", "workspace", "alotta-files"] {
        let computed = computed_slots(fixture, &[], Some("linux;x64;node20"));
        let recorded = recorded_slots(fixture);
        let missing: Vec<&String> = recorded.difference(&computed).collect();
        assert!(
            missing.is_empty(),
            "{fixture}: pnpm 12 created slots lade does not name: {missing:?}"
        );
        // pnpm creates no slot for optional packages of another platform (fsevents and what only
        // it needs, in alotta-files).
        let extra = computed.len() - recorded.len();
        assert_eq!(extra, if fixture == "alotta-files" { 4 } else { 0 }, "{fixture}");
    }
}

/// The packages whose slot changes when `debug` may build: `debug` itself and everything that
/// depends on it, as pnpm 12 moved them. (pnpm 12.21.0 keys those slots by more than the engine
/// name of pnpm's published algorithm, so only which packages move is compared, not the hashes.)
#[test]
fn packages_that_may_build_and_their_dependents_carry_the_engine() {
    let plain = computed_slots("small", &[], Some("linux;x64;node20"));
    let building = computed_slots("small", &["debug"], Some("linux;x64;node20"));
    let package_of = |slot: &String| slot.rsplit_once('/').map(|(package, _)| package.to_owned());
    let moved: BTreeSet<String> = building.difference(&plain).filter_map(package_of).collect();
    let pnpm_moved: BTreeSet<String> =
        recorded_slots("small-builds").iter().filter_map(package_of).collect();
    assert_eq!(moved, pnpm_moved);
    let without_engine = computed_slots("small", &["debug"], None);
    assert_eq!(without_engine, plain, "an unknown engine hashes as null, like no engine at all");
}

fn snapshot(key: &str, children: &[(&str, &str)]) -> SlotSnapshot {
    let dep_path = DepPath::parse(key).unwrap();
    SlotSnapshot {
        name: PkgName::parse(dep_path.name()).unwrap(),
        version: dep_path.version().to_owned(),
        full_pkg_id: format!("{}:sha512-x", dep_path.without_peers()),
        children: children
            .iter()
            .map(|(alias, child)| {
                (
                    PkgName::parse(alias).unwrap(),
                    SlotChild::Snapshot(DepPath::parse(child).unwrap()),
                )
            })
            .collect(),
        builds: false,
        dep_path,
    }
}

#[test]
fn peer_variants_differ_only_when_their_subgraphs_do() {
    let snapshots = [
        snapshot("plugin@1.0.0(host@1.0.0)", &[("host", "host@1.0.0")]),
        snapshot("plugin@1.0.0(host@2.0.0)", &[("host", "host@2.0.0")]),
        snapshot("host@1.0.0", &[]),
        snapshot("host@2.0.0", &[]),
    ];
    let paths = global_slot_paths(&snapshots, None).unwrap();
    assert!(paths[0].starts_with("@/plugin/1.0.0/") && paths[1].starts_with("@/plugin/1.0.0/"));
    assert_ne!(paths[0], paths[1]);
    let same = [
        snapshot("plugin@1.0.0(host@1.0.0)", &[("host", "host@1.0.0")]),
        snapshot("plugin@1.0.0(host@1.0.0)(extra@1.0.0)", &[("host", "host@1.0.0")]),
        snapshot("host@1.0.0", &[]),
    ];
    let paths = global_slot_paths(&same, None).unwrap();
    assert_eq!(paths[0], paths[1], "the same subgraph shares one slot");
}

#[test]
fn scoped_names_keep_the_four_level_depth() {
    let paths = global_slot_paths(&[snapshot("@scope/tool@1.2.3", &[])], None).unwrap();
    let segments: Vec<&str> = paths[0].split('/').collect();
    assert_eq!(&segments[..3], ["@scope", "tool", "1.2.3"]);
    assert_eq!(segments[3].len(), 64);
}

#[test]
fn a_change_inside_a_cycle_moves_every_member() {
    let cycle = |leaf: &str| {
        let snapshots = [
            snapshot("a@1.0.0", &[("b", "b@1.0.0")]),
            snapshot("b@1.0.0", &[("a", "a@1.0.0"), ("leaf", leaf)]),
            snapshot("leaf@1.0.0", &[]),
            snapshot("leaf@2.0.0", &[]),
        ];
        global_slot_paths(&snapshots, None).unwrap()
    };
    let (before, after) = (cycle("leaf@1.0.0"), cycle("leaf@2.0.0"));
    assert_ne!(before[0], after[0], "a reaches the changed leaf only through the cycle");
    assert_ne!(before[1], after[1]);
}

#[test]
fn members_alike_in_a_cycle_share_a_label_but_not_a_slot_path_with_outsiders() {
    // Two peer variants of one package (same fullPkgId) each depending on the other.
    let snapshots = [
        snapshot("x@1.0.0(p@1.0.0)", &[("y", "x@1.0.0(p@2.0.0)")]),
        snapshot("x@1.0.0(p@2.0.0)", &[("y", "x@1.0.0(p@1.0.0)")]),
    ];
    let paths = global_slot_paths(&snapshots, None).unwrap();
    assert_eq!(paths[0], paths[1], "interchangeable members share one slot");
    let alone = global_slot_paths(&[snapshot("x@1.0.0", &[])], None).unwrap();
    assert_ne!(paths[0], alone[0]);
}

#[test]
fn cycles_and_missing_dependencies_still_hash() {
    let snapshots = [
        snapshot("a@1.0.0", &[("b", "b@1.0.0"), ("peer", "peer@9.9.9")]),
        snapshot("b@1.0.0", &[("a", "a@1.0.0")]),
    ];
    let paths = global_slot_paths(&snapshots, None).unwrap();
    assert_ne!(paths[0], paths[1]);
    let reversed = [snapshots[1].clone(), snapshots[0].clone()];
    let again = global_slot_paths(&reversed, None).unwrap();
    assert_eq!((&again[1], &again[0]), (&paths[0], &paths[1]), "input order does not matter");
}

#[test]
fn a_long_chain_does_not_overflow_the_stack() {
    let depth = 20_000;
    let snapshots: Vec<SlotSnapshot> = (0..depth)
        .map(|i| {
            // The last package closes the chain into one long cycle.
            let child = format!("p{}@1.0.0", (i + 1) % depth);
            let mut built = snapshot(&format!("p{i}@1.0.0"), &[("next", child.as_str())]);
            built.builds = i + 1 == depth;
            built
        })
        .collect();
    let paths = global_slot_paths(&snapshots, Some("linux;x64;node20")).unwrap();
    assert_eq!(paths.len(), depth);
}

#[test]
fn a_version_climbing_out_of_the_store_is_refused() {
    let mut hostile = snapshot("evil@1.0.0", &[]);
    hostile.version = "../../../../etc".to_owned();
    let error = global_slot_paths(&[hostile], None).unwrap_err();
    assert!(matches!(error, LinkerError::UnsafeSlotVersion { .. }), "{error}");
}

#[test]
fn link_dependencies_are_leaves_named_by_their_directory() {
    let with_link = |dir: &str| {
        let mut app = snapshot("app@1.0.0", &[]);
        app.children.push((PkgName::parse("lib").unwrap(), SlotChild::Link(dir.to_owned())));
        global_slot_paths(&[app], None).unwrap().remove(0)
    };
    assert_eq!(with_link("/w/lib"), with_link("/w/lib"));
    assert_ne!(with_link("/w/lib"), with_link("/x/lib"));
}
