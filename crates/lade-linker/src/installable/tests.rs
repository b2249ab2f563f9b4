use std::collections::HashSet;

use super::libc_family::{family_from_command_output, family_from_interpreter, family_from_ldd};
use super::*;
use crate::test_support::{fixture_lockfile, pnpm10_reference, ref_to_dep_path, section, text};

fn strings(values: &[&str]) -> Vec<String> {
    values.iter().map(|v| (*v).to_owned()).collect()
}

fn linux_glibc() -> Platform {
    Platform { os: "linux".into(), cpu: "x64".into(), libc: Libc::Glibc }
}

fn installable(
    os: Option<&[&str]>,
    cpu: Option<&[&str]>,
    libc: Option<&[&str]>,
    platform: &Platform,
    supported: &SupportedArchitectures,
) -> bool {
    let (os, cpu, libc) = (os.map(strings), cpu.map(strings), libc.map(strings));
    let wanted =
        PlatformRequirements { os: os.as_deref(), cpu: cpu.as_deref(), libc: libc.as_deref() };
    is_installable(&wanted, platform, supported)
}

/// config/package-is-installable `checkPlatform` and `checkList`.
#[test]
fn platform_checks_follow_pnpm() {
    let here = linux_glibc();
    let default = SupportedArchitectures::default();
    let check = |os: Option<&[&str]>, cpu: Option<&[&str]>, libc: Option<&[&str]>| {
        installable(os, cpu, libc, &here, &default)
    };
    assert!(check(None, None, None));
    assert!(check(Some(&["linux"]), Some(&["x64", "arm64"]), Some(&["glibc"])));
    assert!(!check(Some(&["darwin"]), None, None));
    assert!(!check(None, Some(&["arm64"]), None));
    assert!(!check(None, None, Some(&["musl"])));
    assert!(check(Some(&["!win32"]), None, None));
    assert!(!check(Some(&["!linux"]), None, None));
    assert!(check(Some(&["any"]), None, None));
    assert!(check(Some(&[]), None, None));
    assert!(!check(Some(&["!win32", "darwin"]), None, None));
    let unknown_libc = Platform { libc: Libc::Unknown, ..linux_glibc() };
    assert!(installable(None, None, Some(&["musl"]), &unknown_libc, &default));
}

#[test]
fn supported_architectures_widen_the_match() {
    let here = linux_glibc();
    let also_mac = SupportedArchitectures {
        os: strings(&["current", "darwin"]),
        ..SupportedArchitectures::default()
    };
    assert!(installable(Some(&["darwin"]), None, None, &here, &also_mac));
    let only_musl =
        SupportedArchitectures { libc: strings(&["musl"]), ..SupportedArchitectures::default() };
    assert!(installable(None, None, Some(&["musl"]), &here, &only_musl));
    assert!(!installable(None, None, Some(&["glibc"]), &here, &only_musl));
    // checkList counts exclusions over every supported value: two values never satisfy `["!x"]`.
    assert!(!installable(Some(&["!win32"]), None, None, &here, &also_mac));
}

/// The four packages pnpm 10 skipped in alotta-files on linux-x64-glibc: fsevents and the
/// optional packages first reached through it.
#[test]
fn alotta_files_skips_what_pnpm10_skipped() {
    let lockfile = fixture_lockfile("alotta-files");
    let packages = section(&lockfile, "packages");
    let snapshots = section(&lockfile, "snapshots");
    let list = |value: Option<&serde_yaml_ng::Value>| -> Option<Vec<String>> {
        Some(value?.as_sequence()?.iter().map(|v| text(v).to_owned()).collect())
    };
    let mut roots = Vec::new();
    for (_, importer) in section(&lockfile, "importers") {
        for group in ["dependencies", "devDependencies", "optionalDependencies"] {
            for (alias, spec) in section(importer, group) {
                roots.extend(ref_to_dep_path(text(spec.get("version").unwrap()), text(alias)));
            }
        }
    }
    let requirements: std::collections::HashMap<String, [Option<Vec<String>>; 3]> = packages
        .iter()
        .map(|(key, package)| {
            (
                text(key).to_owned(),
                [list(package.get("os")), list(package.get("cpu")), list(package.get("libc"))],
            )
        })
        .collect();
    let facts = |dep_path: &str| {
        let snapshot = snapshots.get(dep_path)?;
        let key = lade_types::DepPath::parse(dep_path).ok()?.without_peers().to_owned();
        let [os, cpu, libc] = requirements.get(&key)?;
        let children = ["dependencies", "optionalDependencies"]
            .into_iter()
            .flat_map(|group| section(snapshot, group).iter())
            .filter_map(|(alias, reference)| ref_to_dep_path(text(reference), text(alias)))
            .collect();
        Some(PackageFacts {
            optional: snapshot
                .get("optional")
                .and_then(serde_yaml_ng::Value::as_bool)
                .unwrap_or(false),
            requirements: PlatformRequirements {
                os: os.as_deref(),
                cpu: cpu.as_deref(),
                libc: libc.as_deref(),
            },
            unsupported_engine: false,
            children,
        })
    };
    let walk =
        skipped_optional_packages(roots, facts, &linux_glibc(), &SupportedArchitectures::default());
    let expected: HashSet<String> =
        pnpm10_reference("alotta-files", "skipped.txt").lines().map(str::to_owned).collect();
    assert_eq!(walk.skipped.into_iter().collect::<HashSet<_>>(), expected);
    assert!(walk.incompatible.is_empty());
}

