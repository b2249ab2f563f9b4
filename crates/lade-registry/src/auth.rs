use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use reqwest::header::HeaderValue;

use crate::RegistryError;

/// Which HTTP authentication scheme a credential uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuthScheme {
    Bearer,
    Basic,
}

impl fmt::Display for AuthScheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            AuthScheme::Bearer => "Bearer",
            AuthScheme::Basic => "Basic",
        })
    }
}

/// An `Authorization` header value for a registry. Its Debug and Display never show the secret.
#[derive(Clone)]
pub struct AuthHeader {
    scheme: AuthScheme,
    value: HeaderValue,
}

impl AuthHeader {
    /// From an `.npmrc` `_authToken`.
    pub fn bearer(token: &str) -> Result<Self, RegistryError> {
        Self::new(AuthScheme::Bearer, format!("Bearer {}", token.trim()))
    }

    /// From an `.npmrc` `_auth`, which is already `base64(username:password)`.
    pub fn basic_encoded(auth: &str) -> Result<Self, RegistryError> {
        Self::new(AuthScheme::Basic, format!("Basic {}", auth.trim()))
    }

    /// From a username and a plain-text password. (`.npmrc` stores `_password` base64-encoded:
    /// decode it first, or use [`AuthHeader::from_npmrc_password`].)
    pub fn basic(username: &str, password: &str) -> Result<Self, RegistryError> {
        Self::basic_encoded(&STANDARD.encode(format!("{username}:{password}")))
    }

    /// From `.npmrc`'s `username` and base64-encoded `_password`.
    pub fn from_npmrc_password(
        username: &str,
        password_base64: &str,
    ) -> Result<Self, RegistryError> {
        let password = STANDARD
            .decode(password_base64.trim())
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .ok_or(RegistryError::InvalidAuthToken { scheme: AuthScheme::Basic })?;
        Self::basic(username, &password)
    }

    fn new(scheme: AuthScheme, value: String) -> Result<Self, RegistryError> {
        let mut value = HeaderValue::from_str(&value)
            .map_err(|_| RegistryError::InvalidAuthToken { scheme })?;
        value.set_sensitive(true);
        Ok(AuthHeader { scheme, value })
    }

    pub fn scheme(&self) -> AuthScheme {
        self.scheme
    }

    pub(crate) fn header_value(&self) -> &HeaderValue {
        &self.value
    }
}

impl fmt::Debug for AuthHeader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AuthHeader({} [hidden])", self.scheme)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_header_values() {
        let bearer = AuthHeader::bearer("abc").unwrap();
        assert_eq!(bearer.header_value(), "Bearer abc");
        let basic = AuthHeader::basic("user", "pa:ss").unwrap();
        assert_eq!(basic.header_value(), &format!("Basic {}", STANDARD.encode("user:pa:ss")));
        let npmrc = AuthHeader::from_npmrc_password("user", &STANDARD.encode("pa:ss")).unwrap();
        assert_eq!(npmrc.header_value(), basic.header_value());
    }

    #[test]
    fn debug_hides_the_secret() {
        let header = AuthHeader::bearer("npm_SECRETTOKEN").unwrap();
        assert_eq!(format!("{header:?}"), "AuthHeader(Bearer [hidden])");
    }

    #[test]
    fn rejects_tokens_that_cannot_be_headers() {
        let error = AuthHeader::bearer("abc\ndef").unwrap_err();
        assert_eq!(error.error_code(), "ERR_LADE_INVALID_AUTH_TOKEN");
        assert!(!error.to_string().contains("abc"));
    }
}
