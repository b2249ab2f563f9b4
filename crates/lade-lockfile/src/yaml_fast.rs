//! A fast reader for the YAML that pnpm writes: block mappings and sequences, one-line flow
//! collections, plain and quoted one-line scalars. Anything else (anchors, tags, multi-line
//! scalars, comments after values, odd indentation) is declined with `None`, and so is any value
//! the deserializer cannot decide; the caller then reads the text with the full YAML parser,
//! which also produces the error messages. Reading the 395 KB alotta-files lockfile (release):
//! 3.3 ms this way, 10 ms through serde_yaml_ng, 7.5 ms of which is its tokenizer alone.

mod de;

use std::borrow::Cow;

pub(crate) use de::from_events;

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Event<'a> {
    MapStart,
    MapEnd,
    SeqStart,
    SeqEnd,
    /// `plain` scalars may read as null, booleans or numbers; quoted ones are always strings.
    Scalar {
        text: Cow<'a, str>,
        plain: bool,
    },
}

/// pnpm's lockfiles nest about six levels deep. Deeper documents are declined, so the full parser
/// (whose recursion limit makes them an error) reads them and no input can exhaust the stack.
const MAX_DEPTH: usize = 64;

struct Line<'a> {
    indent: usize,
    content: &'a str,
}

/// The events of a document in the supported subset, or `None`.
pub(crate) fn parse(text: &str) -> Option<Vec<Event<'_>>> {
    if has_forbidden_characters(text) {
        return None;
    }
    let mut lines = Vec::with_capacity(text.len() / 32);
    for raw in text.split('\n') {
        if raw.contains(['\t', '\r']) {
            return None;
        }
        let indented = raw.trim_start_matches(' ');
        let content = indented.trim_end_matches(' ');
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        lines.push(Line { indent: raw.len() - indented.len(), content });
    }
    let first = lines.first()?;
    if first.indent != 0 || first.content.starts_with("---") || first.content.starts_with("...") {
        return None;
    }
    let mut parser =
        Parser { lines, pos: 0, depth: 0, events: Vec::with_capacity(text.len() / 16) };
    parser.block_node(0)?;
    (parser.pos == parser.lines.len()).then_some(parser.events)
}

/// Characters a YAML stream may not contain (C0 and C1 controls other than tab, line feed,
/// carriage return and NEL; DEL; U+FFFE and U+FFFF): left to the full parser, which reports them.
fn has_forbidden_characters(text: &str) -> bool {
    let control = |b: u8| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || b == 0x7f;
    text.bytes().any(control)
        || (!text.is_ascii()
            && text.chars().any(|c| {
                matches!(c, '\u{80}'..='\u{84}' | '\u{86}'..='\u{9f}' | '\u{fffe}' | '\u{ffff}')
            }))
}

struct Parser<'a> {
    lines: Vec<Line<'a>>,
    pos: usize,
    /// Block collections open around the current line.
    depth: usize,
    events: Vec<Event<'a>>,
}

fn is_seq_item(content: &str) -> bool {
    content == "-" || content.starts_with("- ")
}

