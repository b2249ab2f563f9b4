use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use serde_json::json;

use super::*;
use crate::bins::commands_of_package;
use crate::test_support::pnpm10_reference;

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// Writes `content` as the package's bin file at `real/<file>` and links it from `bins_dir`,
/// the package being seen at `location` (a symlink to `real` when they differ).
fn link_one(
    root: &Path,
    bins_dir: &str,
    location: &str,
    real: &str,
    file: &str,
    content: &str,
    hoisting: bool,
) -> (PathBuf, Vec<BinOutcome>) {
    let (location, real) = (root.join(location), root.join(real));
    std::fs::create_dir_all(real.join(file).parent().unwrap()).unwrap();
    std::fs::write(real.join(file), content).unwrap();
    std::fs::set_permissions(real.join(file), std::fs::Permissions::from_mode(0o644)).unwrap();
    if location != real {
        crate::link_dir(&real, &location).unwrap();
    }
    let manifest = json!({"name": "pkg", "version": "1.0.0", "bin": file});
    let commands = commands_of_package(&manifest, &location, &real, []);
    let extra =
        if hoisting { vec![root.join("node_modules/.pnpm/node_modules")] } else { Vec::new() };
    let bins_dir = root.join(bins_dir);
    let outcomes = link_bins(&bins_dir, commands, &extra).unwrap();
    (bins_dir.join("pkg"), outcomes)
}

/// The shims pnpm 10 wrote (their absolute paths rewritten to this test's directory).
#[test]
fn shims_match_pnpm10_byte_for_byte() {
    let cases = [
        (
            "workspace-root-tsc",
            "/tmp/exp/workspace",
            "node_modules/.bin",
            "node_modules/.pnpm/typescript@5.5.4/node_modules/typescript",
            "node_modules/.pnpm/typescript@5.5.4/node_modules/typescript",
            "bin/tsc",
        ),
        (
            "peers-hoisted-parser",
            "/tmp/lk/peers",
            "node_modules/.pnpm/node_modules/.bin",
            "node_modules/.pnpm/node_modules/@babel/parser",
            "node_modules/.pnpm/@babel+parser@7.29.14/node_modules/@babel/parser",
            "bin/babel-parser.js",
        ),
        (
            "peers-package-parser",
            "/tmp/lk/peers",
            "node_modules/.pnpm/@babel+traverse@7.29.14/node_modules/@babel/traverse/node_modules/.bin",
            "node_modules/.pnpm/@babel+parser@7.29.14/node_modules/@babel/parser",
            "node_modules/.pnpm/@babel+parser@7.29.14/node_modules/@babel/parser",
            "bin/babel-parser.js",
        ),
        (
            "small-shameful-root-mime",
            "/tmp/lk/small-shameful",
            "node_modules/.bin",
            "node_modules/mime",
            "node_modules/.pnpm/mime@1.6.0/node_modules/mime",
            "cli.js",
        ),
    ];
    for (reference, recorded_root, bins_dir, location, real, file) in cases {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().canonicalize().unwrap();
        let (shim, outcomes) = link_one(
            &root,
            bins_dir,
            location,
            real,
            file,
            "#!/usr/bin/env node\nrequire('x')\n",
            true,
        );
        assert_eq!(outcomes.len(), 1, "{reference}");
        let expected =
            pnpm10_reference("shims", reference).replace(recorded_root, &root.to_string_lossy());
        assert_eq!(std::fs::read_to_string(&shim).unwrap(), expected, "{reference}");
        assert_eq!(mode(&shim), 0o755);
        assert_eq!(mode(&root.join(real).join(file)), 0o755);
    }
}

/// Shims cmd-shim 7 generates without NODE_PATH, for targets without a node shebang.
#[test]
fn shims_without_node_path_match_cmd_shim() {
    for (file, content) in [
        ("plain", "echo hi\n"),
        ("tool.sh", "echo\n"),
        ("env-s", "#!/usr/bin/env -S node --experimental-vm-modules\n"),
        ("win.cmd", "@echo off\r\n"),
    ] {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        let (shim, _) =
            link_one(root, ".bin", "pkg", "pkg", &format!("bin/{file}"), content, false);
        let expected = pnpm10_reference("shims", &format!("cmd-shim-{file}"));
        assert_eq!(std::fs::read_to_string(shim).unwrap(), expected, "{file}");
    }
}

