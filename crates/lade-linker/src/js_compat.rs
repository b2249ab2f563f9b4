//! The few JavaScript semantics pnpm's layout silently depends on: the order in which object keys
//! are enumerated, UTF-16 string comparison, and what `String.prototype.trim` removes.

use std::cmp::Ordering;

/// Whether `key` is an array index, the kind of property key JavaScript enumerates before all
/// others (ascending by value) regardless of insertion order.
pub(crate) fn is_array_index(key: &str) -> bool {
    let bytes = key.as_bytes();
    match bytes {
        [b'0'] => true,
        [b'1'..=b'9', rest @ ..] if rest.iter().all(u8::is_ascii_digit) => {
            key.parse::<u64>().is_ok_and(|value| value < u64::from(u32::MAX))
        }
        _ => false,
    }
}

/// Reorders `items` (given in insertion order) into the order `Object.entries` would yield
/// for an object built by inserting their keys in that order.
pub(crate) fn sort_like_object_keys<T>(items: &mut [T], key: impl Fn(&T) -> &str) {
    items.sort_by(|a, b| {
        let (a, b) = (key(a), key(b));
        match (is_array_index(a), is_array_index(b)) {
            (true, true) => a.len().cmp(&b.len()).then_with(|| a.cmp(b)),
            (true, false) => Ordering::Less,
            (false, true) => Ordering::Greater,
            (false, false) => Ordering::Equal,
        }
    });
}

/// `a < b` as JavaScript compares strings: by UTF-16 code units.
pub(crate) fn utf16_cmp(a: &str, b: &str) -> Ordering {
    if a.is_ascii() && b.is_ascii() {
        return a.cmp(b);
    }
    a.encode_utf16().cmp(b.encode_utf16())
}

/// Length in UTF-16 code units, JavaScript's `String.prototype.length`.
pub(crate) fn utf16_len(text: &str) -> usize {
    if text.is_ascii() { text.len() } else { text.encode_utf16().count() }
}

/// JavaScript's WhiteSpace and LineTerminator, the set `\s` and `trim()` use.
pub(crate) fn is_js_whitespace(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{000B}' | '\u{000C}' | '\r' | ' ' | '\u{00A0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200A}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202F}'
                | '\u{205F}'
                | '\u{3000}'
                | '\u{FEFF}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn array_indices_are_canonical_integers_below_u32_max() {
        for key in ["0", "1", "42", "4294967294"] {
            assert!(is_array_index(key), "{key}");
        }
        for key in ["", "01", "-1", "1.0", "4294967295", "a1", "1a", " 1"] {
            assert!(!is_array_index(key), "{key}");
        }
    }

    #[test]
    fn integer_keys_come_first_in_numeric_order() {
        let mut keys = vec!["b", "10", "a", "2", "01"];
        sort_like_object_keys(&mut keys, |k| k);
        assert_eq!(keys, ["2", "10", "b", "a", "01"]);
    }

    #[test]
    fn compares_by_utf16_code_units() {
        // U+1F600 is the surrogate pair D83D DE00 in UTF-16, so U+FF61 sorts after it there
        // but before it by code point.
        assert_eq!(utf16_cmp("\u{FF61}", "\u{1F600}"), Ordering::Greater);
        assert_eq!("\u{FF61}".cmp("\u{1F600}"), Ordering::Less);
        assert_eq!(utf16_cmp("a/b", "a_b"), Ordering::Less);
        assert_eq!(utf16_len("é\u{1F600}"), 3);
    }

    #[test]
    fn whitespace_matches_javascript_not_unicode() {
        assert!(is_js_whitespace('\u{FEFF}'));
        assert!(!is_js_whitespace('\u{0085}'));
    }
}
