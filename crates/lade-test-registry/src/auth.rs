use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

/// A credential the server demands on every request.
#[derive(Clone, PartialEq, Eq)]
pub enum RequiredAuth {
    Bearer(String),
    Basic { username: String, password: String },
}

impl RequiredAuth {
    pub fn bearer(token: &str) -> Self {
        RequiredAuth::Bearer(token.to_owned())
    }

    pub fn basic(username: &str, password: &str) -> Self {
        RequiredAuth::Basic { username: username.to_owned(), password: password.to_owned() }
    }

    /// Whether an `Authorization` header value carries this credential.
    pub(crate) fn accepts(&self, header: Option<&str>) -> bool {
        let Some((scheme, value)) = header.and_then(|h| h.trim().split_once(' ')) else {
            return false;
        };
        match self {
            RequiredAuth::Bearer(token) => {
                scheme.eq_ignore_ascii_case("bearer") && value.trim() == token
            }
            RequiredAuth::Basic { username, password } => {
                scheme.eq_ignore_ascii_case("basic")
                    && STANDARD.decode(value.trim()).is_ok_and(|decoded| {
                        decoded == format!("{username}:{password}").into_bytes()
                    })
            }
        }
    }
}

impl fmt::Debug for RequiredAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RequiredAuth::Bearer(_) => f.write_str("RequiredAuth::Bearer([hidden])"),
            RequiredAuth::Basic { username, .. } => {
                write!(f, "RequiredAuth::Basic({username}:[hidden])")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_bearer_and_basic() {
        assert!(RequiredAuth::bearer("t").accepts(Some("Bearer t")));
        assert!(!RequiredAuth::bearer("t").accepts(Some("Bearer u")));
        assert!(!RequiredAuth::bearer("t").accepts(None));
        let basic = RequiredAuth::basic("user", "pass");
        assert!(basic.accepts(Some(&format!("Basic {}", STANDARD.encode("user:pass")))));
        assert!(!basic.accepts(Some("Bearer user:pass")));
        assert!(!format!("{basic:?}").contains("pass"));
    }
}