#[test]
fn crlf_shebang_is_fixed_without_touching_the_hard_linked_original() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let content = "#!/usr/bin/env node\r\nline2\r\n";
    let (_, outcomes) = link_one(root, ".bin", "pkg", "pkg", "cli.js", content, false);
    assert_eq!(outcomes, [BinOutcome::Linked(BinName::new("pkg").unwrap())]);
    let target = root.join("pkg/cli.js");
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "#!/usr/bin/env node\nline2\r\n");
    assert_eq!(mode(&target), 0o755);

    let (store, linked) = (root.join("store-file"), root.join("linked/cli.js"));
    std::fs::write(&store, content).unwrap();
    std::fs::create_dir_all(linked.parent().unwrap()).unwrap();
    std::fs::hard_link(&store, &linked).unwrap();
    let manifest = json!({"name": "linked", "bin": "cli.js"});
    let commands = commands_of_package(&manifest, &root.join("linked"), &root.join("linked"), []);
    link_bins(&root.join(".bin"), commands, &[]).unwrap();
    assert_eq!(std::fs::read_to_string(&store).unwrap(), content);
    assert_eq!(std::fs::read_to_string(&linked).unwrap(), "#!/usr/bin/env node\nline2\r\n");
}

#[test]
fn missing_targets_are_reported_and_get_no_shim() {
    let tmp = tempfile::tempdir().unwrap();
    let manifest = json!({"name": "pkg", "bin": {"gone": "gone.js", "dir": "."}});
    let location = tmp.path().join("pkg");
    std::fs::create_dir_all(&location).unwrap();
    let commands = commands_of_package(&manifest, &location, &location, []);
    let outcomes = link_bins(&tmp.path().join(".bin"), commands, &[]).unwrap();
    assert_eq!(
        outcomes,
        [
            BinOutcome::TargetMissing(BinName::new("gone").unwrap()),
            BinOutcome::TargetMissing(BinName::new("dir").unwrap())
        ]
    );
    assert!(!tmp.path().join(".bin/gone").exists());
}

#[test]
fn replaces_a_symlink_at_the_shim_name_instead_of_writing_through_it() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let victim = root.join("victim");
    std::fs::write(&victim, "keep").unwrap();
    std::fs::create_dir_all(root.join(".bin")).unwrap();
    std::os::unix::fs::symlink(&victim, root.join(".bin/pkg")).unwrap();
    link_one(root, ".bin", "pkg", "pkg", "cli.js", "#!/usr/bin/env node\n", false);
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep");
    assert!(std::fs::read_to_string(root.join(".bin/pkg")).unwrap().starts_with("#!/bin/sh\n"));
}

#[test]
fn nothing_to_link_creates_no_directory() {
    let tmp = tempfile::tempdir().unwrap();
    assert!(link_bins(&tmp.path().join(".bin"), Vec::new(), &[]).unwrap().is_empty());
    assert!(!tmp.path().join(".bin").exists());
}

#[test]
fn lists_a_modules_directory_like_pnpm() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    for sub in ["a", "@s/b", "@s/.hidden", ".bin", ".pnpm"] {
        std::fs::create_dir_all(dir.join(sub)).unwrap();
    }
    std::fs::write(dir.join("file"), "").unwrap();
    std::fs::write(dir.join("@s/file"), "").unwrap();
    std::os::unix::fs::symlink("a", dir.join("c")).unwrap();
    assert_eq!(
        list_modules_dir(dir).unwrap(),
        Some(vec!["@s/b".to_owned(), "a".to_owned(), "c".to_owned()])
    );
    assert_eq!(list_modules_dir(&dir.join("missing")).unwrap(), None);
}
