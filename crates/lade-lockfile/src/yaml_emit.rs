//! A YAML writer that formats exactly as pnpm's lockfile dumper (@zkochan/js-yaml with
//! `blankLines`, `lineWidth: -1`, `noCompatMode`, `noRefs`): block style, except `resolution`,
//! `engines`, `cpu`, `os` and `libc` in flow style, and a blank line between the entries of the
//! root, `importers`, `packages` and `snapshots`.

mod scalar;

use std::borrow::Cow;

/// A value to write. Maps keep the order they are given.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Node<'a> {
    Str(Cow<'a, str>),
    /// A boolean or number, written as its text.
    Raw(Cow<'a, str>),
    Map(Vec<(Cow<'a, str>, Node<'a>)>),
    Seq(Vec<Node<'a>>),
}

/// Keys whose mapping or sequence value is always written on one line.
fn is_single_line_key(key: &str) -> bool {
    matches!(key, "cpu" | "engines" | "os" | "libc")
}

/// Every resolution is written on one line except the multi-part `variations` and `binary` ones.
fn is_single_line(key: Option<&str>, node: &Node) -> bool {
    let Some(key) = key else { return false };
    if is_single_line_key(key) {
        return true;
    }
    key == "resolution"
        && match node {
            Node::Map(entries) => !entries.iter().any(|(k, v)| {
                k == "type" && matches!(v, Node::Str(t) if t == "variations" || t == "binary")
            }),
            _ => false,
        }
}

/// The whole document, with its final newline.
pub(crate) fn dump(root: &Node) -> String {
    let mut out =
        write_node(0, root, Context { block: true, compact: true, is_key: false, key: None });
    out.push('\n');
    out
}

#[derive(Clone, Copy)]
struct Context<'k> {
    block: bool,
    compact: bool,
    is_key: bool,
    /// The mapping key this value belongs to.
    key: Option<&'k str>,
}

fn write_node(level: usize, node: &Node, cx: Context) -> String {
    match node {
        Node::Raw(text) => text.to_string(),
        Node::Str(text) => scalar::write(text, level, cx.is_key, cx.block),
        Node::Map(entries) => {
            let single_line = is_single_line(cx.key, node);
            if cx.block && !entries.is_empty() && !single_line {
                let double_line =
                    level == 0 || matches!(cx.key, Some("packages" | "importers" | "snapshots"));
                write_block_mapping(level, entries, cx.compact, double_line)
            } else {
                write_flow_mapping(level, entries, single_line)
            }
        }
        Node::Seq(items) => {
            let single_line = cx.key.is_some_and(is_single_line_key);
            if cx.block && !items.is_empty() && !single_line {
                write_block_sequence(level, items, cx.compact)
            } else {
                write_flow_sequence(level, items)
            }
        }
    }
}

fn next_line(out: &mut String, level: usize, double_line: bool) {
    out.push('\n');
    if double_line {
        out.push('\n');
    }
    out.extend(std::iter::repeat_n(' ', 2 * level));
}

fn write_block_mapping(
    level: usize,
    entries: &[(Cow<str>, Node)],
    compact: bool,
    double_line: bool,
) -> String {
    let mut out = String::new();
    for (key, value) in entries {
        if !compact || !out.is_empty() {
            next_line(&mut out, level, double_line);
        }
        let key_text = scalar::write(key, level + 1, true, true);
        let explicit = key_text.len() > 1024;
        if explicit {
            out.push_str("? ");
        }
        out.push_str(&key_text);
        if explicit {
            next_line(&mut out, level, false);
        }
        let cx = Context { block: true, compact: explicit, is_key: false, key: Some(key) };
        let value_text = write_node(level + 1, value, cx);
        out.push_str(if value_text.starts_with('\n') { ":" } else { ": " });
        out.push_str(&value_text);
    }
    if out.is_empty() { "{}".to_owned() } else { out }
}

fn write_flow_mapping(level: usize, entries: &[(Cow<str>, Node)], single_line: bool) -> String {
    let mut out = String::from("{");
    for (index, (key, value)) in entries.iter().enumerate() {
        if index > 0 {
            out.push_str(", ");
        }
        let cx = Context { block: false, compact: false, is_key: single_line, key: None };
        let key_text = write_node(level, &Node::Str(Cow::Borrowed(key)), cx);
        if key_text.len() > 1024 {
            out.push_str("? ");
        }
        out.push_str(&key_text);
        out.push_str(": ");
        out.push_str(&write_node(level, value, cx));
    }
    out.push('}');
    out
}

fn write_block_sequence(level: usize, items: &[Node], compact: bool) -> String {
    let mut out = String::new();
    for item in items {
        if !compact || !out.is_empty() {
            next_line(&mut out, level, false);
        }
        let cx = Context { block: true, compact: true, is_key: false, key: None };
        let text = write_node(level + 1, item, cx);
        out.push_str(if text.starts_with('\n') { "-" } else { "- " });
        out.push_str(&text);
    }
    out
}

fn write_flow_sequence(level: usize, items: &[Node]) -> String {
    let cx = Context { block: false, compact: false, is_key: false, key: None };
    let parts: Vec<String> = items.iter().map(|item| write_node(level, item, cx)).collect();
    format!("[{}]", parts.join(", "))
}

#[cfg(test)]
mod tests;
