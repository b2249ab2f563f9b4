use std::time::Duration;

/// A misbehaviour the server can be told to show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fault {
    /// Answer with this status and a small JSON error body.
    Status(u16),
    /// Read the request, then close the connection without answering.
    Reset,
    /// Wait this long before answering normally (for client timeouts).
    Stall(Duration),
    /// Send the head and half the body, then wait this long before sending the rest.
    StallMidBody(Duration),
    /// Declare the full `Content-Length`, send half the body, close the connection.
    TruncatedBody,
    /// Declare a `Content-Length` of half the body, send all of it, close the connection.
    OverlongBody,
    /// Send a body of the right length whose bytes differ (an integrity mismatch).
    CorruptBody,
}

impl Fault {
    /// Apply this fault to requests for exactly `path` (as requested, or percent-decoded).
    pub fn on_path(self, path: &str) -> FaultRule {
        FaultRule { path: Some(path.to_owned()), fault: self, remaining: None }
    }

    /// Apply this fault to every request.
    pub fn everywhere(self) -> FaultRule {
        FaultRule { path: None, fault: self, remaining: None }
    }
}

/// A fault, the requests it applies to, and how many more times it fires.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FaultRule {
    path: Option<String>,
    fault: Fault,
    remaining: Option<usize>,
}

impl FaultRule {
    /// Fire only for the next `count` matching requests ("fail the first N requests").
    pub fn times(mut self, count: usize) -> Self {
        self.remaining = Some(count);
        self
    }

    fn matches(&self, raw_path: &str, decoded_path: &str) -> bool {
        self.remaining != Some(0)
            && self.path.as_deref().is_none_or(|path| path == raw_path || path == decoded_path)
    }
}

/// Picks the first live rule matching a request and counts it down.
pub(crate) fn take_fault(
    rules: &mut [FaultRule],
    raw_path: &str,
    decoded_path: &str,
) -> Option<Fault> {
    let rule = rules.iter_mut().find(|rule| rule.matches(raw_path, decoded_path))?;
    if let Some(remaining) = &mut rule.remaining {
        *remaining -= 1;
    }
    Some(rule.fault.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counted_rules_expire_and_fall_through() {
        let mut rules = vec![Fault::Status(500).on_path("/a").times(2), Fault::Reset.everywhere()];
        assert_eq!(take_fault(&mut rules, "/a", "/a"), Some(Fault::Status(500)));
        assert_eq!(take_fault(&mut rules, "/b", "/b"), Some(Fault::Reset));
        assert_eq!(take_fault(&mut rules, "/x", "/a"), Some(Fault::Status(500)));
        assert_eq!(take_fault(&mut rules, "/a", "/a"), Some(Fault::Reset));
    }
}