impl<'a> Parser<'a> {
    fn current(&self) -> Option<&Line<'a>> {
        self.lines.get(self.pos)
    }

    /// A block mapping or sequence whose lines start at `indent`.
    fn block_node(&mut self, indent: usize) -> Option<()> {
        if self.depth >= MAX_DEPTH {
            return None;
        }
        self.depth += 1;
        let read = if is_seq_item(self.current()?.content) {
            self.block_seq(indent)
        } else {
            self.block_map(indent)
        };
        self.depth -= 1;
        read
    }

    fn block_map(&mut self, indent: usize) -> Option<()> {
        self.events.push(Event::MapStart);
        while let Some(line) = self.current().filter(|line| line.indent == indent) {
            let content = line.content;
            if is_seq_item(content) {
                return None;
            }
            let (key, rest) = split_key(content)?;
            self.events.push(key);
            self.pos += 1;
            if rest.is_empty() {
                self.nested_value(indent, true)?;
            } else {
                inline_value(rest, &mut self.events)?;
            }
        }
        if self.current().is_some_and(|line| line.indent > indent) {
            return None;
        }
        self.events.push(Event::MapEnd);
        Some(())
    }

    fn block_seq(&mut self, indent: usize) -> Option<()> {
        self.events.push(Event::SeqStart);
        while let Some(line) =
            self.current().filter(|line| line.indent == indent && is_seq_item(line.content))
        {
            let item = line.content[1..].trim_start_matches(' ');
            self.pos += 1;
            if item.is_empty() {
                self.nested_value(indent, false)?;
            } else if split_key(item).is_some() {
                // A mapping that starts on the dash line: rare in lockfiles, left to the full parser.
                return None;
            } else {
                inline_value(item, &mut self.events)?;
            }
        }
        if self.current().is_some_and(|line| line.indent > indent) {
            return None;
        }
        self.events.push(Event::SeqEnd);
        Some(())
    }

    /// The value of a key or dash with nothing after it: a deeper block, a sequence at the same
    /// indentation (allowed under a mapping key), or null.
    fn nested_value(&mut self, indent: usize, under_key: bool) -> Option<()> {
        match self.current() {
            Some(next) if next.indent > indent => self.block_node(next.indent),
            Some(next) if under_key && next.indent == indent && is_seq_item(next.content) => {
                self.block_seq(indent)
            }
            _ => {
                self.events.push(Event::Scalar { text: Cow::Borrowed(""), plain: true });
                Some(())
            }
        }
    }
}

/// `key: rest` → the key's event and the text after `: ` (empty when the value is on later lines).
fn split_key(content: &str) -> Option<(Event<'_>, &str)> {
    let (key, after) = match content.as_bytes()[0] {
        b'\'' | b'"' => {
            let (scalar, used) = quoted(content)?;
            (scalar, &content[used..])
        }
        first if is_indicator(first) => return None,
        _ => {
            let colon = find_value_colon(content)?;
            let key = &content[..colon];
            if key.ends_with(' ') || key.contains(" #") {
                return None;
            }
            (Event::Scalar { text: Cow::Borrowed(key), plain: true }, &content[colon..])
        }
    };
    let rest = after.strip_prefix(':')?;
    if !rest.is_empty() && !rest.starts_with(' ') {
        return None;
    }
    Some((key, rest.trim_start_matches(' ')))
}

/// The first `:` followed by a space or the end of the line.
fn find_value_colon(content: &str) -> Option<usize> {
    let bytes = content.as_bytes();
    (0..bytes.len()).find(|&i| bytes[i] == b':' && bytes.get(i + 1).is_none_or(|b| *b == b' '))
}

fn is_indicator(byte: u8) -> bool {
    matches!(
        byte,
        b'-' | b'?'
            | b':'
            | b','
            | b'['
            | b']'
            | b'{'
            | b'}'
            | b'#'
            | b'&'
            | b'*'
            | b'!'
            | b'|'
            | b'>'
            | b'%'
            | b'@'
            | b'`'
    )
}

/// The rest of a line after `key: ` or `- `.
fn inline_value<'a>(text: &'a str, events: &mut Vec<Event<'a>>) -> Option<()> {
    match text.as_bytes()[0] {
        b'{' | b'[' => {
            let used = flow_node(text, 0, events, 0)?;
            (used == text.len()).then_some(())
        }
        b'\'' | b'"' => {
            let (scalar, used) = quoted(text)?;
            events.push(scalar);
            (used == text.len()).then_some(())
        }
        first if is_indicator(first) => None,
        _ => {
            if text.contains(" #") || text.contains(": ") || text.ends_with(':') {
                return None;
            }
            events.push(Event::Scalar { text: Cow::Borrowed(text), plain: true });
            Some(())
        }
    }
}

fn skip_spaces(text: &str, mut at: usize) -> usize {
    while text.as_bytes().get(at) == Some(&b' ') {
        at += 1;
    }
    at
}

