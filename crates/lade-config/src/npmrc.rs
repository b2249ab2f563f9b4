//! `.npmrc` files read the way pnpm 10 reads them: the `ini@1.3.8` line syntax, then
//! `@pnpm/npm-conf`'s field parsing (`true`/`false`/`null`, quoted JSON, `${VAR}` substitution in
//! keys and string values, `~/` and relative paths for path-typed settings).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use indexmap::IndexMap;

use crate::ConfigWarning;
use crate::env_replace::{UnsetVar, env_replace};
use crate::layers::{Entry, Layer, RawValue, SourceKind};

/// One `key=value` line as the ini reader leaves it, before field parsing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct IniEntry {
    pub(crate) key: String,
    pub(crate) value: RawValue,
    pub(crate) line: usize,
}

/// A parsed file: its settings, and the entries as written (for the repository-file checks).
#[derive(Debug)]
pub(crate) struct NpmrcFile {
    pub(crate) layer: Layer,
    pub(crate) written: Vec<IniEntry>,
}

/// What field parsing needs from the outside world.
pub(crate) struct FieldContext<'a> {
    pub(crate) env: &'a HashMap<String, String>,
    pub(crate) cwd: &'a Path,
    pub(crate) home: Option<&'a Path>,
}

/// Settings typed as paths by npm: relative values resolve against the working directory.
const PATH_SETTINGS: [&str; 7] =
    ["cafile", "cache", "globalconfig", "init-module", "prefix", "tmp", "userconfig"];

/// Parses one file. Like pnpm, a file whose placeholders name unset variables is skipped as a
/// whole with a warning rather than failing the load.
pub(crate) fn parse_file(
    text: &str,
    path: &Path,
    kind: SourceKind,
    context: &FieldContext<'_>,
    warnings: &mut Vec<ConfigWarning>,
) -> Option<NpmrcFile> {
    let (written, ignored) = parse_ini(text);
    for line in ignored {
        warnings.push(ConfigWarning::IgnoredNpmrcLine { path: path.to_path_buf(), line });
    }
    let mut layer = Layer::new(kind, Some(path));
    for entry in &written {
        match parse_entry(entry, context) {
            Ok((key, value)) => {
                layer.entries.insert(key, Entry { value, line: Some(entry.line) });
            }
            Err(reason) => {
                warnings.push(ConfigWarning::SkippedNpmrc { path: path.to_path_buf(), reason });
                return None;
            }
        }
    }
    Some(NpmrcFile { layer, written })
}

fn parse_entry(entry: &IniEntry, context: &FieldContext<'_>) -> Result<(String, RawValue), String> {
    let unset = |UnsetVar(expression)| format!("environment variable in {expression} is not set");
    let key = env_replace(&entry.key, context.env).map_err(unset)?;
    let value = parse_field(&key, entry.value.clone(), context).map_err(|error| match error {
        FieldError::Unset(var) => unset(var),
        FieldError::BadJson => format!("the quoted value of {key:?} is not valid JSON"),
    })?;
    Ok((key, value))
}

pub(crate) enum FieldError {
    Unset(UnsetVar),
    BadJson,
}

/// npm-conf's `parseField` for one value: lists and booleans pass through untouched.
pub(crate) fn parse_field(
    key: &str,
    value: RawValue,
    context: &FieldContext<'_>,
) -> Result<RawValue, FieldError> {
    let RawValue::Str(text) = value else { return Ok(value) };
    let mut text = text.trim().to_owned();
    if text.len() >= 2 && text.starts_with('"') && text.ends_with('"') {
        text = serde_json::from_str::<String>(&text).map_err(|_| FieldError::BadJson)?;
    }
    if let Some(literal) = literal_value(&text) {
        return Ok(literal);
    }
    let text = env_replace(&text, context.env).map_err(FieldError::Unset)?;
    if PATH_SETTINGS.contains(&key) {
        return Ok(RawValue::Str(resolve_path(&text, context).to_string_lossy().into_owned()));
    }
    Ok(RawValue::Str(text))
}

fn literal_value(text: &str) -> Option<RawValue> {
    match text {
        "true" => Some(RawValue::Bool(true)),
        "false" => Some(RawValue::Bool(false)),
        "null" | "undefined" => Some(RawValue::Null),
        _ => None,
    }
}

fn resolve_path(text: &str, context: &FieldContext<'_>) -> PathBuf {
    let expanded = match (text.strip_prefix("~/"), context.home) {
        (Some(rest), Some(home)) => home.join(rest),
        _ => PathBuf::from(text),
    };
    context.cwd.join(expanded)
}

