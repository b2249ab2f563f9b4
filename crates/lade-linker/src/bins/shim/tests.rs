use std::path::{Path, PathBuf};

use super::*;

fn program(program: &str, args: &str) -> ScriptRuntime {
    ScriptRuntime::Program { program: program.to_owned(), args: args.to_owned() }
}

/// Expected values from cmd-shim's regex run under Node on the same inputs.
#[test]
fn runtime_from_shebang_like_cmd_shim() {
    let js = Path::new("bin/x");
    let table = [
        ("#!/usr/bin/env node", program("node", "")),
        (
            "#!/usr/bin/env -S node --experimental-vm-modules",
            program("node", " --experimental-vm-modules"),
        ),
        ("#!/bin/sh", program("/bin/sh", "")),
        ("#! /usr/bin/env  node  --harmony ", program("node", "  --harmony")),
        ("\n\n  #!/usr/bin/env node\r\nconsole.log(1)", program("node", "")),
        ("\u{FEFF}#!/usr/bin/env node\n", program("node", "")),
        ("#!/usr/bin/env", program("/usr/bin/env", "")),
        ("#!/usr/bin/envnode", program("node", "")),
        ("#!node\r x", program("node\r", " x")),
        ("#!/usr/bin/env node \r\n", program("node", "")),
        ("#!node x\ry", ScriptRuntime::Direct),
        ("console.log(1)", ScriptRuntime::Direct),
        ("#!", ScriptRuntime::Direct),
        ("#!\u{A0}", ScriptRuntime::Direct),
    ];
    for (content, expected) in table {
        assert_eq!(ScriptRuntime::detect(content, js), expected, "{content:?}");
    }
}

#[test]
fn runtime_from_extension_without_shebang() {
    for (file, expected) in [
        ("a.js", program("node", "")),
        ("a.MJS", program("node", "")),
        ("a.cjs", program("node", "")),
        ("a.cmd", program("cmd", "/C")),
        ("a.bat", program("cmd", "/C")),
        ("a.ps1", program("pwsh", "")),
        ("a.sh", program("sh", "")),
        ("a.py", ScriptRuntime::Direct),
        ("a", ScriptRuntime::Direct),
    ] {
        assert_eq!(ScriptRuntime::detect("echo", Path::new(file)), expected, "{file}");
    }
}

#[test]
fn node_path_of_a_virtual_store_package() {
    let dir =
        Path::new("/p/node_modules/.pnpm/@babel+parser@7.29.14/node_modules/@babel/parser/bin");
    assert_eq!(
        bin_node_paths(dir),
        [
            PathBuf::from(
                "/p/node_modules/.pnpm/@babel+parser@7.29.14/node_modules/@babel/parser/node_modules"
            ),
            PathBuf::from("/p/node_modules/.pnpm/@babel+parser@7.29.14/node_modules"),
        ]
    );
    // A workspace project's own file lies in no node_modules.
    assert!(bin_node_paths(Path::new("/p/packages/cli")).is_empty());
    // A `node_modules` directly inside another is passed over for the outer one.
    assert_eq!(
        bin_node_paths(Path::new("/x/node_modules/node_modules/a")),
        [
            PathBuf::from("/x/node_modules/node_modules/node_modules"),
            PathBuf::from("/x/node_modules")
        ]
    );
}

#[test]
fn node_path_adds_the_hoisting_directory_only_when_hoisting() {
    let target = Path::new("/p/node_modules/.pnpm/a@1.0.0/node_modules/a/cli.js");
    let hoisted = PathBuf::from("/p/node_modules/.pnpm/node_modules");
    assert!(node_path(target, &[]).is_empty());
    assert_eq!(
        node_path(target, std::slice::from_ref(&hoisted)),
        [
            PathBuf::from("/p/node_modules/.pnpm/a@1.0.0/node_modules/a/node_modules"),
            PathBuf::from("/p/node_modules/.pnpm/a@1.0.0/node_modules"),
            hoisted.clone()
        ]
    );
    assert_eq!(
        node_path(Path::new("/p/packages/cli/bin.js"), std::slice::from_ref(&hoisted)),
        [hoisted]
    );
}
