//! Scalar styles as js-yaml's dumper chooses them: plain when the text is safe and would not be
//! read back as another type, else single-quoted; double-quoted when it has unprintable
//! characters; a literal block when it spans lines.

enum Style {
    Plain,
    Single,
    Double,
    Literal,
}

pub(super) fn write(text: &str, level: usize, is_key: bool, in_block: bool) -> String {
    if text.is_empty() {
        return "''".to_owned();
    }
    match choose_style(text, is_key, in_block) {
        Style::Plain => text.to_owned(),
        Style::Single => format!("'{}'", text.replace('\'', "''")),
        Style::Double => format!("\"{}\"", escape(text)),
        Style::Literal => literal(text, 2 * level.max(1)),
    }
}

fn choose_style(text: &str, single_line_only: bool, in_block: bool) -> Style {
    let chars: Vec<char> = text.chars().collect();
    let mut plain = is_plain_safe_first(chars[0]) && is_plain_safe_last(chars[chars.len() - 1]);
    let mut has_line_break = false;
    let mut prev: Option<char> = None;
    for &c in &chars {
        if c == '\n' && !single_line_only {
            has_line_break = true;
        } else if !is_printable(c) {
            return Style::Double;
        }
        plain = plain && is_plain_safe(c, prev, in_block);
        prev = Some(c);
    }
    if !has_line_break {
        return if plain && !is_ambiguous(text) { Style::Plain } else { Style::Single };
    }
    Style::Literal
}

fn is_printable(c: char) -> bool {
    let c = c as u32;
    (0x20..=0x7e).contains(&c)
        || ((0xa1..=0xd7ff).contains(&c) && c != 0x2028 && c != 0x2029)
        || ((0xe000..=0xfffd).contains(&c) && c != 0xfeff)
        || (0x10000..=0x10ffff).contains(&c)
}

fn is_ns_char_or_whitespace(c: char) -> bool {
    is_printable(c) && c != '\u{feff}' && c != '\r' && c != '\n'
}

fn is_whitespace(c: char) -> bool {
    c == ' ' || c == '\t'
}

fn is_plain_safe(c: char, prev: Option<char>, in_block: bool) -> bool {
    let ns_or_ws = is_ns_char_or_whitespace(c);
    let ns = ns_or_ws && !is_whitespace(c);
    let allowed =
        if in_block { ns_or_ws } else { ns_or_ws && !matches!(c, ',' | '[' | ']' | '{' | '}') };
    let prev_is_colon = prev == Some(':');
    (allowed && c != '#' && !prev_is_colon)
        || (prev_is_colon && ns)
        || (c == '#' && prev.is_some_and(|p| is_ns_char_or_whitespace(p) && !is_whitespace(p)))
}

fn is_plain_safe_first(c: char) -> bool {
    is_printable(c)
        && c != '\u{feff}'
        && !is_whitespace(c)
        && !matches!(
            c,
            '-' | '?'
                | ':'
                | ','
                | '['
                | ']'
                | '{'
                | '}'
                | '#'
                | '&'
                | '*'
                | '!'
                | '|'
                | '='
                | '>'
                | '\''
                | '"'
                | '%'
                | '@'
                | '`'
        )
}

fn is_plain_safe_last(c: char) -> bool {
    !is_whitespace(c) && c != ':'
}

/// Whether a plain scalar would be read back as null, a boolean, a number, a timestamp or a merge
/// key under js-yaml's default schema.
fn is_ambiguous(text: &str) -> bool {
    matches!(
        text,
        "~" | "null"
            | "Null"
            | "NULL"
            | "true"
            | "True"
            | "TRUE"
            | "false"
            | "False"
            | "FALSE"
            | "<<"
    ) || is_yaml_int(text)
        || is_yaml_float(text)
        || is_yaml_timestamp(text)
}

