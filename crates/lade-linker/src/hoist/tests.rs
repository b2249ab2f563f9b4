use std::collections::HashSet;

use lade_types::DepPath;

use super::*;
use crate::test_support::{graph_of_fixture, pnpm10_reference, workspace_packages_of_fixture};

type Record = Vec<(String, Vec<(String, HoistKind)>)>;

fn as_record(hoisted: &HoistedDependencies) -> Record {
    hoisted
        .iter()
        .map(|(dep_path, aliases)| {
            (
                dep_path.to_owned(),
                aliases.iter().map(|(alias, kind)| (alias.clone(), *kind)).collect(),
            )
        })
        .collect()
}

fn pnpm10_record(fixture: &str) -> Record {
    let json = pnpm10_reference(fixture, "hoisted-dependencies.json");
    as_record(&serde_json::from_str(&json).unwrap())
}

fn skipped(fixture: &str) -> HashSet<String> {
    pnpm10_reference(fixture, "skipped.txt").lines().map(str::to_owned).collect()
}

fn hoist_fixture(fixture: &str) -> (DepGraph, Hoisting) {
    hoist_fixture_with(fixture, fixture, &HoistPatterns::default())
}

fn hoist_fixture_with(
    fixture: &str,
    reference: &str,
    patterns: &HoistPatterns,
) -> (DepGraph, Hoisting) {
    let (graph, importers) = graph_of_fixture(fixture, &skipped(reference));
    let workspace = workspace_packages_of_fixture(fixture, &importers);
    let hoisting = hoist(&graph, &importers, &workspace, patterns);
    (graph, hoisting)
}

/// The whole `hoistedDependencies` record pnpm 10 wrote, entry order included, for each fixture.
#[test]
fn hoisted_dependencies_match_pnpm10() {
    for fixture in ["peers", "alotta-files", "small", "workspace"] {
        let (_, hoisting) = hoist_fixture(fixture);
        assert_eq!(as_record(&hoisting.hoisted_dependencies), pnpm10_record(fixture), "{fixture}");
    }
}

/// pnpm 10's `node_modules/.pnpm/node_modules` of the workspace fixture: the three workspace
/// packages by name plus the other importers' dependencies and their dependencies.
#[test]
fn workspace_packages_are_hoisted_by_name_without_claiming_it() {
    let (graph, hoisting) = hoist_fixture("workspace");
    let mut links: Vec<String> = hoisting
        .links
        .iter()
        .map(|link| match link.target {
            HoistTarget::Workspace(i) => format!("{} -> workspace {i}", link.alias),
            HoistTarget::Node(id) => {
                format!("{} -> {}", link.alias, graph.node(id).virtual_store_name)
            }
        })
        .collect();
    links.sort();
    assert_eq!(
        links,
        [
            "@fixture/cli -> workspace 0",
            "@fixture/core -> workspace 1",
            "@fixture/ui -> workspace 2",
            "chalk -> chalk@5.6.2",
            "commander -> commander@12.1.0",
            "js-tokens -> js-tokens@4.0.0",
            "lodash -> lodash@4.18.1",
            "loose-envify -> loose-envify@1.4.0",
            "react -> react@18.3.1",
            "react-dom -> react-dom@18.3.1_react@18.3.1",
            "scheduler -> scheduler@0.23.2",
            "zod -> zod@3.25.76",
        ]
    );
    assert!(hoisting.links.iter().all(|link| link.kind == HoistKind::Private));
    assert_eq!(hoisting.private_aliases_with_bins, [PkgName::parse("loose-envify").unwrap()]);
}

/// pnpm 10 with `public-hoist-pattern[]=*eslint*`, `@types/*`, `!@types/react` (peers) and
/// with `shamefully-hoist=true` (small).
#[test]
fn public_hoisting_matches_pnpm10() {
    let peers = HoistPatterns {
        private: HoistPattern::hoist_everything(),
        public: HoistPattern::new(["*eslint*", "@types/*", "!@types/react"]),
    };
    let (_, hoisting) = hoist_fixture_with("peers", "peers-public", &peers);
    assert_eq!(as_record(&hoisting.hoisted_dependencies), pnpm10_record("peers-public"));
    let shameful = HoistPatterns {
        private: HoistPattern::hoist_everything(),
        public: HoistPattern::hoist_everything(),
    };
    let (_, hoisting) = hoist_fixture_with("small", "small-shameful", &shameful);
    assert_eq!(as_record(&hoisting.hoisted_dependencies), pnpm10_record("small-shameful"));
    assert!(hoisting.links.iter().all(|link| link.kind == HoistKind::Public));
    assert!(hoisting.private_aliases_with_bins.is_empty());
}

#[test]
fn public_pattern_wins_over_private_and_direct_deps_are_never_shadowed() {
    let (graph, importers) = graph_of_fixture("peers", &HashSet::new());
    let patterns = HoistPatterns {
        private: HoistPattern::hoist_everything(),
        public: HoistPattern::new(["*eslint*"]),
    };
    let hoisting = hoist(&graph, &importers, &[], &patterns);
    let public: HashSet<&str> = hoisting
        .links
        .iter()
        .filter(|link| link.kind == HoistKind::Public)
        .map(|link| link.alias.as_str())
        .collect();
    assert!(public.contains("@eslint/eslintrc"));
    assert!(public.contains("@eslint-community/eslint-utils"));
    // Direct dependencies of the root project stay where the importer links them.
    assert!(!public.contains("eslint") && !public.contains("eslint-plugin-react"));
    assert!(public.iter().all(|alias| alias.contains("eslint")));
    assert!(
        hoisting.private_aliases_with_bins.iter().all(|alias| !alias.as_str().contains("eslint"))
    );
}

/// graphWalker's depth is not a breadth-first distance: the first direct dependency's subtree
/// claims nodes level by level before a later sibling's subtree gets its turn. Here `x` is two
/// steps from `b` but gets depth 3 through `a`, so `z` (depth 2) offers alias `y` before `x` does,
/// although `x` sorts first among nodes of equal depth.
#[test]
fn depth_follows_pnpm_graph_walker() {
    let mut graph = DepGraph::new(120);
    let mut add = |name: &str, version: &str| {
        graph.add_node(
            PkgName::parse(name).unwrap(),
            DepPath::parse(&format!("{name}@{version}")).unwrap(),
            false,
        )
    };
    let (a, a1, a2, b, b1) = (
        add("a", "1.0.0"),
        add("a1", "1.0.0"),
        add("a2", "1.0.0"),
        add("b", "1.0.0"),
        add("b1", "1.0.0"),
    );
    let (x, z, y1, y2) =
        (add("x", "1.0.0"), add("z", "1.0.0"), add("y", "1.0.0"), add("y", "2.0.0"));
    let alias = |name: &str| PkgName::parse(name).unwrap();
    for (parent, name, child) in [
        (a, "a1", a1),
        (a1, "a2", a2),
        (a2, "x", x),
        (b, "b1", b1),
        (b1, "x", x),
        (b1, "z", z),
        (x, "y", y1),
        (z, "y", y2),
    ] {
        graph.add_child(parent, alias(name), child);
    }
    let mut root = Importer::new(crate::ImporterId::root());
    root.add_direct(alias("a"), DirectTarget::Node(a));
    root.add_direct(alias("b"), DirectTarget::Node(b));
    let hoisting = hoist(&graph, &[root], &[], &HoistPatterns::default());
    let y = hoisting.links.iter().find(|link| link.alias.as_str() == "y").unwrap();
    assert_eq!(y.target, HoistTarget::Node(y2));
}
