//! Two packages offering the same command name (pkg-manager/link-bins `deduplicateCommands`,
//! `compareCommandsInConflict`, `preferDirectCmds`).

use std::cmp::Ordering;

use indexmap::IndexMap;

use super::Command;
use crate::js_compat::sort_like_object_keys;

/// One command per name. Within a name the winner is, in turn: the command named like its
/// package; the package whose name sorts last by `localeCompare`; the higher version; the first.
pub fn resolve_conflicts(commands: Vec<Command>) -> Vec<Command> {
    let mut groups: IndexMap<String, Vec<Command>> = IndexMap::new();
    for command in commands {
        groups.entry(command.name.as_str().to_owned()).or_default().push(command);
    }
    let mut groups: Vec<(String, Vec<Command>)> = groups.into_iter().collect();
    sort_like_object_keys(&mut groups, |(name, _)| name.as_str());
    groups
        .into_iter()
        .filter_map(|(_, group)| {
            group
                .into_iter()
                .reduce(|a, b| if compare_in_conflict(&a, &b) == Ordering::Less { b } else { a })
        })
        .collect()
}

/// For an importer's `.bin` filled from its whole `node_modules`: commands of the project's own
/// dependencies, then the others' commands whose names those do not already use.
pub fn prefer_direct_commands(direct: Vec<Command>, hoisted: Vec<Command>) -> Vec<Command> {
    let used: std::collections::HashSet<String> =
        direct.iter().map(|c| c.name.as_str().to_owned()).collect();
    let mut commands = direct;
    commands.extend(hoisted.into_iter().filter(|c| !used.contains(c.name.as_str())));
    commands
}

fn compare_in_conflict(a: &Command, b: &Command) -> Ordering {
    match (a.own_name, b.own_name) {
        (true, false) => return Ordering::Greater,
        (false, true) => return Ordering::Less,
        _ => {}
    }
    if a.package_name != b.package_name {
        return locale_compare(&a.package_name, &b.package_name);
    }
    match (
        node_semver::Version::parse(&a.package_version),
        node_semver::Version::parse(&b.package_version),
    ) {
        (Ok(va), Ok(vb)) => va.cmp(&vb),
        _ => Ordering::Equal,
    }
}

/// `String.prototype.localeCompare` under Node's default ICU collation (CLDR root, en-US), for
/// the ASCII text package names consist of: punctuation and symbols before digits before letters,
/// letters compared case-blind first, then lowercase before uppercase. Characters outside ASCII
/// sort after it by code point.
pub(crate) fn locale_compare(a: &str, b: &str) -> Ordering {
    let primary = |s: &str| s.chars().map(primary_weight).collect::<Vec<u32>>();
    primary(a).cmp(&primary(b)).then_with(|| {
        let tertiary =
            |s: &str| s.chars().map(|c| u8::from(c.is_ascii_uppercase())).collect::<Vec<u8>>();
        tertiary(a).cmp(&tertiary(b))
    })
}

/// ICU root order of printable ASCII, as Node sorts it; letter pairs share a weight.
const ASCII_ORDER: &str = " _-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$0123456789abcdefghijklmnopqrstuvwxyz";

fn primary_weight(c: char) -> u32 {
    let folded = c.to_ascii_lowercase();
    match ASCII_ORDER.find(folded) {
        Some(index) if folded.is_ascii() => index as u32,
        _ => ASCII_ORDER.len() as u32 + c as u32,
    }
}

#[cfg(test)]
mod tests;
