use std::fmt;

/// A credential (token, password, private key). Debug and Display print `***` so that a secret
/// cannot reach logs or error messages by accident; [`Secret::expose`] is the one way to read it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// Setting names whose values are credentials, bare or URL-scoped (`//host/:_authToken`).
pub(crate) fn is_secret_key(key: &str) -> bool {
    const SECRET_NAMES: [&str; 5] = ["_authToken", "_auth", "_password", "key", "cert"];
    let name = key.rsplit_once(':').map_or(key, |(_, name)| name);
    SECRET_NAMES.contains(&name) || matches!(key, "proxy" | "https-proxy" | "http-proxy")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_hide_the_value() {
        let secret = Secret::new("npm_abcdef");
        assert_eq!(format!("{secret:?} {secret}"), "Secret(***) ***");
        assert_eq!(secret.expose(), "npm_abcdef");
    }

    #[test]
    fn recognises_secret_setting_names() {
        for key in ["_authToken", "//h/:_authToken", "//h/:_auth", "//h/:_password", "key", "proxy"]
        {
            assert!(is_secret_key(key), "{key}");
        }
        for key in ["registry", "//h/:username", "hoist-pattern", "@s:registry", "keyfile"] {
            assert!(!is_secret_key(key), "{key}");
        }
    }
}
