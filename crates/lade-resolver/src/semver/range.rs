use std::fmt;

use regex::Captures;

use super::{SemVer, patterns};

/// A parsed npm range: a union of comparator sets. `*`, `''` and `x` are one set holding the
/// "any" comparator.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Range {
    sets: Vec<Vec<Comparator>>,
    include_prerelease: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Operator {
    Equal,
    Greater,
    GreaterOrEqual,
    Less,
    LessOrEqual,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Comparator {
    /// `None` is npm's `ANY`: the empty comparator that every version passes.
    bound: Option<(Operator, SemVer)>,
}

impl Range {
    /// npm's `new Range(text, { loose, includePrerelease })`; `None` where npm throws.
    pub fn parse(text: &str, loose: bool, include_prerelease: bool) -> Option<Range> {
        let raw = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let mut sets = Vec::new();
        for part in raw.split("||") {
            let set = parse_set(part.trim(), loose, include_prerelease)?;
            if !set.is_empty() {
                sets.push(set);
            }
        }
        if sets.is_empty() {
            return None;
        }
        if sets.len() > 1 {
            let first = sets[0].clone();
            sets.retain(|set| !set[0].is_null());
            if sets.is_empty() {
                sets = vec![first];
            } else if let Some(any) = sets.iter().find(|set| set.len() == 1 && set[0].is_any()) {
                sets = vec![any.clone()];
            }
        }
        Some(Range { sets, include_prerelease })
    }

    /// Whether `version` satisfies the range, with npm's prerelease rule.
    pub fn test(&self, version: &SemVer) -> bool {
        self.sets.iter().any(|set| self.test_set(set, version))
    }

    fn test_set(&self, set: &[Comparator], version: &SemVer) -> bool {
        if !set.iter().all(|comparator| comparator.test(version)) {
            return false;
        }
        if !version.is_prerelease() || self.include_prerelease {
            return true;
        }
        set.iter().any(|comparator| {
            comparator
                .bound
                .as_ref()
                .is_some_and(|(_, bound)| bound.is_prerelease() && bound.same_release(version))
        })
    }

    /// Whether some version could satisfy both ranges: the comparator sets, read as intervals,
    /// overlap. Used to merge the peer ranges several packages ask for.
    pub fn intersect(&self, other: &Range) -> Option<Range> {
        let mut sets = Vec::new();
        for a in &self.sets {
            for b in &other.sets {
                let merged: Vec<Comparator> = a.iter().chain(b).cloned().collect();
                if interval_is_satisfiable(&merged) {
                    sets.push(merged);
                }
            }
        }
        (!sets.is_empty()).then_some(Range { sets, include_prerelease: self.include_prerelease })
    }

    pub fn is_any(&self) -> bool {
        self.sets.iter().any(|set| set.iter().all(Comparator::is_any))
    }
}

/// npm's `validRange`: the normalized range text, `*` for "any".
pub fn normalize(text: &str, loose: bool) -> Option<String> {
    Range::parse(text, loose, false).map(|range| {
        let formatted = range.to_string();
        if formatted.is_empty() { "*".to_owned() } else { formatted }
    })
}

fn interval_is_satisfiable(comparators: &[Comparator]) -> bool {
    let mut lower: Option<(&SemVer, bool)> = None;
    let mut upper: Option<(&SemVer, bool)> = None;
    for comparator in comparators {
        let Some((op, version)) = &comparator.bound else { continue };
        let (is_lower, is_upper, inclusive) = match op {
            Operator::Equal => (true, true, true),
            Operator::Greater => (true, false, false),
            Operator::GreaterOrEqual => (true, false, true),
            Operator::Less => (false, true, false),
            Operator::LessOrEqual => (false, true, true),
        };
        if is_lower
            && lower.is_none_or(|(v, inc)| version > v || (version == v && inc && !inclusive))
        {
            lower = Some((version, inclusive));
        }
        if is_upper
            && upper.is_none_or(|(v, inc)| version < v || (version == v && inc && !inclusive))
        {
            upper = Some((version, inclusive));
        }
    }
    match (lower, upper) {
        (Some((low, low_inclusive)), Some((high, high_inclusive))) => {
            low < high || (low == high && low_inclusive && high_inclusive)
        }
        _ => true,
    }
}

fn parse_set(text: &str, loose: bool, include_prerelease: bool) -> Option<Vec<Comparator>> {
    let hyphen = if loose { patterns::hyphen_loose() } else { patterns::hyphen() };
    let text = hyphen.replace(text, |c: &Captures| hyphen_replace(c, include_prerelease));
    let text = patterns::comparator_trim().replace_all(&text, "$1$2$3");
    let text = patterns::tilde_trim().replace_all(&text, "${1}~");
    let text = patterns::caret_trim().replace_all(&text, "${1}^");
    let desugared: Vec<String> =
        text.split(' ').map(|part| desugar(part, loose, include_prerelease)).collect();
    let joined = desugared.join(" ");
    let gte0 = if include_prerelease { patterns::gte0_pre() } else { patterns::gte0() };
    let mut comparators: Vec<Comparator> = Vec::new();
    for part in joined.split_whitespace().chain(joined.trim().is_empty().then_some("")) {
        let part = gte0.replace(part.trim(), "").into_owned();
        let comparator_pattern =
            if loose { patterns::comparator_loose() } else { patterns::comparator() };
        let Some(captures) = comparator_pattern.captures(&part) else {
            if loose {
                continue;
            }
            return None;
        };
        let comparator = Comparator::from_captures(&captures, loose)?;
        if comparator.is_null() {
            return Some(vec![comparator]);
        }
        if !comparators.contains(&comparator) {
            comparators.push(comparator);
        }
    }
    if comparators.len() > 1 {
        comparators.retain(|c| !c.is_any());
    }
    Some(comparators)
}

/// `parseComparator`: build metadata dropped, then carets, tildes, x-ranges and stars rewritten.
fn desugar(part: &str, loose: bool, include_prerelease: bool) -> String {
    let part = patterns::build().replace(part, "");
    let part = each_word(part.trim(), |w| caret(w, loose, include_prerelease));
    let part = each_word(part.trim(), |w| tilde(w, loose));
    let part = each_word(&part, |w| xrange(w.trim(), loose, include_prerelease));
    patterns::star().replace(part.trim(), "").into_owned()
}

fn each_word(text: &str, f: impl Fn(&str) -> String) -> String {
    let words: Vec<&str> =
        if text.is_empty() { vec![""] } else { text.split_whitespace().collect() };
    words.into_iter().map(f).collect::<Vec<_>>().join(" ")
}

fn is_x(id: Option<&str>) -> bool {
    match id {
        None | Some("") => true,
        Some(id) => id.eq_ignore_ascii_case("x") || id == "*",
    }
}

/// `+id` of JavaScript on a numeric string, plus one.
fn next(id: &str) -> u64 {
    id.parse::<u64>().unwrap_or(0).saturating_add(1)
}

fn group<'t>(captures: &'t Captures, i: usize) -> Option<&'t str> {
    captures.get(i).map(|m| m.as_str())
}

