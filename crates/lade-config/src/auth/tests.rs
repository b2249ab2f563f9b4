use super::*;

fn table(settings: &[(&str, &str, &str)]) -> AuthTable {
    AuthTable::from_settings(settings.iter().map(|(prefix, name, value)| CredentialSetting {
        prefix,
        name,
        value,
    }))
    .unwrap()
}

fn header(table: &AuthTable, url: &str) -> Option<String> {
    table.header_for(&Url::parse(url).unwrap()).map(|header| header.value().to_owned())
}

#[test]
fn longest_path_prefix_on_the_same_host_wins() {
    let table = table(&[
        ("//registry.example.test/", "_authToken", "root"),
        ("//registry.example.test/team/", "_authToken", "team"),
    ]);
    let team = "https://registry.example.test/team/pkg/-/pkg-1.0.0.tgz";
    assert_eq!(header(&table, team).as_deref(), Some("Bearer team"));
    let other = "https://registry.example.test/pkg/-/pkg-1.0.0.tgz";
    assert_eq!(header(&table, other).as_deref(), Some("Bearer root"));
    assert_eq!(header(&table, "http://registry.example.test/x").as_deref(), Some("Bearer root"));
}

#[test]
fn never_sends_a_token_to_another_host() {
    let table = table(&[("//registry.example.test/", "_authToken", "secret")]);
    assert_eq!(header(&table, "https://cdn.example.test/pkg/-/pkg-1.0.0.tgz"), None);
    assert_eq!(header(&table, "https://registry.example.test.evil.test/x"), None);
    assert_eq!(header(&table, "https://evil.test/registry.example.test/x"), None);
}

#[test]
fn a_path_scoped_token_does_not_cover_the_host_root() {
    let table = table(&[("//registry.example.test/private/", "_authToken", "t")]);
    assert_eq!(header(&table, "https://registry.example.test/public/x"), None);
    assert_eq!(
        header(&table, "https://registry.example.test/private").as_deref(),
        Some("Bearer t")
    );
}

#[test]
fn port_is_matched_first_then_dropped() {
    let table = table(&[
        ("//registry.example.test:8443/", "_authToken", "with-port"),
        ("//other.example.test/", "_authToken", "no-port"),
    ]);
    let with_port = "https://registry.example.test:8443/x";
    assert_eq!(header(&table, with_port).as_deref(), Some("Bearer with-port"));
    assert_eq!(header(&table, "https://registry.example.test/x"), None);
    let other = "https://other.example.test:4873/x";
    assert_eq!(header(&table, other).as_deref(), Some("Bearer no-port"));
}

#[test]
fn basic_auth_forms() {
    let table = table(&[
        ("//a.example.test/", "_auth", "dXNlcjpwYXNz"),
        ("//b.example.test/", "username", "user"),
        ("//b.example.test/", "_password", "cGFzcw=="),
        ("//c.example.test/", "username", "lonely"),
    ]);
    assert_eq!(header(&table, "https://a.example.test/").as_deref(), Some("Basic dXNlcjpwYXNz"));
    assert_eq!(header(&table, "https://b.example.test/").as_deref(), Some("Basic dXNlcjpwYXNz"));
    assert_eq!(header(&table, "https://c.example.test/"), None);
}

#[test]
fn token_beats_other_kinds_on_the_same_prefix() {
    let table =
        table(&[("//a.example.test/", "_auth", "b64"), ("//a.example.test/", "_authToken", "tok")]);
    assert_eq!(header(&table, "https://a.example.test/x").as_deref(), Some("Bearer tok"));
}

#[test]
fn credentials_in_the_url_are_used_as_basic_auth() {
    let table = AuthTable::default();
    let header = header(&table, "https://user:pass@registry.example.test/x");
    assert_eq!(header.as_deref(), Some("Basic dXNlcjpwYXNz"));
}

#[test]
fn a_bad_password_encoding_names_the_setting() {
    let settings =
        [("//b.example.test/", "username", "u"), ("//b.example.test/", "_password", "!!")];
    let error =
        AuthTable::from_settings(settings.iter().map(|(prefix, name, value)| CredentialSetting {
            prefix,
            name,
            value,
        }))
        .unwrap_err();
    assert_eq!(error, "//b.example.test/:_password");
}

#[test]
fn nerf_dart_follows_pnpm() {
    let nerf = |url: &str| nerf_dart(&Url::parse(url).unwrap(), true);
    assert_eq!(nerf("https://h.example.test/a/b.tgz"), "//h.example.test/a/b.tgz/");
    assert_eq!(nerf("https://h.example.test/a/"), "//h.example.test/a/");
    assert_eq!(nerf("https://h.example.test/a/b?x=1"), "//h.example.test/a/");
    assert_eq!(nerf("http://h.example.test:8080"), "//h.example.test:8080/");
    assert_eq!(nerf("https://h.example.test:443/"), "//h.example.test/");
}

#[test]
fn debug_hides_secrets() {
    let table = table(&[("//a.example.test/", "_authToken", "sekrit-token")]);
    let shown = format!("{table:?}");
    assert!(!shown.contains("sekrit"), "{shown}");
    assert!(shown.contains("Bearer ***"), "{shown}");
    let pem = PemSource::Inline(Secret::new("-----BEGIN PRIVATE KEY-----abc"));
    assert!(!format!("{pem:?}").contains("PRIVATE"));
}
