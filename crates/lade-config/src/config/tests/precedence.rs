//! Precedence facts checked against pnpm 10.34.9 itself, by running
//! `pnpm config get <key> [--json]` in a workspace subproject with `HOME`, `PREFIX`,
//! `XDG_CONFIG_HOME` and `npm_config_*` set as below:
//!
//! - hoist-pattern: user < workspace .npmrc < project .npmrc < `npm_config_hoist_pattern`
//!   (any case) < `hoistPattern` in pnpm-workspace.yaml < `--config.hoist-pattern`;
//!   `pnpm_config_hoist_pattern` was ignored by pnpm 10.
//! - node-linker: `nodeLinker` in pnpm-workspace.yaml beat `npm_config_node_linker`, and
//!   `--config.node-linker` beat the yaml.
//! - fetch-retries: `~/.config/pnpm/rc` (7) < `~/.npmrc` (3) < workspace `.npmrc` (4);
//!   fetch-timeout: `$PREFIX/etc/npmrc` (99, via `npm_config_prefix` or `PREFIX`) beat the rc (11).
//! - `registry` in pnpm-workspace.yaml did not change the registry `pnpm install` used.
//! - `fetch-retries=${NOPE}` in an .npmrc: pnpm warned "Issue while reading" and ignored the
//!   whole file.

use super::*;

fn fetch_retries(fixture: &Fixture, cli: CliSettings) -> u32 {
    fixture.load_with("project/pkgs/a", cli).unwrap().network.fetch_retries
}

#[test]
fn every_source_in_pnpm_10_order() {
    let mut fixture = Fixture::new();
    fixture
        .write("project/pkgs/a/package.json", "{}")
        .write("project/pnpm-workspace.yaml", "packages: ['pkgs/*']\n")
        .write("home/.config/pnpm/rc", "fetch-retries=1\n");
    let cli = || cli_config(&[("fetch-retries", "9")]);
    assert_eq!(fetch_retries(&fixture, CliSettings::default()), 1);
    fixture.write("prefix/etc/npmrc", "fetch-retries=2\n");
    assert_eq!(fetch_retries(&fixture, CliSettings::default()), 2);
    fixture.write("home/.npmrc", "fetch-retries=3\n");
    assert_eq!(fetch_retries(&fixture, CliSettings::default()), 3);
    fixture.write("project/.npmrc", "fetch-retries=4\n");
    assert_eq!(fetch_retries(&fixture, CliSettings::default()), 4);
    fixture.write("project/pkgs/a/.npmrc", "fetch-retries=5\n");
    assert_eq!(fetch_retries(&fixture, CliSettings::default()), 5);
    fixture.set_env("NPM_CONFIG_FETCH_RETRIES", "6");
    assert_eq!(fetch_retries(&fixture, CliSettings::default()), 6);
    fixture.write("project/pnpm-workspace.yaml", "packages: ['pkgs/*']\nfetchRetries: 7\n");
    assert_eq!(fetch_retries(&fixture, CliSettings::default()), 7);
    assert_eq!(fetch_retries(&fixture, cli()), 9);
}

#[test]
fn hoist_pattern_like_pnpm_config_get() {
    let mut fixture = Fixture::new();
    fixture
        .write("project/pkgs/a/package.json", "{}")
        .write("project/pnpm-workspace.yaml", "packages: ['pkgs/*']\n");
    let pattern = |fixture: &Fixture| fixture.load("project/pkgs/a").layout.hoist_pattern.unwrap();
    assert_eq!(pattern(&fixture), ["*"]);
    fixture.write("home/.npmrc", "hoist-pattern[]=fromuser\n");
    assert_eq!(pattern(&fixture), ["fromuser"]);
    fixture.write("project/.npmrc", "hoist-pattern[]=fromws\n");
    assert_eq!(pattern(&fixture), ["fromws"]);
    fixture.write("project/pkgs/a/.npmrc", "hoist-pattern[]=fromproj\n");
    assert_eq!(pattern(&fixture), ["fromproj"]);
    fixture.set_env("npm_config_hoist_pattern", "fromenv");
    assert_eq!(pattern(&fixture), ["fromenv"]);
    fixture
        .write("project/pnpm-workspace.yaml", "packages: ['pkgs/*']\nhoistPattern: [fromyaml]\n");
    assert_eq!(pattern(&fixture), ["fromyaml"]);
    let cli = cli_config(&[("hoist-pattern", "fromcli")]);
    assert_eq!(
        fixture.load_with("project/pkgs/a", cli).unwrap().layout.hoist_pattern.unwrap(),
        ["fromcli"]
    );
}

