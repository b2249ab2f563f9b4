//! Directories and layout settings through whole loads.

use super::*;

#[test]
fn relative_dirs_resolve_like_pnpm() {
    let fixture = Fixture::new();
    fixture
        .write("project/pnpm-workspace.yaml", "packages: ['pkgs/*']\n")
        .write("project/pkgs/a/package.json", "{}")
        .write(
            "project/pkgs/a/.npmrc",
            "store-dir=../store\nvirtual-store-dir=vstore\nmodules-dir=nm\n",
        );
    let config = fixture.load("project/pkgs/a");
    assert_path(&config.dirs.project, &fixture.path("project/pkgs/a"));
    assert_path(config.dirs.workspace.as_deref().unwrap(), &fixture.path("project"));
    assert_path(&config.dirs.lockfile, &fixture.path("project"));
    // store-dir resolves against the workspace root, virtual-store-dir against the lockfile dir.
    assert_path(&config.dirs.store, &fixture.path("project/../store"));
    assert_path(&config.dirs.virtual_store, &fixture.path("project/vstore"));
    assert_path(&config.dirs.modules, Path::new("nm"));
    assert_path(&config.dirs.store_version_dir(), &fixture.path("project/../store/v11"));
}

#[test]
fn default_dirs() {
    let fixture = Fixture::new();
    fixture.write("project/src/.keep", "");
    let config = fixture.load("project/src");
    assert_path(&config.dirs.project, &fixture.path("project"));
    assert_path(&config.dirs.cwd, &fixture.path("project/src"));
    assert_path(&config.dirs.lockfile, &fixture.path("project"));
    assert_path(&config.dirs.virtual_store, &fixture.path("project/node_modules/.pnpm"));
    assert_path(&config.dirs.pnpm_home, &fixture.path("home/.local/share/pnpm"));
    assert_path(&config.dirs.store, &fixture.path("home/.local/share/pnpm/store"));
}

#[test]
fn home_relative_store_and_cli_store() {
    let fixture = Fixture::new();
    fixture.write("home/.npmrc", "store-dir=~/pnpm-store\n");
    assert_path(&fixture.load("project").dirs.store, &fixture.path("home/pnpm-store"));
    fixture.write("project/src/.keep", "");
    let cli = CliSettings { store_dir: Some("cli-store".into()), ..CliSettings::default() };
    let config = fixture.load_with("project/src", cli).unwrap();
    assert_path(&config.dirs.store, &fixture.path("project/cli-store"));
}

#[test]
fn global_virtual_store_lives_in_the_store_except_in_ci() {
    let mut fixture = Fixture::new();
    fixture.write("project/.npmrc", "enable-global-virtual-store=true\nstore-dir=/s\n");
    let config = fixture.load("project");
    assert!(config.layout.enable_global_virtual_store);
    assert_path(&config.dirs.virtual_store, Path::new("/s/v11/links"));
    fixture.set_env("CI", "true");
    let config = fixture.load("project");
    assert!(!config.layout.enable_global_virtual_store && config.install.ci);
    assert!(config.install.frozen_lockfile_if_exists);
}

#[test]
fn hoisting_switches_derive_patterns_like_pnpm() {
    let fixture = Fixture::new();
    let layout = |npmrc: &str| {
        fixture.write("project/.npmrc", npmrc);
        fixture.load("project").layout
    };
    assert_eq!(layout("hoist=false\n").hoist_pattern, None);
    assert_eq!(layout("shamefully-hoist=true\n").public_hoist_pattern.unwrap(), ["*"]);
    assert_eq!(
        layout("shamefully-hoist=false\npublic-hoist-pattern[]=*x*\n").public_hoist_pattern,
        None
    );
    assert_eq!(layout("public-hoist-pattern=*types*\n").public_hoist_pattern.unwrap(), ["*types*"]);
    assert_eq!(layout("public-hoist-pattern=\n").public_hoist_pattern, None);
    let no_symlinks = layout("symlink=false\n");
    assert_eq!((no_symlinks.hoist_pattern, no_symlinks.public_hoist_pattern), (None, None));
    assert!(layout("node-linker=hoisted\n").prefer_symlinked_executables);
}

#[test]
fn dependency_groups_follow_only_production_and_dev() {
    let fixture = Fixture::new();
    let groups = |npmrc: &str| {
        fixture.write("project/.npmrc", npmrc);
        let install = fixture.load("project").install;
        (install.production, install.dev, install.optional)
    };
    assert_eq!(groups(""), (true, true, true));
    assert_eq!(groups("production=true\n"), (true, false, true));
    assert_eq!(groups("dev=true\n"), (false, true, false));
    assert_eq!(groups("only=prod\noptional=false\n"), (true, false, false));
}

