use std::sync::atomic::{AtomicUsize, Ordering};

use crate::{Event, Progress, Reporter};

/// pnpm's progress counters, bumped from worker threads and reported as they change.
pub(crate) struct Counters<'a> {
    reporter: &'a dyn Reporter,
    resolved: AtomicUsize,
    reused: AtomicUsize,
    downloaded: AtomicUsize,
    added: AtomicUsize,
}

impl<'a> Counters<'a> {
    pub fn new(reporter: &'a dyn Reporter, resolved: usize) -> Self {
        Counters {
            reporter,
            resolved: AtomicUsize::new(resolved),
            reused: AtomicUsize::new(0),
            downloaded: AtomicUsize::new(0),
            added: AtomicUsize::new(0),
        }
    }

    pub fn reused(&self, count: usize) {
        self.bump(&self.reused, count);
    }

    pub fn downloaded(&self) {
        self.bump(&self.downloaded, 1);
    }

    pub fn added(&self) {
        self.bump(&self.added, 1);
    }

    pub fn snapshot(&self) -> Progress {
        Progress {
            resolved: self.resolved.load(Ordering::Relaxed),
            reused: self.reused.load(Ordering::Relaxed),
            downloaded: self.downloaded.load(Ordering::Relaxed),
            added: self.added.load(Ordering::Relaxed),
        }
    }

    pub fn done(&self) {
        self.reporter.report(Event::ProgressDone(self.snapshot()));
    }

    fn bump(&self, counter: &AtomicUsize, count: usize) {
        counter.fetch_add(count, Ordering::Relaxed);
        self.reporter.report(Event::Progress(self.snapshot()));
    }
}
