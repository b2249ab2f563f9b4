//! The POSIX shell shim @zkochan/cmd-shim 7 writes for a command (`generateShShim`), and the
//! NODE_PATH pnpm gives it (pkg-manager/link-bins `getBinNodePaths` plus `extraNodePaths`).
//! On Linux and macOS pnpm writes only this file: no `.cmd`, no `.ps1`.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use regex::Regex;

use crate::js_compat::is_js_whitespace;

/// How the shim starts the target, read from the target's shebang line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ScriptRuntime {
    /// Run through `program` (`node`, `sh`, …) with extra arguments from the shebang.
    Program { program: String, args: String },
    /// No shebang and no known extension: the target is executed directly.
    Direct,
}

/// cmd-shim's shebang pattern, with JavaScript's `\s` and `.` spelled out.
static SHEBANG: LazyLock<Regex> = LazyLock::new(|| {
    let ws = r"[\t\n\x0B\x0C\r \x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}\x{FEFF}]";
    let any = r"[^\n\r\x{2028}\x{2029}]";
    Regex::new(&format!(r"^#!{ws}*(?:/usr/bin/env(?:{ws}+-S{ws}*)?)?{ws}*([^ \t]+)({any}*)$"))
        .expect("the shebang pattern is a valid regex")
});

impl ScriptRuntime {
    /// cmd-shim's `searchScriptRuntime` on the target's text: the shebang of the first non-blank
    /// line, else a runtime chosen by the file extension.
    pub fn detect(content: &str, target: &Path) -> Self {
        let trimmed = content.trim_matches(is_js_whitespace);
        let first_line = trimmed.split('\n').next().unwrap_or_default().trim_end_matches('\r');
        if let Some(captures) = SHEBANG.captures(first_line) {
            return ScriptRuntime::Program {
                program: captures[1].to_owned(),
                args: captures[2].to_owned(),
            };
        }
        let extension = target.extension().and_then(OsStr::to_str).map(str::to_ascii_lowercase);
        let program = match extension.as_deref() {
            Some("js" | "cjs" | "mjs") => "node",
            Some("cmd" | "bat") => "cmd",
            Some("ps1") => "pwsh",
            Some("sh") => "sh",
            _ => return ScriptRuntime::Direct,
        };
        let args = if program == "cmd" { "/C" } else { "" };
        ScriptRuntime::Program { program: program.to_owned(), args: args.to_owned() }
    }
}

const PREAMBLE: &str = r#"#!/bin/sh
basedir=$(dirname "$(echo "$0" | sed -e 's,\\,/,g')")

case `uname` in
    *CYGWIN*|*MINGW*|*MSYS*)
        if command -v cygpath > /dev/null 2>&1; then
            basedir=`cygpath -w "$basedir"`
        fi
    ;;
esac

"#;

/// The shim's text. `relative_target` is the target relative to the `.bin` directory;
/// `node_path` is empty when pnpm would pass no NODE_PATH (hoisting disabled).
pub fn sh_shim(runtime: &ScriptRuntime, relative_target: &Path, node_path: &[PathBuf]) -> String {
    let target = relative_target.to_string_lossy().replace('\\', "/");
    let quoted_target = if target.starts_with('/') {
        format!("\"{target}\"")
    } else {
        format!("\"$basedir/{target}\"")
    };
    let mut sh = String::from(PREAMBLE);
    if !node_path.is_empty() {
        let joined = node_path.iter().map(|p| p.to_string_lossy()).collect::<Vec<_>>().join(":");
        sh.push_str(&format!(
            "if [ -z \"$NODE_PATH\" ]; then\n  export NODE_PATH=\"{joined}\"\nelse\n  export NODE_PATH=\"{joined}:$NODE_PATH\"\nfi\n"
        ));
    }
    match runtime {
        ScriptRuntime::Program { program, args } => {
            let args = args.as_str();
            let short = program.replace('\\', "/");
            let long = format!("\"$basedir/{program}\"");
            sh.push_str(&format!(
                "if [ -x {long} ]; then\n  exec {long} {args} {quoted_target} \"$@\"\nelse\n  exec {short} {args} {quoted_target} \"$@\"\nfi\n"
            ));
        }
        ScriptRuntime::Direct => sh.push_str(&format!("{quoted_target}   \"$@\"\nexit $?\n")),
    }
    sh
}

/// pnpm's `getBinNodePaths`: from the target's physical directory, the nearest enclosing
/// `node_modules` whose parent is not itself `node_modules`, preceded by the `node_modules` of the
/// package directly inside it. Empty when the target is in no `node_modules`.
pub fn bin_node_paths(real_target_dir: &Path) -> Vec<PathBuf> {
    for modules_dir in real_target_dir.ancestors() {
        if modules_dir.file_name() != Some(OsStr::new("node_modules")) {
            continue;
        }
        if modules_dir.parent().and_then(Path::file_name) == Some(OsStr::new("node_modules")) {
            continue;
        }
        let Ok(inside) = real_target_dir.strip_prefix(modules_dir) else { continue };
        let mut segments = inside.iter();
        let mut paths = Vec::with_capacity(2);
        if let Some(first) = segments.next() {
            let mut package_dir = modules_dir.join(first);
            if first.to_string_lossy().starts_with('@')
                && let Some(second) = segments.next()
            {
                package_dir.push(second);
            }
            paths.push(package_dir.join("node_modules"));
        }
        paths.push(modules_dir.to_path_buf());
        return paths;
    }
    Vec::new()
}

/// The NODE_PATH entries of a shim: none without `extra` (pnpm's `extraNodePaths`, the private
/// hoisting directory when `hoist-pattern` is set); else [`bin_node_paths`] followed by the extra
/// entries it lacks.
pub fn node_path(real_target: &Path, extra: &[PathBuf]) -> Vec<PathBuf> {
    if extra.is_empty() {
        return Vec::new();
    }
    let mut paths = real_target.parent().map(bin_node_paths).unwrap_or_default();
    if paths.is_empty() {
        return extra.to_vec();
    }
    for path in extra {
        if !paths.contains(path) {
            paths.push(path.clone());
        }
    }
    paths
}

#[cfg(test)]
mod tests;
