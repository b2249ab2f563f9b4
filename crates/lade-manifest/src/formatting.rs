//! What a writer needs to rewrite a JSON file the way its author formatted it.

/// The indentation unit of a JSON file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Indent {
    Spaces(usize),
    Tab,
}

impl Indent {
    pub fn as_string(&self) -> String {
        match self {
            Indent::Spaces(count) => " ".repeat(*count),
            Indent::Tab => "\t".to_owned(),
        }
    }
}

/// The indentation of the first indented line, which in a pretty-printed JSON object is one
/// level deep; `None` for single-line JSON.
pub fn detect_indent(text: &str) -> Option<Indent> {
    text.lines().find_map(|line| {
        let width = line.len() - line.trim_start_matches([' ', '\t']).len();
        if width == 0 || line.trim().is_empty() {
            return None;
        }
        Some(if line.starts_with('\t') { Indent::Tab } else { Indent::Spaces(width) })
    })
}

pub fn ends_with_newline(text: &str) -> bool {
    text.ends_with('\n')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_common_styles() {
        assert_eq!(detect_indent("{\n  \"a\": 1\n}\n"), Some(Indent::Spaces(2)));
        assert_eq!(
            detect_indent("{\n    \"a\": {\n        \"b\": 1\n    }\n}"),
            Some(Indent::Spaces(4))
        );
        assert_eq!(detect_indent("{\n\t\"a\": 1\n}"), Some(Indent::Tab));
        assert_eq!(detect_indent("{\"a\":1}"), None);
        assert_eq!(detect_indent("{\n   \n  \"a\": 1}"), Some(Indent::Spaces(2)));
        assert_eq!(Indent::Spaces(3).as_string(), "   ");
    }

    #[test]
    fn detects_final_newline() {
        assert!(ends_with_newline("{}\n"));
        assert!(ends_with_newline("{}\r\n"));
        assert!(!ends_with_newline("{}"));
    }
}
