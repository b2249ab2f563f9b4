//! The directory name of a package inside the virtual store (`node_modules/.pnpm/<name>`),
//! following pnpm's `depPathToFilename` (packages/dependency-path/src/index.ts).

use sha2::{Digest, Sha256};

use crate::js_compat::utf16_len;

/// pnpm's default `virtual-store-dir-max-length` on every platform but Windows (where it is 60).
pub const DEFAULT_MAX_LENGTH: usize = 120;

/// Length of the hash suffix plus its `_` separator.
const HASH_SUFFIX_LEN: usize = 33;

/// The virtual store directory name for a lockfile dependency path such as
/// `react-dom@18.3.1(react@18.3.1)` → `react-dom@18.3.1_react@18.3.1`.
///
/// Path-hostile characters become `+`, the peer suffix's parentheses become `_`, and a name that
/// is longer than `max_length` (in UTF-16 units, as JavaScript counts) or not all lowercase (case-
/// insensitive file systems) is cut to `max_length - 33` units and suffixed with `_` and the first
/// 32 hex digits of the SHA-256 of the full escaped name. `file:` paths keep their case.
pub fn virtual_store_name(dep_path: &str, max_length: usize) -> String {
    let escaped = escape(dep_path);
    let needs_hash = utf16_len(&escaped) > max_length
        || (escaped != escaped.to_lowercase() && !escaped.starts_with("file+"));
    if !needs_hash {
        return escaped;
    }
    let digest = hex::encode(Sha256::digest(escaped.as_bytes()));
    let keep = max_length.saturating_sub(HASH_SUFFIX_LEN);
    let prefix: Vec<u16> = escaped.encode_utf16().take(keep).collect();
    // A cut through a surrogate pair leaves a lone surrogate, which Node writes to disk as U+FFFD.
    format!("{}_{}", String::from_utf16_lossy(&prefix), &digest[..32])
}

fn escape(dep_path: &str) -> String {
    let unprefixed = match dep_path.strip_prefix("file:") {
        Some(rest) => format!("file+{rest}"),
        None => dep_path.strip_prefix('/').unwrap_or(dep_path).to_owned(),
    };
    let replaced: String = unprefixed
        .chars()
        .map(|c| {
            if matches!(c, '\\' | '/' | ':' | '*' | '?' | '"' | '<' | '>' | '|' | '#') {
                '+'
            } else {
                c
            }
        })
        .collect();
    if !replaced.contains('(') {
        return replaced;
    }
    let trimmed = replaced.strip_suffix(')').unwrap_or(&replaced);
    let mut out = String::with_capacity(trimmed.len());
    let mut rest = trimmed;
    while let Some(c) = rest.chars().next() {
        if let Some(after) = rest.strip_prefix(")(") {
            out.push('_');
            rest = after;
            continue;
        }
        out.push(if c == '(' || c == ')' { '_' } else { c });
        rest = &rest[c.len_utf8()..];
    }
    out
}

#[cfg(test)]
mod tests;
