//! Peer dependency issues and their report, drawn as pnpm 10's `renderPeerIssues` draws them: a
//! tree per project from its direct dependencies down to the package with the peer, then the
//! missing peers that should be installed and the conflicting ones.

use indexmap::IndexMap;

use crate::semver::Range;

/// A package on the way from a project to a peer issue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageRef {
    pub name: String,
    pub version: String,
}

/// A peer dependency nobody provides, or one provided in a version outside its range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeerIssue {
    /// The importer id of the project the issue is under.
    pub project: String,
    pub peer: String,
    pub wanted_range: String,
    /// The version found for an unmet peer; `None` for a missing one.
    pub found_version: Option<String>,
    /// The package whose dependency provided the unmet peer; `None` for a direct dependency.
    pub found_in: Option<String>,
    pub optional: bool,
    /// From the project's direct dependency down to the package with the peer.
    pub parents: Vec<PackageRef>,
}

#[derive(Default)]
struct TreeNode {
    issues: Vec<String>,
    children: IndexMap<String, TreeNode>,
}

/// The warning text pnpm prints under "Issues with peer dependencies found"; `None` when there is
/// nothing to report. Missing peers are reported only when required by someone (optional peers
/// that are absent are fine).
pub fn render_peer_issues(issues: &[PeerIssue]) -> Option<String> {
    let mut projects: IndexMap<&str, Vec<&PeerIssue>> = IndexMap::new();
    for issue in issues {
        projects.entry(issue.project.as_str()).or_default().push(issue);
    }
    let mut rendered: Vec<(String, String)> = Vec::new();
    for (project, issues) in projects {
        let (conflicts, intersections) = merge_missing(&issues);
        let mut root = TreeNode::default();
        // pnpm keeps issues by peer name, missing ones before unmet ones.
        let missing = by_peer(issues.iter().copied().filter(|i| i.found_version.is_none()));
        for issue in missing {
            if conflicts.contains(&issue.peer) || intersections.contains_key(&issue.peer) {
                let text =
                    format!("✕ missing peer {}", name_and_range(&issue.peer, &issue.wanted_range));
                add_to_tree(&mut root, &issue.parents, text);
            }
        }
        for issue in by_peer(issues.iter().copied().filter(|i| i.found_version.is_some())) {
            add_to_tree(&mut root, &issue.parents, unmet_message(issue));
        }
        if root.children.is_empty() {
            continue;
        }
        let mut text = String::new();
        draw(&root, project, "", "", &mut text);
        if !conflicts.is_empty() {
            text.push_str(&format!(
                "✕ Conflicting peer dependencies:\n  {}\n",
                conflicts.join("\n  ")
            ));
        }
        if !intersections.is_empty() {
            let wanted: Vec<String> =
                intersections.iter().map(|(name, range)| name_and_range(name, range)).collect();
            text.push_str(&format!(
                "Peer dependencies that should be installed:\n  {}\n",
                wanted.join("\n  ")
            ));
        }
        rendered.push((project.to_owned(), text.trim_end().to_owned()));
    }
    rendered.sort_by(|a, b| a.0.cmp(&b.0));
    let texts: Vec<String> = rendered.into_iter().map(|(_, text)| text).collect();
    (!texts.is_empty()).then(|| texts.join("\n\n"))
}

/// The issues grouped by peer name, names in order of first appearance.
fn by_peer<'a>(issues: impl Iterator<Item = &'a PeerIssue>) -> Vec<&'a PeerIssue> {
    let mut groups: IndexMap<&str, Vec<&PeerIssue>> = IndexMap::new();
    for issue in issues {
        groups.entry(issue.peer.as_str()).or_default().push(issue);
    }
    groups.into_values().flatten().collect()
}

/// pnpm's `mergePeers`: per missing peer that someone requires, one range all askers accept, or
/// a conflict when there is none.
fn merge_missing(issues: &[&PeerIssue]) -> (Vec<String>, IndexMap<String, String>) {
    let mut ranges: IndexMap<&str, Vec<&PeerIssue>> = IndexMap::new();
    for issue in issues.iter().filter(|i| i.found_version.is_none()) {
        ranges.entry(issue.peer.as_str()).or_default().push(issue);
    }
    let mut conflicts = Vec::new();
    let mut intersections = IndexMap::new();
    for (peer, askers) in ranges {
        if askers.iter().all(|a| a.optional) {
            continue;
        }
        let first = &askers[0].wanted_range;
        if askers.iter().all(|a| &a.wanted_range == first) {
            intersections.insert(peer.to_owned(), first.clone());
            continue;
        }
        let merged = askers.iter().try_fold(None::<Range>, |merged, asker| {
            let range = Range::parse(&asker.wanted_range, true, false)?;
            match merged {
                None => Some(Some(range)),
                Some(merged) => merged.intersect(&range).map(Some),
            }
        });
        match merged.flatten() {
            Some(range) => {
                intersections.insert(peer.to_owned(), range.to_string());
            }
            None => conflicts.push(peer.to_owned()),
        }
    }
    (conflicts, intersections)
}

fn unmet_message(issue: &PeerIssue) -> String {
    let found = issue.found_version.as_deref().unwrap_or_default();
    let wanted = name_and_range(&issue.peer, &issue.wanted_range);
    match &issue.found_in {
        Some(package) => format!("✕ unmet peer {wanted}: found {found} in {package}"),
        None => format!("✕ unmet peer {wanted}: found {found}"),
    }
}

/// Ranges with spaces (and `*`) are quoted.
fn name_and_range(name: &str, range: &str) -> String {
    if range.contains(' ') || range == "*" {
        format!("{name}@\"{range}\"")
    } else {
        format!("{name}@{range}")
    }
}

fn add_to_tree(node: &mut TreeNode, parents: &[PackageRef], text: String) {
    let unknown = PackageRef { name: "<unknown>".into(), version: "<unknown>".into() };
    let (first, rest) = match parents.split_first() {
        Some((first, rest)) => (first, rest),
        None => (&unknown, &[][..]),
    };
    let child = node.children.entry(format!("{} {}", first.name, first.version)).or_default();
    if rest.is_empty() {
        child.issues.push(text);
    } else {
        add_to_tree(child, rest, text);
    }
}

/// pnpm's text tree: issues first, then the packages below, with box-drawing connectors.
fn draw(node: &TreeNode, label: &str, connector: &str, prefix: &str, out: &mut String) {
    out.push_str(connector);
    out.push_str(label);
    out.push('\n');
    let items: Vec<(&str, Option<&TreeNode>)> = node
        .issues
        .iter()
        .map(|text| (text.as_str(), None))
        .chain(node.children.iter().map(|(label, child)| (label.as_str(), Some(child))))
        .collect();
    for (index, (label, child)) in items.iter().enumerate() {
        let last = index + 1 == items.len();
        let more = child.is_some_and(|c| !c.issues.is_empty() || !c.children.is_empty());
        let connector =
            format!("{prefix}{}─{} ", if last { '└' } else { '├' }, if more { '┬' } else { '─' });
        let child_prefix = format!("{prefix}{}", if last { "  " } else { "│ " });
        match child {
            Some(child) => draw(child, label, &connector, &child_prefix, out),
            None => {
                out.push_str(&connector);
                out.push_str(label);
                out.push('\n');
            }
        }
    }
}

#[cfg(test)]
mod tests;
