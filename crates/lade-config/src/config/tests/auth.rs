//! Registries and credentials through whole loads.

use super::*;

fn header(config: &Config, target: &str) -> Option<String> {
    config.auth_header_for(&url(target)).map(|header| header.value().to_owned())
}

#[test]
fn registry_comes_from_the_npmrc_chain_not_the_workspace_manifest() {
    let mut fixture = Fixture::new();
    fixture.write("project/pnpm-workspace.yaml", "registry: https://yaml.example.test/\n");
    assert_eq!(fixture.load("project").registries.default.as_str(), FALLBACK);
    fixture.write("home/.npmrc", "registry=https://user.example.test/npm\n");
    assert_eq!(
        fixture.load("project").registries.default.as_str(),
        "https://user.example.test/npm/"
    );
    fixture.set_env("npm_config_registry", "http://env.example.test:4873");
    assert_eq!(
        fixture.load("project").registries.default.as_str(),
        "http://env.example.test:4873/"
    );
    let cli = CliSettings {
        registry: Some("https://cli.example.test/".into()),
        ..CliSettings::default()
    };
    assert_eq!(
        fixture.load_with("project", cli).unwrap().registries.default.as_str(),
        "https://cli.example.test/"
    );
}

#[test]
fn scoped_registries_pick_by_package_scope() {
    let fixture = Fixture::new();
    fixture.write("home/.npmrc", "@corp:registry=https://corp.example.test/npm/\n").write(
        "project/.npmrc",
        "registry=https://main.example.test/\n@other:registry=http://other.example.test\n",
    );
    let config = fixture.load("project");
    let name = |text| PkgName::parse(text).unwrap();
    assert_eq!(config.registry_for(&name("@corp/ui")).as_str(), "https://corp.example.test/npm/");
    assert_eq!(config.registry_for(&name("@other/x")).as_str(), "http://other.example.test/");
    assert_eq!(config.registry_for(&name("lodash")).as_str(), "https://main.example.test/");
    assert_eq!(config.registry_for(&name("@nobody/x")).as_str(), "https://main.example.test/");
}

#[test]
fn no_registry_anywhere_is_a_coded_error() {
    let fixture = Fixture::new();
    let mut options = fixture.options("project", CliSettings::default());
    options.npm_registry = NpmRegistryFallback::Unavailable;
    let error = Config::load(&options).unwrap_err();
    assert!(matches!(error, ConfigError::NoRegistry { .. }), "{error:?}");
    let help = miette::Diagnostic::help(&error).unwrap().to_string();
    assert!(help.contains("registry="), "{help}");
}

#[test]
fn invalid_registry_names_its_file_and_line() {
    let fixture = Fixture::new();
    fixture.write("project/.npmrc", "\n\nregistry=not a url\n");
    let error = fixture.load_with("project", CliSettings::default()).unwrap_err();
    let ConfigError::InvalidRegistryUrl { origin, .. } = &error else { panic!("{error:?}") };
    assert_eq!(origin.to_string(), format!("{}:3", fixture.path("project/.npmrc").display()));
}

#[test]
fn nerf_darted_credentials_stay_on_their_host() {
    let mut fixture = Fixture::new();
    fixture.set_env("TOKEN", "user-secret");
    fixture.write("home/.npmrc", "//registry.example.test/:_authToken=${TOKEN}\n").write(
        "project/.npmrc",
        "registry=https://registry.example.test/\n//registry.example.test/team/:_auth=dGVhbQ==\n",
    );
    let config = fixture.load("project");
    assert_eq!(
        header(&config, "https://registry.example.test/lodash").as_deref(),
        Some("Bearer user-secret")
    );
    assert_eq!(
        header(&config, "https://registry.example.test/team/x.tgz").as_deref(),
        Some("Basic dGVhbQ==")
    );
    assert_eq!(header(&config, "https://cdn.example.test/lodash/-/lodash-4.17.21.tgz"), None);
}