fn is_yaml_int(text: &str) -> bool {
    let body = text.strip_prefix(['-', '+']).unwrap_or(text);
    if body == "0" {
        return true;
    }
    let digits_of = |rest: &str, radix: u32| {
        !rest.is_empty()
            && !rest.ends_with('_')
            && rest.chars().any(|c| c != '_')
            && rest.chars().all(|c| c == '_' || c.is_digit(radix))
    };
    if let Some(rest) = body.strip_prefix("0b") {
        return digits_of(rest, 2);
    }
    if let Some(rest) = body.strip_prefix("0x") {
        return digits_of(rest, 16);
    }
    if let Some(rest) = body.strip_prefix("0o") {
        return digits_of(rest, 8);
    }
    !body.starts_with('_') && digits_of(body, 10)
}

/// `^(?:[-+]?[0-9][0-9_]*(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?|\.[0-9_]+(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$`
/// and not ending in `_`.
fn is_yaml_float(text: &str) -> bool {
    if text.ends_with('_') {
        return false;
    }
    if matches!(text, ".nan" | ".NaN" | ".NAN") {
        return true;
    }
    let signed = text.strip_prefix(['-', '+']);
    if matches!(signed.unwrap_or(text), ".inf" | ".Inf" | ".INF") {
        return true;
    }
    let digits = |s: &str| s.bytes().take_while(|b| b.is_ascii_digit() || *b == b'_').count();
    let exponent_ok = |s: &str| match s.strip_prefix(['e', 'E']) {
        None => s.is_empty(),
        Some(exp) => {
            let exp = exp.strip_prefix(['-', '+']).unwrap_or(exp);
            !exp.is_empty() && exp.bytes().all(|b| b.is_ascii_digit())
        }
    };
    if let Some(fraction) = text.strip_prefix('.') {
        let n = digits(fraction);
        return n > 0 && exponent_ok(&fraction[n..]);
    }
    let body = signed.unwrap_or(text);
    if !body.starts_with(|c: char| c.is_ascii_digit()) {
        return false;
    }
    let mut rest = &body[digits(body)..];
    if let Some(fraction) = rest.strip_prefix('.') {
        rest = &fraction[digits(fraction)..];
    }
    exponent_ok(rest)
}

fn is_yaml_timestamp(text: &str) -> bool {
    let b = text.as_bytes();
    let digit = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    if !(digit(0) && digit(1) && digit(2) && digit(3) && b.get(4) == Some(&b'-')) {
        return false;
    }
    if b.len() == 10 && digit(5) && digit(6) && b[7] == b'-' && digit(8) && digit(9) {
        return true;
    }
    is_full_timestamp(&text[5..])
}

/// The part of `YAML_TIMESTAMP_REGEXP` after `YYYY-`:
/// `M{1,2}-D{1,2}([Tt]|[ \t]+)h{1,2}:mm:ss(\.f*)?([ \t]*(Z|[-+]h{1,2}(:mm)?))?`.
fn is_full_timestamp(rest: &str) -> bool {
    fn take_digits(s: &str, min: usize, max: usize) -> Option<&str> {
        let n = s.bytes().take(max).take_while(u8::is_ascii_digit).count();
        (n >= min).then(|| &s[n..])
    }
    let parse = || -> Option<()> {
        let s = take_digits(rest, 1, 2)?.strip_prefix('-')?;
        let s = take_digits(s, 1, 2)?;
        let s = match s.strip_prefix(['T', 't']) {
            Some(s) => s,
            None => {
                let trimmed = s.trim_start_matches([' ', '\t']);
                (trimmed.len() < s.len()).then_some(trimmed)?
            }
        };
        let s = take_digits(s, 1, 2)?.strip_prefix(':')?;
        let s = take_digits(s, 2, 2)?.strip_prefix(':')?;
        let mut s = take_digits(s, 2, 2)?;
        if let Some(fraction) = s.strip_prefix('.') {
            s = fraction.trim_start_matches(|c: char| c.is_ascii_digit());
        }
        let s = s.trim_start_matches([' ', '\t']);
        if s.is_empty() || s == "Z" {
            return Some(());
        }
        let s = take_digits(s.strip_prefix(['-', '+'])?, 1, 2)?;
        let s = match s.strip_prefix(':') {
            Some(minutes) => take_digits(minutes, 2, 2)?,
            None => s,
        };
        s.is_empty().then_some(())
    };
    parse().is_some()
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\0' => out.push_str("\\0"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{b}' => out.push_str("\\v"),
            '\u{c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            '\u{1b}' => out.push_str("\\e"),
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{85}' => out.push_str("\\N"),
            '\u{a0}' => out.push_str("\\_"),
            '\u{2028}' => out.push_str("\\L"),
            '\u{2029}' => out.push_str("\\P"),
            c if is_printable(c) => out.push(c),
            c if (c as u32) <= 0xff => out.push_str(&format!("\\x{:02X}", c as u32)),
            c => out.push_str(&format!("\\u{:04X}", c as u32)),
        }
    }
    out
}

