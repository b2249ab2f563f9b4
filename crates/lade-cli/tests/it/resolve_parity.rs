//! `lade install`, `add`, `remove` and `update` write the same package.json and pnpm-lock.yaml
//! as pnpm 10's commands, step by step, against the same registry. Needs the real pnpm 10.34.9,
//! which `.ci/run` installs and names in `LADE_PNPM10`; elsewhere the test is skipped.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::context::TestContext;
use crate::resolve::catalog;

fn pnpm10() -> Option<PathBuf> {
    match std::env::var_os("LADE_PNPM10") {
        Some(path) => Some(PathBuf::from(path)),
        None if std::env::var("CI").as_deref() == Ok("true") => {
            panic!("CI must set LADE_PNPM10 (see .ci/run)")
        }
        None => {
            eprintln!("LADE_PNPM10 is not set: skipping the comparison with pnpm's commands");
            None
        }
    }
}

fn run_pnpm(pnpm: &Path, context: &TestContext, dir: &Path, args: &[&str]) {
    let root = context.root();
    let output = Command::new(pnpm)
        .args(args)
        .arg("--lockfile-only")
        .arg(format!("--cache-dir={}", root.join("pnpm-cache").display()))
        .current_dir(dir)
        .env("HOME", root.join("home"))
        .env("XDG_CACHE_HOME", root.join("pnpm-cache"))
        .env("XDG_CONFIG_HOME", root.join("home/.config"))
        .env("XDG_DATA_HOME", root.join("pnpm-data"))
        .env("PNPM_CONFIG_MANAGE_PACKAGE_MANAGER_VERSIONS", "false")
        .env("npm_config_manage_package_manager_versions", "false")
        .env_remove("npm_config_registry")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "pnpm {args:?} failed:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn commands_change_files_as_pnpm_does() {
    let Some(pnpm) = pnpm10() else { return };
    let context = TestContext::new(catalog());
    let manifest = "{\n    \"name\": \"app\",\n    \"dependencies\": {\n        \"greet\": \"^1.0.0\",\n        \"plugin\": \"1.0.0\"\n    }\n}";
    context.write("package.json", manifest);
    let reference = context.root().join("pnpm-project");
    std::fs::create_dir_all(&reference).unwrap();
    std::fs::write(reference.join("package.json"), manifest).unwrap();
    std::fs::write(reference.join(".npmrc"), context.read(".npmrc")).unwrap();

    let steps: [&[&str]; 7] = [
        &["install"],
        &["add", "-D", "host@^1.0.0"],
        &["add", "-E", "old"],
        &["add", "-O", "wrapper"],
        &["remove", "greet"],
        &["update", "--latest", "host"],
        &["update"],
    ];
    for step in steps {
        let mut args = step.to_vec();
        args.push("--lockfile-only");
        context.lade(&args).assert_success();
        run_pnpm(&pnpm, &context, &reference, step);
        for file in ["package.json", "pnpm-lock.yaml"] {
            let expected = std::fs::read_to_string(reference.join(file)).unwrap();
            assert_eq!(context.read(file), expected, "{file} after {step:?}");
        }
    }
}