fn caret(word: &str, loose: bool, include_prerelease: bool) -> String {
    let pattern = if loose { patterns::caret_loose() } else { patterns::caret() };
    let z = if include_prerelease { "-0" } else { "" };
    pattern
        .replace(word, |c: &Captures| {
            let (major, minor, patch, pre) = (group(c, 1), group(c, 2), group(c, 3), group(c, 4));
            let (mj, mn, pt) = (major.unwrap_or(""), minor.unwrap_or(""), patch.unwrap_or(""));
            if is_x(major) {
                String::new()
            } else if is_x(minor) {
                format!(">={mj}.0.0{z} <{}.0.0-0", next(mj))
            } else if is_x(patch) {
                if mj == "0" {
                    format!(">={mj}.{mn}.0{z} <{mj}.{}.0-0", next(mn))
                } else {
                    format!(">={mj}.{mn}.0{z} <{}.0.0-0", next(mj))
                }
            } else if let Some(pre) = pre {
                let upper = caret_upper(mj, mn, pt);
                format!(">={mj}.{mn}.{pt}-{pre} {upper}")
            } else if mj == "0" {
                format!(">={mj}.{mn}.{pt}{z} {}", caret_upper(mj, mn, pt))
            } else {
                format!(">={mj}.{mn}.{pt} {}", caret_upper(mj, mn, pt))
            }
        })
        .into_owned()
}

fn caret_upper(major: &str, minor: &str, patch: &str) -> String {
    match (major, minor) {
        ("0", "0") => format!("<0.0.{}-0", next(patch)),
        ("0", _) => format!("<0.{}.0-0", next(minor)),
        _ => format!("<{}.0.0-0", next(major)),
    }
}

fn tilde(word: &str, loose: bool) -> String {
    let pattern = if loose { patterns::tilde_loose() } else { patterns::tilde() };
    pattern
        .replace(word, |c: &Captures| {
            let (major, minor, patch, pre) = (group(c, 1), group(c, 2), group(c, 3), group(c, 4));
            let (mj, mn, pt) = (major.unwrap_or(""), minor.unwrap_or(""), patch.unwrap_or(""));
            if is_x(major) {
                String::new()
            } else if is_x(minor) {
                format!(">={mj}.0.0 <{}.0.0-0", next(mj))
            } else if is_x(patch) {
                format!(">={mj}.{mn}.0 <{mj}.{}.0-0", next(mn))
            } else if let Some(pre) = pre {
                format!(">={mj}.{mn}.{pt}-{pre} <{mj}.{}.0-0", next(mn))
            } else {
                format!(">={mj}.{mn}.{pt} <{mj}.{}.0-0", next(mn))
            }
        })
        .into_owned()
}