/// `|` block: an indentation indicator when the text starts with spaces, and `-`/`+` chomping
/// for a missing or repeated final newline.
fn literal(text: &str, indent: usize) -> String {
    let needs_indicator = text.trim_start_matches('\n').starts_with(' ');
    let clip = text.ends_with('\n');
    let keep = clip && (text.ends_with("\n\n") || text == "\n");
    let mut out = String::from("|");
    if needs_indicator {
        out.push('2');
    }
    out.push_str(if keep {
        "+"
    } else if clip {
        ""
    } else {
        "-"
    });
    out.push('\n');
    let pad = " ".repeat(indent);
    for line in text.split_inclusive('\n') {
        if line != "\n" {
            out.push_str(&pad);
        }
        out.push_str(line);
    }
    if out.ends_with('\n') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain_block(text: &str) -> String {
        write(text, 1, false, true)
    }

    #[test]
    fn quotes_what_js_yaml_quotes() {
        for (text, expected) in [
            ("9.0", "'9.0'"),
            ("1.2.3", "1.2.3"),
            ("^1.2.0", "^1.2.0"),
            (">= 0.6", "'>= 0.6'"),
            ("@babel/core", "'@babel/core'"),
            ("catalog:", "'catalog:'"),
            ("workspace:*", "workspace:*"),
            ("link:../core", "link:../core"),
            ("1000", "'1000'"),
            ("0x1F", "'0x1F'"),
            ("1e3", "'1e3'"),
            ("true", "'true'"),
            ("yes", "yes"),
            ("null", "'null'"),
            ("~", "'~'"),
            ("2024-01-02", "'2024-01-02'"),
            ("2024-01-02T03:04:05.123Z", "'2024-01-02T03:04:05.123Z'"),
            ("*", "'*'"),
            ("a #b", "'a #b'"),
            ("a#b", "a#b"),
            ("a: b", "'a: b'"),
            ("it's", "it's"),
            ("'x", "'''x'"),
            ("x ", "'x '"),
            ("", "''"),
            ("tab\there", "\"tab\\there\""),
            ("1.0.0 || 2", "1.0.0 || 2"),
            ("npm: 1.2.8000 || >= 1.4.16", "'npm: 1.2.8000 || >= 1.4.16'"),
        ] {
            assert_eq!(plain_block(text), expected, "{text:?}");
        }
    }

    #[test]
    fn flow_context_quotes_flow_indicators() {
        assert_eq!(write("a,b", 1, true, false), "'a,b'");
        assert_eq!(write("a,b", 1, false, true), "a,b");
        assert_eq!(
            write("^12.17.0 || ^14.13 || >=16.0.0", 1, true, false),
            "^12.17.0 || ^14.13 || >=16.0.0"
        );
    }

    #[test]
    fn multi_line_text_is_a_literal_block() {
        assert_eq!(write("a\nb", 1, false, true), "|-\n  a\n  b");
        assert_eq!(write("a\nb\n", 2, false, true), "|\n    a\n    b");
        assert_eq!(write(" a\n", 1, false, true), "|2\n   a");
        assert_eq!(write("a\nb", 1, true, true), "\"a\\nb\"");
    }
}
