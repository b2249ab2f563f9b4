//! Whether a package may be installed on this machine, by its `os`, `cpu` and `libc` fields, as
//! pnpm 10's config/package-is-installable (`checkPlatform`); and which optional packages an
//! install therefore skips (lockfile/filtering `filterLockfileByImportersAndEngine`).

mod libc_family;

use std::collections::{BTreeSet, HashSet};

pub use libc_family::{Libc, detect_libc};

/// The machine as Node names it (`process.platform`, `process.arch`) plus its C library.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Platform {
    pub os: String,
    pub cpu: String,
    pub libc: Libc,
}

impl Platform {
    /// This process's platform, with the C library detected once per process.
    pub fn current() -> Self {
        Platform {
            os: node_platform().to_owned(),
            cpu: node_arch().to_owned(),
            libc: detect_libc(),
        }
    }
}

/// `supportedArchitectures` from pnpm settings; `current` stands for this machine's value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SupportedArchitectures {
    pub os: Vec<String>,
    pub cpu: Vec<String>,
    pub libc: Vec<String>,
}

impl Default for SupportedArchitectures {
    fn default() -> Self {
        let current = || vec!["current".to_owned()];
        SupportedArchitectures { os: current(), cpu: current(), libc: current() }
    }
}

/// A package's `os`, `cpu` and `libc` lists (`None` when the field is absent, meaning any).
#[derive(Clone, Copy, Debug, Default)]
pub struct PlatformRequirements<'a> {
    pub os: Option<&'a [String]>,
    pub cpu: Option<&'a [String]>,
    pub libc: Option<&'a [String]>,
}

/// pnpm's `checkPlatform`. A `!value` entry excludes, `any` alone allows everything, and libc is
/// not checked when the machine's C library is unknown (not Linux, or undetectable).
pub fn is_installable(
    wanted: &PlatformRequirements<'_>,
    platform: &Platform,
    supported: &SupportedArchitectures,
) -> bool {
    let resolve = |values: &[String], current: &str| -> Vec<String> {
        values.iter().map(|v| if v == "current" { current.to_owned() } else { v.clone() }).collect()
    };
    let os_ok =
        wanted.os.is_none_or(|list| check_list(&resolve(&supported.os, &platform.os), list));
    let cpu_ok =
        wanted.cpu.is_none_or(|list| check_list(&resolve(&supported.cpu, &platform.cpu), list));
    let libc_ok = platform.libc == Libc::Unknown
        || wanted
            .libc
            .is_none_or(|list| check_list(&resolve(&supported.libc, platform.libc.as_str()), list));
    os_ok && cpu_ok && libc_ok
}

/// `checkList`, including its quirk: the exclusion count runs over every supported value, so with
/// two supported values a list of only exclusions never passes.
fn check_list(values: &[String], list: &[String]) -> bool {
    if let [only] = list
        && only == "any"
    {
        return true;
    }
    let mut matched = false;
    let mut excluded_count = 0;
    for value in values {
        for entry in list {
            match entry.strip_prefix('!') {
                Some(excluded) => {
                    if excluded == value {
                        return false;
                    }
                    excluded_count += 1;
                }
                None => matched = matched || entry == value,
            }
        }
    }
    matched || excluded_count == list.len()
}

/// What the skip walk needs to know about a lockfile package.
#[derive(Clone, Debug, Default)]
pub struct PackageFacts<'a> {
    /// The snapshot's `optional: true`.
    pub optional: bool,
    pub requirements: PlatformRequirements<'a>,
    /// Its `engines` are not met here (decided by the caller, which knows the Node version).
    pub unsupported_engine: bool,
    /// Dependency paths of its `dependencies` then (if installed) `optionalDependencies`.
    pub children: Vec<String>,
}

/// The outcome of the skip walk.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct SkipWalk {
    /// Optional packages not installed here (pnpm's `skipped`).
    pub skipped: BTreeSet<String>,
    /// Required packages whose platform or engines are not met: installed anyway, unless
    /// `engine-strict` makes that an error.
    pub incompatible: Vec<String>,
}

/// The optional packages an install skips, walking from `roots` (each importer's
/// `dependencies`, `devDependencies`, `optionalDependencies` in turn) depth-first as pnpm's
/// `pkgAllDeps` does: an optional package that cannot be installed here makes everything first
/// reached through it uninstallable, and of those the optional ones are skipped. A required
/// package that does not fit is still installed, and so are its dependencies.
pub fn skipped_optional_packages<'a>(
    roots: impl IntoIterator<Item = String>,
    facts: impl Fn(&str) -> Option<PackageFacts<'a>>,
    platform: &Platform,
    supported: &SupportedArchitectures,
) -> SkipWalk {
    let mut picked: HashSet<String> = HashSet::new();
    let mut walk = SkipWalk::default();
    let mut frames: Vec<(std::vec::IntoIter<String>, bool)> =
        vec![(roots.into_iter().collect::<Vec<_>>().into_iter(), true)];
    while let Some((pending, parent_installable)) = frames.last_mut() {
        let parent_installable = *parent_installable;
        let Some(dep_path) = pending.next() else {
            frames.pop();
            continue;
        };
        if picked.contains(&dep_path) {
            continue;
        }
        let Some(package) = facts(&dep_path) else { continue };
        let fits = parent_installable
            && !package.unsupported_engine
            && is_installable(&package.requirements, platform, supported);
        if parent_installable && !fits && !package.optional {
            walk.incompatible.push(dep_path.clone());
        }
        let installable = fits || (parent_installable && !package.optional);
        if !installable && package.optional {
            walk.skipped.insert(dep_path.clone());
        }
        picked.insert(dep_path);
        frames.push((package.children.into_iter(), installable));
    }
    walk
}

/// Node's `process.platform` for this build.
fn node_platform() -> &'static str {
    match std::env::consts::OS {
        "macos" => "darwin",
        "windows" => "win32",
        "solaris" | "illumos" => "sunos",
        other => other,
    }
}

/// Node's `process.arch` for this build.
fn node_arch() -> &'static str {
    match std::env::consts::ARCH {
        "x86_64" => "x64",
        "x86" => "ia32",
        "aarch64" => "arm64",
        "loongarch64" => "loong64",
        "powerpc" => "ppc",
        "powerpc64" => "ppc64",
        "mips" if cfg!(target_endian = "little") => "mipsel",
        "mips64" if cfg!(target_endian = "little") => "mips64el",
        other => other,
    }
}

#[cfg(test)]
mod tests;