#[test]
fn userconfig_and_globalconfig_can_be_moved_by_the_environment() {
    let mut fixture = Fixture::new();
    fixture
        .write("elsewhere/npmrc", "fetch-timeout=1000\n")
        .write("home/.npmrc", "fetch-timeout=2000\n");
    fixture
        .set_env("NPM_CONFIG_USERCONFIG", &fixture.path("elsewhere/npmrc").display().to_string());
    assert_eq!(fixture.load("project").network.fetch_timeout, Duration::from_millis(1000));
    fixture.write("other-prefix/etc/npmrc", "fetch-retry-factor=3\n");
    fixture.set_env("npm_config_prefix", &fixture.path("other-prefix").display().to_string());
    assert_eq!(fixture.load("project").network.fetch_retry_factor, 3);
}

#[test]
fn pnpm_config_env_vars_are_taken_above_npm_config() {
    let mut fixture = Fixture::new();
    fixture.set_env("npm_config_node_linker", "pnp").set_env("PNPM_CONFIG_NODE_LINKER", "hoisted");
    assert_eq!(fixture.load("project").layout.node_linker, NodeLinker::Hoisted);
}

#[test]
fn an_npmrc_with_an_unset_variable_is_skipped_with_a_warning() {
    let fixture = Fixture::new();
    fixture
        .write("home/.npmrc", "fetch-retries=3\n")
        .write("project/.npmrc", "fetch-retries=${NOPE}\nfetch-timeout=1\n");
    let config = fixture.load("project");
    assert_eq!(config.network.fetch_retries, 3);
    assert_eq!(config.network.fetch_timeout, Duration::from_secs(60));
    assert!(
        matches!(config.warnings.as_slice(), [ConfigWarning::SkippedNpmrc { .. }]),
        "{:?}",
        config.warnings
    );
}

#[test]
fn defaults_match_pnpm_10() {
    let config = Fixture::new().load("project");
    let network = &config.network;
    assert_eq!((network.fetch_retries, network.fetch_retry_factor), (2, 10));
    assert_eq!(network.fetch_retry_mintimeout, Duration::from_secs(10));
    assert_eq!(network.fetch_retry_maxtimeout, Duration::from_secs(60));
    assert_eq!(network.fetch_timeout, Duration::from_secs(60));
    assert!((16..=64).contains(&network.network_concurrency));
    assert!(network.strict_ssl && !network.offline && !network.prefer_offline);
    let layout = &config.layout;
    assert_eq!(layout.node_linker, NodeLinker::Isolated);
    assert_eq!(layout.hoist_pattern.as_deref(), Some(&["*".to_owned()][..]));
    assert_eq!(layout.public_hoist_pattern.as_deref(), Some(&[][..]));
    assert_eq!(layout.virtual_store_dir_max_length, if cfg!(windows) { 60 } else { 120 });
    assert_eq!(layout.package_import_method, PackageImportMethod::Auto);
    assert!(layout.symlink && !layout.enable_global_virtual_store);
    let install = &config.install;
    assert!(install.lockfile && install.prefer_frozen_lockfile && !install.frozen_lockfile);
    assert!(install.production && install.dev && install.optional);
    assert!(
        install.auto_install_peers
            && install.dedupe_peer_dependents
            && !install.strict_peer_dependencies
    );
    assert!(
        install.verify_store_integrity && install.side_effects_cache && !install.ignore_scripts
    );
    assert_eq!(install.resolution_mode, ResolutionMode::Highest);
    assert_eq!(install.minimum_release_age, 24 * 60);
    assert!(!install.minimum_release_age_strict && install.minimum_release_age_ignore_missing_time);
    assert!(install.block_exotic_subdeps);
    assert_eq!(config.registries.default.as_str(), FALLBACK);
}

use std::time::Duration;
