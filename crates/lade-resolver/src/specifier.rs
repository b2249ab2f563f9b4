//! What a dependency specifier asks for, as pnpm's resolvers read it.

use lade_types::PkgName;

use crate::semver;

/// `version-selector-type`: an exact version, a range, or a dist-tag, each normalized.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Selector {
    Version(String),
    Range(String),
    Tag(String),
}

impl Selector {
    /// `None` for text that is none of the three (a URL, a path, …).
    pub(crate) fn parse(text: &str) -> Option<Selector> {
        if let Some(version) = semver::valid(text, true) {
            return Some(Selector::Version(version));
        }
        if let Some(range) = semver::normalize(text, true) {
            return Some(Selector::Range(range));
        }
        is_uri_component(text).then(|| Selector::Tag(text.to_owned()))
    }
}

/// Whether `encodeURIComponent` would leave `text` unchanged.
fn is_uri_component(text: &str) -> bool {
    text.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&b))
}

/// A dependency as its specifier directs it to be resolved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Wanted {
    /// From the registry: `^1.2.0`, `latest`, `npm:real-name@^1`.
    Registry { name: PkgName, selector: Selector },
    /// `workspace:<range>`, `workspace:<name>@<range>`.
    Workspace { name: PkgName, selector: Selector },
    /// `link:<path>`: a symlink to a directory, relative to the declaring project.
    Link { path: String },
    /// `catalog:` or `catalog:<name>`.
    Catalog { catalog: String },
    /// git repositories and tarball URLs (pnpm's exotic dependencies), which lade does not
    /// resolve yet.
    Exotic,
    /// `file:`, `jsr:` and other protocols lade does not resolve yet.
    Unsupported,
}

impl Wanted {
    /// Reads `specifier` of the dependency `alias`; `None` when it is not valid at all.
    pub(crate) fn parse(alias: &PkgName, specifier: &str) -> Option<Wanted> {
        if let Some(rest) = specifier.strip_prefix("catalog:") {
            let catalog = if rest.is_empty() { "default" } else { rest };
            return Some(Wanted::Catalog { catalog: catalog.to_owned() });
        }
        if let Some(path) = specifier.strip_prefix("link:") {
            return Some(Wanted::Link { path: path.to_owned() });
        }
        if let Some(rest) = specifier.strip_prefix("workspace:") {
            return workspace(alias, rest);
        }
        if is_exotic(specifier) {
            return Some(Wanted::Exotic);
        }
        if ["file:", "jsr:", ".", "/", "~/"].iter().any(|p| specifier.starts_with(p))
            || specifier.contains('/') && !specifier.starts_with("npm:")
        {
            return Some(Wanted::Unsupported);
        }
        let (name, range) = npm_alias(alias, specifier)?;
        Some(Wanted::Registry { name, selector: Selector::parse(range)? })
    }
}

/// What pnpm's git and tarball resolvers take: git URLs, hosted-git shortcuts (`github:u/r`,
/// `u/r`) and `http(s):` URLs.
fn is_exotic(specifier: &str) -> bool {
    const PREFIXES: [&str; 10] = [
        "git+",
        "git:",
        "git@",
        "ssh:",
        "github:",
        "gitlab:",
        "bitbucket:",
        "gist:",
        "http:",
        "https:",
    ];
    if PREFIXES.iter().any(|p| specifier.starts_with(p)) {
        return true;
    }
    let shortcut = specifier.split('#').next().unwrap_or_default();
    !specifier.starts_with(['.', '/', '@'])
        && !specifier.starts_with("~/")
        && !specifier.contains(':')
        && shortcut.split('/').count() == 2
        && shortcut.split('/').all(|part| !part.is_empty())
}

/// `npm:name@range` → (name, range); any other specifier is a range of `alias` itself.
fn npm_alias<'a>(alias: &PkgName, specifier: &'a str) -> Option<(PkgName, &'a str)> {
    let Some(rest) = specifier.strip_prefix("npm:") else {
        return Some((alias.clone(), specifier));
    };
    match rest.rfind('@') {
        Some(at) if at >= 1 => Some((PkgName::parse(&rest[..at]).ok()?, &rest[at + 1..])),
        _ => Some((PkgName::parse(rest).ok()?, "latest")),
    }
}

/// pnpm's `workspacePrefToNpm`: `^`, `~` and an empty range mean any version.
fn workspace(alias: &PkgName, rest: &str) -> Option<Wanted> {
    let (name, version) = match rest.rfind('@') {
        Some(at) if at >= 1 && !rest.starts_with(['.', '_', '/']) => {
            (PkgName::parse(&rest[..at]).ok()?, &rest[at + 1..])
        }
        _ => (alias.clone(), rest),
    };
    let version = if matches!(version, "^" | "~" | "") { "*" } else { version };
    if version.starts_with('.') {
        return Some(Wanted::Unsupported);
    }
    Some(Wanted::Workspace { name, selector: Selector::parse(version)? })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(text: &str) -> PkgName {
        PkgName::parse(text).unwrap()
    }

    #[test]
    fn reads_registry_specifiers() {
        let range = |r: &str| Selector::Range(r.to_owned());
        assert_eq!(
            Wanted::parse(&name("a"), "^1.0.0"),
            Some(Wanted::Registry { name: name("a"), selector: range(">=1.0.0 <2.0.0-0") })
        );
        assert_eq!(
            Wanted::parse(&name("a"), "npm:@s/b@1.0.0"),
            Some(Wanted::Registry {
                name: name("@s/b"),
                selector: Selector::Version("1.0.0".into())
            })
        );
        assert_eq!(
            Wanted::parse(&name("a"), "npm:b"),
            Some(Wanted::Registry { name: name("b"), selector: Selector::Tag("latest".into()) })
        );
        assert_eq!(
            Wanted::parse(&name("a"), "next"),
            Some(Wanted::Registry { name: name("a"), selector: Selector::Tag("next".into()) })
        );
        assert_eq!(Wanted::parse(&name("a"), "not a range!"), None);
    }

    #[test]
    fn reads_protocols() {
        assert_eq!(
            Wanted::parse(&name("a"), "workspace:^"),
            Some(Wanted::Workspace { name: name("a"), selector: Selector::Range("*".into()) })
        );
        assert_eq!(
            Wanted::parse(&name("a"), "workspace:b@1.0.0"),
            Some(Wanted::Workspace {
                name: name("b"),
                selector: Selector::Version("1.0.0".into())
            })
        );
        assert_eq!(
            Wanted::parse(&name("a"), "catalog:"),
            Some(Wanted::Catalog { catalog: "default".into() })
        );
        assert_eq!(
            Wanted::parse(&name("a"), "link:../a"),
            Some(Wanted::Link { path: "../a".into() })
        );
        for exotic in [
            "github:u/r",
            "u/r#main",
            "git+https://host.example.test/r.git",
            "git@host.example.test:u/r.git",
            "https://host.example.test/a-1.0.0.tgz",
        ] {
            assert_eq!(Wanted::parse(&name("a"), exotic), Some(Wanted::Exotic), "{exotic}");
        }
        for local in ["file:../a", "./a", "jsr:@s/a", "workspace:./a"] {
            assert_eq!(Wanted::parse(&name("a"), local), Some(Wanted::Unsupported), "{local}");
        }
    }
}