#[test]
fn wrong_types_name_the_file_and_line() {
    let fixture = Fixture::new();
    fixture.write("project/.npmrc", "# comment\nfetch-retries=many\n");
    let error = fixture.load_with("project", CliSettings::default()).unwrap_err();
    let ConfigError::InvalidValue { key, origin, .. } = &error else { panic!("{error:?}") };
    assert_eq!(key, "fetch-retries");
    assert_eq!(origin.to_string(), format!("{}:2", fixture.path("project/.npmrc").display()));
    for npmrc in [
        "node-linker=flat\n",
        "strict-ssl=maybe\n",
        "fetch-timeout=-1\n",
        "resolution-mode=newest\n",
    ] {
        fixture.write("project/.npmrc", npmrc);
        let error = fixture.load_with("project", CliSettings::default()).unwrap_err();
        assert!(matches!(error, ConfigError::InvalidValue { .. }), "{npmrc}: {error:?}");
    }
    fixture.write("project/.npmrc", "strict-ssl=\n");
    assert!(fixture.load("project").network.strict_ssl);
}

#[test]
fn cli_flags_conflict_like_pnpm() {
    let fixture = Fixture::new();
    let cli =
        CliSettings { hoist: Some(false), shamefully_hoist: Some(true), ..CliSettings::default() };
    let error = fixture.load_with("project", cli).unwrap_err();
    assert!(matches!(error, ConfigError::HoistConflict { .. }), "{error:?}");
}

#[test]
fn proxies_come_from_settings_then_environment() {
    let mut fixture = Fixture::new();
    fixture
        .set_env("HTTPS_PROXY", "http://env-proxy.example.test:1")
        .set_env("no_proxy", "localhost");
    let network = fixture.load("project").network;
    assert_eq!(network.https_proxy.unwrap().as_str(), "http://env-proxy.example.test:1");
    assert_eq!(network.no_proxy.as_deref(), Some("localhost"));
    fixture.write("home/.npmrc", "proxy=http://npmrc-proxy.example.test:2\n");
    let network = fixture.load("project").network;
    assert_eq!(network.https_proxy.unwrap().as_str(), "http://npmrc-proxy.example.test:2");
    assert_eq!(network.http_proxy.unwrap().as_str(), "http://npmrc-proxy.example.test:2");
}

#[test]
fn cafile_replaces_inline_ca() {
    let fixture = Fixture::new();
    let pem = "-----BEGIN CERTIFICATE-----\nA\n-----END CERTIFICATE-----\n-----BEGIN CERTIFICATE-----\nB\n-----END CERTIFICATE-----\n";
    fixture.write("certs/bundle.pem", pem).write("home/.npmrc", "ca[]=inline\n");
    assert_eq!(fixture.load("project").ca_certificates().unwrap(), ["inline"]);
    fixture.write(
        "home/.npmrc",
        &format!("ca[]=inline\ncafile={}\n", fixture.path("certs/bundle.pem").display()),
    );
    let certificates = fixture.load("project").ca_certificates().unwrap();
    assert_eq!(certificates.len(), 2);
    assert!(certificates[1].starts_with("-----BEGIN CERTIFICATE-----\nB"));
}

#[test]
fn a_release_age_set_explicitly_is_strict_unless_told_otherwise() {
    let fixture = Fixture::new();
    fixture.write("project/package.json", "{}");
    let install = fixture.load("project").install;
    assert_eq!((install.minimum_release_age, install.minimum_release_age_strict), (1440, false));

    fixture.write(
        "project/pnpm-workspace.yaml",
        "minimumReleaseAge: 60\nminimumReleaseAgeExclude: ['@scope/*', 'foo@1.0.0 || 1.0.1']\n\
         minimumReleaseAgeIgnoreMissingTime: false\nblockExoticSubdeps: false\n",
    );
    let install = fixture.load("project").install;
    assert_eq!((install.minimum_release_age, install.minimum_release_age_strict), (60, true));
    assert_eq!(install.minimum_release_age_exclude, ["@scope/*", "foo@1.0.0 || 1.0.1"]);
    assert!(!install.minimum_release_age_ignore_missing_time && !install.block_exotic_subdeps);

    fixture.write("project/.npmrc", "minimum-release-age-strict=false\n");
    assert!(!fixture.load("project").install.minimum_release_age_strict);

    let mut env_only = Fixture::new();
    env_only.write("project/package.json", "{}");
    env_only.set_env("pnpm_config_minimum_release_age", "1440");
    let install = env_only.load("project").install;
    assert_eq!((install.minimum_release_age, install.minimum_release_age_strict), (1440, true));
}
