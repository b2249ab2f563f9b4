use std::fmt;

use url::Url;

/// A URL made safe to show: no username, password, query or fragment, which is where
/// credentials and signed-URL secrets live.
#[derive(Clone, PartialEq, Eq)]
pub struct DisplayUrl(String);

impl DisplayUrl {
    pub fn new(url: &Url) -> Self {
        let mut shown = url.clone();
        // Both setters fail only for URLs that cannot carry credentials at all.
        let _ = shown.set_username("");
        let _ = shown.set_password(None);
        shown.set_query(None);
        shown.set_fragment(None);
        DisplayUrl(shown.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for DisplayUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for DisplayUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_credentials_and_query() {
        let url =
            Url::parse("https://user:secret@registry.example.test/a/-/a-1.tgz?sig=xyz#f").unwrap();
        assert_eq!(DisplayUrl::new(&url).as_str(), "https://registry.example.test/a/-/a-1.tgz");
    }
}