fn xrange(word: &str, loose: bool, include_prerelease: bool) -> String {
    let pattern = if loose { patterns::xrange_loose() } else { patterns::xrange() };
    pattern
        .replace(word, |c: &Captures| {
            let whole = group(c, 0).unwrap_or("").to_owned();
            let mut operator = group(c, 1).unwrap_or("").to_owned();
            let (major, minor, patch) = (group(c, 2), group(c, 3), group(c, 4));
            let x_major = is_x(major);
            let x_minor = x_major || is_x(minor);
            let x_patch = x_minor || is_x(patch);
            if operator == "=" && x_patch {
                operator.clear();
            }
            let mut pre = if include_prerelease { "-0" } else { "" };
            let mj = major.unwrap_or("").parse::<u64>().unwrap_or(0);
            let mut mn = minor.unwrap_or("").parse::<u64>().unwrap_or(0);
            if x_major {
                if operator == ">" || operator == "<" { "<0.0.0-0".into() } else { "*".into() }
            } else if !operator.is_empty() && x_patch {
                let mut mj = mj;
                if x_minor {
                    mn = 0;
                }
                if operator == ">" {
                    operator = ">=".into();
                    if x_minor {
                        mj += 1;
                        mn = 0;
                    } else {
                        mn += 1;
                    }
                } else if operator == "<=" {
                    operator = "<".into();
                    if x_minor { mj += 1 } else { mn += 1 }
                }
                if operator == "<" {
                    pre = "-0";
                }
                format!("{operator}{mj}.{mn}.0{pre}")
            } else if x_minor {
                format!(">={mj}.0.0{pre} <{}.0.0-0", mj + 1)
            } else if x_patch {
                format!(">={mj}.{mn}.0{pre} <{mj}.{}.0-0", mn + 1)
            } else {
                whole
            }
        })
        .into_owned()
}

fn hyphen_replace(c: &Captures, include_prerelease: bool) -> String {
    let z = if include_prerelease { "-0" } else { "" };
    let from_text = group(c, 1).unwrap_or("");
    let (fm, fmn, fp, fpre) = (group(c, 2), group(c, 3), group(c, 4), group(c, 5));
    let to_text = group(c, 7).unwrap_or("");
    let (tm, tmn, tp, tpre) = (group(c, 8), group(c, 9), group(c, 10), group(c, 11));
    let from = if is_x(fm) {
        String::new()
    } else if is_x(fmn) {
        format!(">={}.0.0{z}", fm.unwrap_or(""))
    } else if is_x(fp) {
        format!(">={}.{}.0{z}", fm.unwrap_or(""), fmn.unwrap_or(""))
    } else if fpre.is_some() {
        format!(">={from_text}")
    } else {
        format!(">={from_text}{z}")
    };
    let (tmj, tmi, tpa) = (tm.unwrap_or(""), tmn.unwrap_or(""), tp.unwrap_or(""));
    let to = if is_x(tm) {
        String::new()
    } else if is_x(tmn) {
        format!("<{}.0.0-0", next(tmj))
    } else if is_x(tp) {
        format!("<{tmj}.{}.0-0", next(tmi))
    } else if let Some(pre) = tpre {
        format!("<={tmj}.{tmi}.{tpa}-{pre}")
    } else if include_prerelease {
        format!("<{tmj}.{tmi}.{}-0", next(tpa))
    } else {
        format!("<={to_text}")
    };
    format!("{from} {to}").trim().to_owned()
}

impl Comparator {
    fn from_captures(captures: &Captures, loose: bool) -> Option<Comparator> {
        let Some(version) = captures.get(2) else { return Some(Comparator { bound: None }) };
        let version = SemVer::parse(version.as_str(), loose)?;
        let operator = match captures.get(1).map_or("", |m| m.as_str()) {
            "" | "=" => Operator::Equal,
            ">" => Operator::Greater,
            ">=" => Operator::GreaterOrEqual,
            "<" => Operator::Less,
            _ => Operator::LessOrEqual,
        };
        Some(Comparator { bound: Some((operator, version)) })
    }

    fn is_any(&self) -> bool {
        self.bound.is_none()
    }

    fn is_null(&self) -> bool {
        matches!(&self.bound, Some((Operator::Less, v))
            if v.major == 0 && v.minor == 0 && v.patch == 0 && v.prerelease.len() == 1
                && v.prerelease[0] == super::Identifier::Numeric(0))
    }

    fn test(&self, version: &SemVer) -> bool {
        let Some((operator, bound)) = &self.bound else { return true };
        let order = version.cmp(bound);
        match operator {
            Operator::Equal => order.is_eq(),
            Operator::Greater => order.is_gt(),
            Operator::GreaterOrEqual => order.is_ge(),
            Operator::Less => order.is_lt(),
            Operator::LessOrEqual => order.is_le(),
        }
    }
}

impl fmt::Display for Comparator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Some((operator, version)) = &self.bound else { return Ok(()) };
        let operator = match operator {
            Operator::Equal => "",
            Operator::Greater => ">",
            Operator::GreaterOrEqual => ">=",
            Operator::Less => "<",
            Operator::LessOrEqual => "<=",
        };
        write!(f, "{operator}{version}")
    }
}

/// npm's `range.range`: sets joined by `||`, comparators by spaces.
impl fmt::Display for Range {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, set) in self.sets.iter().enumerate() {
            if i > 0 {
                f.write_str("||")?;
            }
            let words: Vec<String> = set.iter().map(|c| c.to_string()).collect();
            f.write_str(words.join(" ").trim())?;
        }
        Ok(())
    }
}