/// pnpm's `pkgAllDeps` keeps a required package that does not fit (it only warns), so the
/// optional packages below it stay; an optional one that does not fit takes its subtree along.
#[test]
fn only_optional_misfits_take_their_subtree_along() {
    fn package<'a>(
        optional: bool,
        os: Option<&'a [String]>,
        unsupported_engine: bool,
        children: &[&str],
    ) -> PackageFacts<'a> {
        PackageFacts {
            optional,
            requirements: PlatformRequirements { os, cpu: None, libc: None },
            unsupported_engine,
            children: children.iter().map(|c| (*c).to_owned()).collect(),
        }
    }
    let darwin = strings(&["darwin"]);
    let darwin = Some(darwin.as_slice());
    let facts = |dep_path: &str| {
        Some(match dep_path {
            "required-mac@1.0.0" => package(false, darwin, false, &["opt-a@1.0.0"]),
            "required-new-node@1.0.0" => package(false, None, true, &["opt-b@1.0.0"]),
            "opt-mac@1.0.0" => package(true, darwin, false, &["opt-c@1.0.0"]),
            "opt-new-node@1.0.0" => package(true, None, true, &["opt-d@1.0.0"]),
            _ => package(true, None, false, &[]),
        })
    };
    let roots = ["required-mac", "required-new-node", "opt-mac", "opt-new-node"]
        .map(|name| format!("{name}@1.0.0"));
    let walk =
        skipped_optional_packages(roots, facts, &linux_glibc(), &SupportedArchitectures::default());
    let skipped: Vec<&str> = walk.skipped.iter().map(String::as_str).collect();
    assert_eq!(skipped, ["opt-c@1.0.0", "opt-d@1.0.0", "opt-mac@1.0.0", "opt-new-node@1.0.0"]);
    assert_eq!(walk.incompatible, ["required-mac@1.0.0", "required-new-node@1.0.0"]);
}

#[test]
fn libc_from_elf_interpreter() {
    let elf = |interpreter: &str| {
        let mut image = vec![0u8; 512];
        image[..6].copy_from_slice(b"\x7fELF\x02\x01");
        image[32..36].copy_from_slice(&64u32.to_le_bytes());
        image[54..56].copy_from_slice(&56u16.to_le_bytes());
        image[56..58].copy_from_slice(&1u16.to_le_bytes());
        image[64..68].copy_from_slice(&3u32.to_le_bytes());
        image[72..76].copy_from_slice(&200u32.to_le_bytes());
        let path = format!("{interpreter}\0");
        image[96..100].copy_from_slice(&(path.len() as u32).to_le_bytes());
        image[200..200 + path.len()].copy_from_slice(path.as_bytes());
        image
    };
    assert_eq!(family_from_interpreter(&elf("/lib/ld-musl-x86_64.so.1")), Some(Libc::Musl));
    assert_eq!(family_from_interpreter(&elf("/lib64/ld-linux-x86-64.so.2")), Some(Libc::Glibc));
    assert_eq!(family_from_interpreter(&elf("/lib/ld.so")), None);
    assert_eq!(family_from_interpreter(b"#!/bin/sh\n"), None);
    let mut truncated = elf("/lib/ld-musl-x86_64.so.1");
    truncated[32..36].copy_from_slice(&4000u32.to_le_bytes());
    assert_eq!(family_from_interpreter(&truncated), None);
}

#[test]
fn libc_from_ldd_and_commands() {
    assert_eq!(family_from_ldd(b"#!/bin/sh\n# musl ldd"), Some(Libc::Musl));
    assert_eq!(family_from_ldd(b"# This file is part of the GNU C Library."), Some(Libc::Glibc));
    assert_eq!(family_from_ldd(b"#!/bin/sh"), None);
    assert_eq!(
        family_from_command_output("glibc 2.36\nldd (Debian GLIBC 2.36-9) 2.36\n"),
        Some(Libc::Glibc)
    );
    assert_eq!(
        family_from_command_output("getconf: unknown variable\nmusl libc (x86_64)\n"),
        Some(Libc::Musl)
    );
    assert_eq!(family_from_command_output("\nmusl libc (x86_64)\n"), Some(Libc::Musl));
    assert_eq!(family_from_command_output(""), None);
}

/// This machine is a glibc Linux, as the test binary's own interpreter says.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[test]
fn detects_this_machine() {
    assert_eq!(detect_libc(), Libc::Glibc);
    assert_eq!(Platform::current().os, "linux");
}
