//! What is saved to package.json (and recorded as an importer's specifier) for a dependency
//! resolved to a version: pnpm's `calcSpecifier` with `whichVersionIsPinned`. The new specifier
//! pins as much of the version as the old one did (`^` major, `~` minor, exact patch).

use crate::semver::SemVer;
use crate::specifier::Selector;

/// How much of a version a specifier pins.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PinnedVersion {
    /// `*`: saved like a major pin.
    None,
    Major,
    Minor,
    Patch,
}

/// pnpm's `whichVersionIsPinned`: `None` when the specifier is not a single simple range.
pub fn which_version_is_pinned(specifier: &str) -> Option<PinnedVersion> {
    let spec = specifier.split_once(':').map_or(specifier, |(_, rest)| rest);
    let spec = spec.rsplit_once('@').map_or(spec, |(_, range)| range).trim();
    if spec == "*" {
        return Some(PinnedVersion::None);
    }
    if spec.is_empty() || spec.contains(char::is_whitespace) || spec.contains("||") {
        return None;
    }
    let (operator, version) = match spec.as_bytes()[0] {
        b'^' => (Some('^'), &spec[1..]),
        b'~' => (Some('~'), &spec[1..]),
        b'<' | b'>' | b'=' => return None,
        _ => (None, spec.trim_start_matches('v')),
    };
    let release = version.split(['-', '+']).next().unwrap_or_default();
    let parts: Vec<&str> = release.split('.').collect();
    if parts.is_empty() || parts.len() > 3 || parts.iter().any(|p| p.is_empty()) {
        return None;
    }
    let numeric = |part: &str| part.bytes().all(|b| b.is_ascii_digit() || b"xX*".contains(&b));
    if !parts.iter().all(|p| numeric(p)) {
        return None;
    }
    Some(match (operator, parts.len()) {
        (Some('~'), _) => PinnedVersion::Minor,
        (Some(_), _) => PinnedVersion::Major,
        (None, 3) => PinnedVersion::Patch,
        (None, 2) => PinnedVersion::Minor,
        (None, _) => PinnedVersion::Major,
    })
}

/// pnpm's `calcSpecifier`: the specifier to save for `alias` resolved to `name@version`, given
/// the specifier the manifest had (`previous`) and the one asked for (`wanted`).
pub fn save_specifier(
    alias: &str,
    name: &str,
    previous: Option<&str>,
    wanted: Option<&str>,
    version: &str,
    default_pin: PinnedVersion,
) -> String {
    if let Some(previous) = previous
        && wanted == Some(previous)
        && matches!(Selector::parse(previous), Some(Selector::Tag(_)))
    {
        return previous.to_owned();
    }
    let range = if SemVer::parse(version, false).is_some_and(|v| v.is_prerelease()) {
        version.to_owned()
    } else {
        let pin = previous
            .and_then(which_version_is_pinned)
            .or_else(|| wanted.and_then(which_version_is_pinned))
            .unwrap_or(default_pin);
        match pin {
            PinnedVersion::None | PinnedVersion::Major => format!("^{version}"),
            PinnedVersion::Minor => format!("~{version}"),
            PinnedVersion::Patch => version.to_owned(),
        }
    };
    if alias == name { range } else { format!("npm:{name}@{range}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_pins_like_pnpm() {
        use PinnedVersion::*;
        let cases = [
            ("^1.0.0", Some(Major)),
            ("~1.2.0", Some(Minor)),
            ("1.2.3", Some(Patch)),
            ("1.2", Some(Minor)),
            ("1", Some(Major)),
            ("*", Some(None)),
            ("npm:foo@~2.0.0", Some(Minor)),
            ("workspace:^1.0.0", Some(Major)),
            (">=1.0.0", Option::None),
            ("^1 || ^2", Option::None),
            ("latest", Option::None),
        ];
        for (spec, pin) in cases {
            assert_eq!(which_version_is_pinned(spec), pin, "{spec}");
        }
    }

    /// The specifiers pnpm 10 saved with `pnpm add` / `pnpm update` in the same situations.
    #[test]
    fn saves_like_pnpm() {
        let save =
            |prev, wanted, version, pin| save_specifier("foo", "foo", prev, wanted, version, pin);
        assert_eq!(save(None, Some("^1.0.0"), "1.6.0", PinnedVersion::Major), "^1.6.0");
        assert_eq!(save(None, None, "3.1.0-beta.1", PinnedVersion::Major), "3.1.0-beta.1");
        assert_eq!(save(None, Some("3.0.0"), "3.0.0", PinnedVersion::Major), "3.0.0");
        assert_eq!(save(Some("^1.1.0"), None, "1.1.0", PinnedVersion::Patch), "^1.1.0");
        assert_eq!(save(Some("^1.5.0"), Some("1.0.0"), "1.0.0", PinnedVersion::Major), "^1.0.0");
        assert_eq!(save(Some("~1.0.0"), Some("~1.0.0"), "1.1.0", PinnedVersion::Major), "~1.1.0");
        assert_eq!(save(None, None, "2.0.0", PinnedVersion::Patch), "2.0.0");
        assert_eq!(save(Some("next"), Some("next"), "2.0.0", PinnedVersion::Major), "next");
        assert_eq!(
            save_specifier("a", "b", None, Some("npm:b@^1"), "1.2.0", PinnedVersion::Major),
            "npm:b@^1.2.0"
        );
    }
}