/// A flow collection or scalar starting at `at`, inside `depth` flow collections; returns where
/// it ends.
fn flow_node<'a>(
    text: &'a str,
    at: usize,
    events: &mut Vec<Event<'a>>,
    depth: usize,
) -> Option<usize> {
    if depth >= MAX_DEPTH {
        return None;
    }
    let bytes = text.as_bytes();
    match *bytes.get(at)? {
        open @ (b'{' | b'[') => {
            let is_map = open == b'{';
            let close = if is_map { b'}' } else { b']' };
            events.push(if is_map { Event::MapStart } else { Event::SeqStart });
            let mut pos = skip_spaces(text, at + 1);
            if bytes.get(pos) == Some(&close) {
                events.push(if is_map { Event::MapEnd } else { Event::SeqEnd });
                return Some(pos + 1);
            }
            loop {
                pos = flow_node(text, pos, events, depth + 1)?;
                if is_map {
                    pos = skip_spaces(text, pos);
                    if bytes.get(pos) != Some(&b':') {
                        return None;
                    }
                    pos = flow_node(text, skip_spaces(text, pos + 1), events, depth + 1)?;
                }
                pos = skip_spaces(text, pos);
                match bytes.get(pos)? {
                    b',' => pos = skip_spaces(text, pos + 1),
                    b if *b == close => {
                        events.push(if is_map { Event::MapEnd } else { Event::SeqEnd });
                        return Some(pos + 1);
                    }
                    _ => return None,
                }
            }
        }
        b'\'' | b'"' => {
            let (scalar, used) = quoted(&text[at..])?;
            events.push(scalar);
            Some(at + used)
        }
        first if is_indicator(first) => None,
        _ => {
            let end = (at..bytes.len())
                .find(|&i| {
                    matches!(bytes[i], b',' | b'[' | b']' | b'{' | b'}')
                        || (bytes[i] == b':'
                            && bytes
                                .get(i + 1)
                                .is_none_or(|b| matches!(b, b' ' | b',' | b']' | b'}')))
                        || (bytes[i] == b'#' && bytes[i - 1] == b' ')
                })
                .unwrap_or(bytes.len());
            let scalar = text[at..end].trim_end_matches(' ');
            if scalar.is_empty() || bytes.get(end) == Some(&b'#') {
                return None;
            }
            events.push(Event::Scalar { text: Cow::Borrowed(scalar), plain: true });
            Some(end)
        }
    }
}

/// A single- or double-quoted scalar at the start of `text`, and its length with the quotes.
fn quoted(text: &str) -> Option<(Event<'_>, usize)> {
    let quote = text.as_bytes()[0];
    let body = &text[1..];
    if quote == b'\'' {
        let mut value = String::new();
        let mut rest = body;
        loop {
            let at = rest.find('\'')?;
            value.push_str(&rest[..at]);
            if rest.as_bytes().get(at + 1) == Some(&b'\'') {
                value.push('\'');
                rest = &rest[at + 2..];
            } else {
                let used = text.len() - rest.len() + at + 1;
                let text = if value.len() == used - 2 {
                    Cow::Borrowed(&text[1..used - 1])
                } else {
                    Cow::Owned(value)
                };
                return Some((Event::Scalar { text, plain: false }, used));
            }
        }
    }
    let mut value = String::new();
    let mut chars = body.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((Event::Scalar { text: Cow::Owned(value), plain: false }, i + 2)),
            '\\' => value.push(match chars.next()?.1 {
                '0' => '\0',
                'a' => '\u{7}',
                'b' => '\u{8}',
                't' => '\t',
                'n' => '\n',
                'v' => '\u{b}',
                'f' => '\u{c}',
                'r' => '\r',
                'e' => '\u{1b}',
                ' ' => ' ',
                '"' => '"',
                '/' => '/',
                '\\' => '\\',
                'N' => '\u{85}',
                '_' => '\u{a0}',
                'L' => '\u{2028}',
                'P' => '\u{2029}',
                kind @ ('x' | 'u' | 'U') => {
                    let digits = match kind {
                        'x' => 2,
                        'u' => 4,
                        _ => 8,
                    };
                    let hex: String = chars.by_ref().take(digits).map(|(_, c)| c).collect();
                    let code =
                        u32::from_str_radix(&hex, 16).ok().filter(|_| hex.len() == digits)?;
                    char::from_u32(code)?
                }
                _ => return None,
            }),
            c => value.push(c),
        }
    }
    None
}

#[cfg(test)]
mod tests;
