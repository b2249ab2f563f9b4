//! The regular expressions of npm's `semver/internal/re.js`, built from the same pieces.

use std::sync::OnceLock;

use regex::Regex;

const NUMERIC: &str = r"0|[1-9]\d*";
const NUMERIC_LOOSE: &str = r"\d+";
const NON_NUMERIC: &str = r"\d*[a-zA-Z-][a-zA-Z0-9-]*";
const BUILD: &str = r"(?:\+([a-zA-Z0-9-]+(?:\.[a-zA-Z0-9-]+)*))";
const GTLT: &str = r"((?:<|>)?=?)";

fn prerelease(loose: bool) -> String {
    let id = if loose {
        format!("(?:{NON_NUMERIC}|{NUMERIC_LOOSE})")
    } else {
        format!("(?:{NON_NUMERIC}|{NUMERIC})")
    };
    let dash = if loose { "-?" } else { "-" };
    format!(r"(?:{dash}({id}(?:\.{id})*))")
}

fn main_version(loose: bool) -> String {
    let n = if loose { NUMERIC_LOOSE } else { NUMERIC };
    format!(r"({n})\.({n})\.({n})")
}

fn full_plain() -> String {
    format!("v?{}{}?{BUILD}?", main_version(false), prerelease(false))
}

fn loose_plain() -> String {
    format!(r"[v=\s]*{}{}?{BUILD}?", main_version(true), prerelease(true))
}

/// `[v=\s]*M(.m(.p(-pre)?(+build)?)?)?` with `x`, `X` or `*` allowed for each number.
fn xrange_plain(loose: bool) -> String {
    let n = if loose { NUMERIC_LOOSE } else { NUMERIC };
    let id = format!(r"{n}|x|X|\*");
    format!(r"[v=\s]*({id})(?:\.({id})(?:\.({id})(?:{})?{BUILD}?)?)?", prerelease(loose))
}

fn compile(pattern: String) -> Regex {
    // The patterns are constants of this module; a failure is a programming error caught by tests.
    Regex::new(&pattern).unwrap_or_else(|error| panic!("invalid semver pattern: {error}"))
}

macro_rules! cached {
    ($name:ident, $build:expr) => {
        pub(crate) fn $name() -> &'static Regex {
            static CELL: OnceLock<Regex> = OnceLock::new();
            CELL.get_or_init(|| compile($build))
        }
    };
}

cached!(full_version, format!("^{}$", full_plain()));
cached!(loose_version, format!("^{}$", loose_plain()));
cached!(hyphen, format!(r"^\s*({})\s+-\s+({})\s*$", xrange_plain(false), xrange_plain(false)));
cached!(hyphen_loose, format!(r"^\s*({})\s+-\s+({})\s*$", xrange_plain(true), xrange_plain(true)));
cached!(comparator_trim, format!(r"(\s*){GTLT}\s*({}|{})", loose_plain(), xrange_plain(false)));
cached!(tilde_trim, r"(\s*)(?:~>?)\s+".to_owned());
cached!(caret_trim, r"(\s*)\^\s+".to_owned());
cached!(tilde, format!(r"^(?:~>?){}$", xrange_plain(false)));
cached!(tilde_loose, format!(r"^(?:~>?){}$", xrange_plain(true)));
cached!(caret, format!(r"^\^{}$", xrange_plain(false)));
cached!(caret_loose, format!(r"^\^{}$", xrange_plain(true)));
cached!(xrange, format!(r"^{GTLT}\s*{}$", xrange_plain(false)));
cached!(xrange_loose, format!(r"^{GTLT}\s*{}$", xrange_plain(true)));
cached!(comparator, format!(r"^{GTLT}\s*({})$|^$", full_plain()));
cached!(comparator_loose, format!(r"^{GTLT}\s*({})$|^$", loose_plain()));
cached!(build, BUILD.to_owned());
cached!(star, r"(<|>)?=?\s*\*".to_owned());
cached!(gte0, r"^\s*>=\s*0\.0\.0\s*$".to_owned());
cached!(gte0_pre, r"^\s*>=\s*0\.0\.0-0\s*$".to_owned());