#[test]
fn committed_npmrc_cannot_expand_a_token_from_the_environment() {
    let mut fixture = Fixture::new();
    fixture.set_env("TOKEN", "ci-secret");
    fixture.write(
        "project/.npmrc",
        "//registry.example.test/:_authToken=${TOKEN}\n//lit.example.test/:_authToken=literal\n",
    );
    let config = fixture.load("project");
    assert_eq!(header(&config, "https://registry.example.test/x"), None);
    assert_eq!(header(&config, "https://lit.example.test/x").as_deref(), Some("Bearer literal"));
    assert!(matches!(
        config.warnings.as_slice(),
        [ConfigWarning::IgnoredRepositoryExpansion { .. }]
    ));
}

#[test]
fn unscoped_token_is_pinned_to_its_own_files_registry_or_the_fallback() {
    let fixture = Fixture::new();
    fixture
        .write("home/.npmrc", "_authToken=user-token\n")
        .write("project/.npmrc", "registry=https://project.example.test/\n");
    let config = fixture.load("project");
    assert_eq!(header(&config, "https://project.example.test/x"), None);
    assert_eq!(
        header(&config, "https://fallback.example.test/x").as_deref(),
        Some("Bearer user-token")
    );
    assert!(
        config
            .warnings
            .iter()
            .any(|warning| matches!(warning, ConfigWarning::RescopedCredentials { .. }))
    );
}

#[test]
fn username_and_password_become_basic_auth() {
    let fixture = Fixture::new();
    fixture.write(
        "home/.npmrc",
        "//r.example.test/:username=me\n//r.example.test/:_password=aHVudGVyMg==\n",
    );
    let config = fixture.load("project");
    assert_eq!(
        header(&config, "https://r.example.test/x").as_deref(),
        Some("Basic bWU6aHVudGVyMg==")
    );
}

#[test]
fn client_certificates_per_registry() {
    let fixture = Fixture::new();
    fixture.write(
        "home/.npmrc",
        "//r.example.test/:certfile=/certs/me.pem\n//r.example.test/:key=KEYDATA\n",
    );
    let tls = fixture.load("project").tls_for(&url("https://r.example.test/pkg")).unwrap();
    assert_eq!(tls.cert, Some(PemSource::File(PathBuf::from("/certs/me.pem"))));
    assert!(matches!(tls.key, Some(PemSource::Inline(_))));
    assert!(fixture.load("project").tls_for(&url("https://other.example.test/")).is_none());
}

#[test]
fn debug_output_never_shows_secrets() {
    let mut fixture = Fixture::new();
    fixture.set_env("https_proxy", "http://proxyuser:proxy-secret@proxy.example.test:3128");
    fixture.write(
        "home/.npmrc",
        "registry=https://me:url-secret@registry.example.test/\n\
         //registry.example.test/:_authToken=token-secret\n\
         //b.example.test/:_auth=auth-secret\n\
         //c.example.test/:username=u\n//c.example.test/:_password=cGFzc3dvcmQtc2VjcmV0\n\
         //d.example.test/:key=key-secret\n_authToken=unscoped-secret\n",
    );
    let config = fixture.load("project");
    let shown = format!("{config:?}");
    for secret in [
        "url-secret",
        "token-secret",
        "auth-secret",
        "cGFzc3dvcmQtc2VjcmV0",
        "key-secret",
        "unscoped-secret",
        "proxy-secret",
    ] {
        assert!(!shown.contains(secret), "{secret} leaked in {shown}");
    }
    assert!(shown.contains("registry.example.test"));
    let cli = cli_config(&[("//x.example.test/:_authToken", "cli-secret")]);
    let options = LoadOptions { cli, ..fixture.options("project", CliSettings::default()) };
    let shown = format!("{options:?}");
    assert!(!shown.contains("cli-secret") && !shown.contains("proxy-secret"), "{shown}");
}
