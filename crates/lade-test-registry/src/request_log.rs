/// How a request authenticated itself, without the credential.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AuthScheme {
    Bearer,
    Basic,
    Other(String),
}

/// One request as the server saw it. Credentials are never kept: `Authorization`, `Cookie` and
/// `Proxy-Authorization` are left out of `headers`, and `auth` says only which scheme was used.
#[derive(Clone, Debug)]
pub struct RecordedRequest {
    pub method: String,
    /// The request target as sent, query included.
    pub path: String,
    /// Lowercased names, in the order received.
    pub headers: Vec<(String, String)>,
    pub auth: Option<AuthScheme>,
}

impl RecordedRequest {
    pub(crate) fn new(method: &str, path: &str, headers: &[(String, String)]) -> Self {
        let auth = headers.iter().find(|(name, _)| name == "authorization").map(|(_, value)| {
            let scheme = value.split_whitespace().next().unwrap_or_default();
            match scheme.to_ascii_lowercase().as_str() {
                "bearer" => AuthScheme::Bearer,
                "basic" => AuthScheme::Basic,
                _ => AuthScheme::Other(scheme.to_owned()),
            }
        });
        let headers = headers
            .iter()
            .filter(|(name, _)| {
                !matches!(name.as_str(), "authorization" | "cookie" | "proxy-authorization")
            })
            .cloned()
            .collect();
        RecordedRequest { method: method.to_owned(), path: path.to_owned(), headers, auth }
    }

    pub fn had_auth(&self) -> bool {
        self.auth.is_some()
    }

    /// The first value of a header, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_scheme_but_not_the_secret() {
        let headers = vec![
            ("authorization".to_owned(), "Bearer s3cret".to_owned()),
            ("accept".to_owned(), "*/*".to_owned()),
        ];
        let request = RecordedRequest::new("GET", "/foo", &headers);
        assert_eq!(request.auth, Some(AuthScheme::Bearer));
        assert_eq!(request.header("Accept"), Some("*/*"));
        assert!(!format!("{request:?}").contains("s3cret"));
    }
}
