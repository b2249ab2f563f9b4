//! pnpm's default reporter, reduced to what an install prints: a progress line on a TTY
//! (`Progress: resolved N, reused N, downloaded N, added N`), then the direct dependencies that
//! were added and `Done in …`.

use std::io::{IsTerminal, Write};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use lade_install::{Event, InstallSummary, Progress, Reporter};

use crate::cli::ReporterKind;

/// How often a TTY progress line is redrawn; pnpm throttles its own to a similar rate.
const REDRAW_INTERVAL: Duration = Duration::from_millis(100);

pub struct CliReporter {
    kind: ReporterKind,
    live: bool,
    state: Mutex<State>,
}

struct State {
    last_draw: Option<Instant>,
    last_progress: Option<Progress>,
    line_open: bool,
}

impl CliReporter {
    pub fn new(kind: ReporterKind) -> Self {
        let live = kind == ReporterKind::Default && std::io::stderr().is_terminal();
        CliReporter {
            kind,
            live,
            state: Mutex::new(State { last_draw: None, last_progress: None, line_open: false }),
        }
    }

    fn quiet(&self) -> bool {
        self.kind == ReporterKind::Silent
    }

    fn draw_progress(&self, state: &mut State, progress: Progress, done: bool) {
        let line = format!(
            "Progress: resolved {}, reused {}, downloaded {}, added {}{}",
            progress.resolved,
            progress.reused,
            progress.downloaded,
            progress.added,
            if done { ", done" } else { "" }
        );
        let mut err = std::io::stderr().lock();
        if self.live {
            let _ = write!(err, "\r\x1b[K{line}");
            if done {
                let _ = writeln!(err);
            }
            state.line_open = !done;
        } else {
            let _ = writeln!(err, "{line}");
        }
        state.last_draw = Some(Instant::now());
        state.last_progress = Some(progress);
    }

    fn close_line(&self, state: &mut State) {
        if state.line_open {
            let _ = writeln!(std::io::stderr());
            state.line_open = false;
        }
    }

    fn print_summary(&self, summary: &InstallSummary) {
        let mut out = std::io::stdout().lock();
        for group in &summary.direct {
            if group.added.is_empty() {
                continue;
            }
            let _ = writeln!(out, "\n{}:", group.field);
            for dep in &group.added {
                let _ = writeln!(out, "+ {} {}", dep.name, dep.version);
            }
        }
        let _ = writeln!(
            out,
            "\nDone in {} using lade v{}",
            format_elapsed(summary.elapsed),
            env!("CARGO_PKG_VERSION")
        );
    }
}

impl Reporter for CliReporter {
    fn report(&self, event: Event<'_>) {
        if self.quiet() {
            return;
        }
        let Ok(mut state) = self.state.lock() else { return };
        match event {
            Event::LockfileUpToDate => {
                self.close_line(&mut state);
                println!("Lockfile is up to date, resolution step is skipped");
            }
            Event::AlreadyUpToDate => {
                self.close_line(&mut state);
                println!("Already up to date");
            }
            Event::PackagesToAdd { added, removed } => {
                self.close_line(&mut state);
                print_package_count(added, removed);
            }
            Event::Progress(progress) => {
                let show = self.live || self.kind == ReporterKind::AppendOnly;
                let due = state.last_draw.is_none_or(|t| t.elapsed() >= REDRAW_INTERVAL);
                if show && due && state.last_progress != Some(progress) {
                    self.draw_progress(&mut state, progress, false);
                }
            }
            Event::ProgressDone(progress) => {
                if self.live || self.kind == ReporterKind::AppendOnly {
                    self.draw_progress(&mut state, progress, true);
                }
            }
            Event::Warning(message) => {
                self.close_line(&mut state);
                eprintln!(" WARN  {message}");
            }
            Event::SkippedBuilds(packages) => {
                self.close_line(&mut state);
                eprintln!(
                    "Ignored build scripts: {}.\nRun \"lade install\" without --ignore-scripts once build scripts are supported.",
                    packages.join(", ")
                );
            }
            Event::Summary(summary) => {
                self.close_line(&mut state);
                self.print_summary(summary);
            }
        }
    }
}

fn print_package_count(added: usize, removed: usize) {
    let mut parts = Vec::new();
    if added > 0 {
        parts.push(format!("+{added}"));
    }
    if removed > 0 {
        parts.push(format!("-{removed}"));
    }
    if parts.is_empty() {
        return;
    }
    println!("Packages: {}", parts.join(" "));
    // pnpm draws one sign per package, scaled down to a line of at most 80.
    let width = 80usize;
    let total = added + removed;
    let plus = if total <= width { added } else { added * width / total };
    let minus = if total <= width { removed } else { width - plus };
    println!("{}{}", "+".repeat(plus), "-".repeat(minus));
}

fn format_elapsed(elapsed: Duration) -> String {
    let secs = elapsed.as_secs_f64();
    if secs < 1.0 { format!("{}ms", elapsed.as_millis()) } else { format!("{secs:.1}s") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elapsed_like_pnpm() {
        assert_eq!(format_elapsed(Duration::from_millis(1740)), "1.7s");
        assert_eq!(format_elapsed(Duration::from_millis(312)), "312ms");
    }
}