/// The ini reader: returns the entries and the numbers of lines it ignored.
pub(crate) fn parse_ini(text: &str) -> (Vec<IniEntry>, Vec<usize>) {
    let mut entries: IndexMap<String, IniEntry> = IndexMap::new();
    let mut ignored = Vec::new();
    let mut in_section = false;
    for (index, physical) in text.split('\n').enumerate() {
        let number = index + 1;
        for line in physical.split('\r') {
            if line.trim().is_empty() || line.trim_start().starts_with([';', '#']) {
                continue;
            }
            if is_section_header(line) {
                // Keys under a [section] become nested objects that no setting lookup sees.
                in_section = true;
                ignored.push(number);
                continue;
            }
            match line.split_once('=') {
                Some(("", _)) => ignored.push(number),
                _ if in_section => {}
                Some((key, value)) => add_ini_entry(&mut entries, key, Some(value), number),
                None => add_ini_entry(&mut entries, line, None, number),
            }
        }
    }
    (entries.into_values().collect(), ignored)
}

fn is_section_header(line: &str) -> bool {
    line.len() >= 2
        && line.starts_with('[')
        && line.ends_with(']')
        && !line[1..line.len() - 1].contains(']')
}

fn add_ini_entry(
    entries: &mut IndexMap<String, IniEntry>,
    raw_key: &str,
    raw_value: Option<&str>,
    line: usize,
) {
    let mut key = unquote(raw_key);
    if key == "__proto__" {
        return;
    }
    let value = match raw_value {
        Some(raw) => ini_scalar(unquote_value(raw)),
        None => RawValue::Bool(true),
    };
    let is_array = key.len() > 2 && key.ends_with("[]");
    if is_array {
        key.truncate(key.len() - 2);
    }
    let item = match &value {
        RawValue::Str(text) => text.clone(),
        RawValue::Bool(flag) => flag.to_string(),
        RawValue::Null => "null".to_owned(),
        RawValue::List(_) => return,
    };
    match entries.get_mut(&key) {
        Some(existing) if is_array || matches!(existing.value, RawValue::List(_)) => {
            let previous = std::mem::replace(&mut existing.value, RawValue::Null);
            let mut items = match previous {
                RawValue::List(items) => items,
                RawValue::Str(text) => vec![text],
                RawValue::Bool(flag) => vec![flag.to_string()],
                RawValue::Null => vec!["null".to_owned()],
            };
            items.push(item);
            existing.value = RawValue::List(items);
            existing.line = line;
        }
        _ => {
            let value = if is_array { RawValue::List(vec![item]) } else { value };
            entries.insert(key.clone(), IniEntry { key, value, line });
        }
    }
}

/// Quoted values pass through `JSON.parse`, which can also produce booleans and numbers.
enum Unquoted {
    Text(String),
    Json(serde_json::Value),
}

fn ini_scalar(value: Unquoted) -> RawValue {
    match value {
        Unquoted::Text(text) => literal_value(&text)
            .filter(|literal| !matches!(literal, RawValue::Null) || text == "null")
            .unwrap_or(RawValue::Str(text)),
        Unquoted::Json(serde_json::Value::String(text)) => {
            literal_value(&text).filter(|_| text != "undefined").unwrap_or(RawValue::Str(text))
        }
        Unquoted::Json(serde_json::Value::Bool(flag)) => RawValue::Bool(flag),
        Unquoted::Json(serde_json::Value::Null) => RawValue::Null,
        Unquoted::Json(other) => RawValue::Str(other.to_string()),
    }
}

fn unquote(raw: &str) -> String {
    match unquote_value(raw) {
        Unquoted::Text(text) => text,
        Unquoted::Json(serde_json::Value::String(text)) => text,
        Unquoted::Json(other) => other.to_string(),
    }
}

/// ini's `unsafe()`: trims, unwraps `"…"` (as JSON) or `'…'`, and otherwise cuts the value at
/// an unescaped `;` or `#` (an inline comment), keeping `\;` and `\#` as literal characters.
fn unquote_value(raw: &str) -> Unquoted {
    let trimmed = raw.trim();
    let quoted_with = |quote| trimmed.starts_with(quote) && trimmed.ends_with(quote);
    if quoted_with('"') || quoted_with('\'') {
        let inner = match trimmed.strip_prefix('\'') {
            Some(rest) => rest.strip_suffix('\'').unwrap_or(""),
            None => trimmed,
        };
        return match serde_json::from_str::<serde_json::Value>(inner) {
            Ok(value) => Unquoted::Json(value),
            Err(_) => Unquoted::Text(inner.to_owned()),
        };
    }
    let mut out = String::with_capacity(trimmed.len());
    let mut chars = trimmed.chars();
    while let Some(c) = chars.next() {
        match c {
            ';' | '#' => break,
            '\\' => match chars.next() {
                Some(next @ ('\\' | ';' | '#')) => out.push(next),
                Some(next) => {
                    out.push('\\');
                    out.push(next);
                }
                None => out.push('\\'),
            },
            _ => out.push(c),
        }
    }
    Unquoted::Text(out.trim().to_owned())
}

#[cfg(test)]
mod tests;
