//! The configuration, reduced to what each install stage takes.

use lade_config::{Config, NodeLinker, PackageImportMethod};
use lade_linker::{
    BinsPlanOptions, HoistPattern, HoistPatterns, IncludedDependencies, ModulesYaml, Platform,
    SupportedArchitectures,
};
use lade_registry::{AuthHeader, NetworkSettings, ProxySettings, RetryPolicy};
use lade_store::{ImportMethod, ImportOptions};
use url::Url;

use crate::engine::NodeEngine;
use crate::graph::GraphOptions;
use crate::project::Workspace;
use crate::{Include, InstallError};

pub(crate) struct InstallSettings {
    pub include: Include,
    pub platform: Platform,
    pub supported: SupportedArchitectures,
    pub hoist_patterns: HoistPatterns,
    pub import_method: ImportMethod,
    pub verify_store_integrity: bool,
    pub dedupe_direct_deps: bool,
    pub virtual_store_dir_max_length: usize,
    pub network: NetworkSettings,
    pub importer_ids: Vec<String>,
    pub node: NodeEngine,
    pub engine_strict: bool,
}

impl InstallSettings {
    pub fn resolve(workspace: &Workspace) -> Result<Self, InstallError> {
        let config = &workspace.config;
        let layout = &config.layout;
        if layout.node_linker != NodeLinker::Isolated {
            return Err(InstallError::UnsupportedNodeLinker { linker: layout.node_linker });
        }
        let hoist_patterns = HoistPatterns {
            private: HoistPattern::new(layout.hoist_pattern.clone().unwrap_or_default()),
            public: HoistPattern::new(layout.public_hoist_pattern.clone().unwrap_or_default()),
        };
        let supported = match &config.pnpm.supported_architectures {
            Some(wanted) => {
                let or_current = |list: &Option<Vec<String>>| {
                    list.clone().unwrap_or_else(|| vec!["current".to_owned()])
                };
                SupportedArchitectures {
                    os: or_current(&wanted.os),
                    cpu: or_current(&wanted.cpu),
                    libc: or_current(&wanted.libc),
                }
            }
            None => SupportedArchitectures::default(),
        };
        Ok(InstallSettings {
            include: Include {
                dependencies: config.install.production,
                dev_dependencies: config.install.dev,
                optional: config.install.optional,
            },
            platform: Platform::current(),
            supported,
            hoist_patterns,
            import_method: import_method(layout.package_import_method),
            verify_store_integrity: config.install.verify_store_integrity,
            dedupe_direct_deps: config.install.dedupe_direct_deps,
            virtual_store_dir_max_length: layout.virtual_store_dir_max_length as usize,
            network: network_settings(config)?,
            importer_ids: workspace.projects.iter().map(|project| project.id.clone()).collect(),
            node: NodeEngine::new(config),
            engine_strict: config.install.engine_strict,
        })
    }

    pub fn graph_options(&self) -> GraphOptions<'_> {
        GraphOptions {
            include: self.include,
            platform: &self.platform,
            supported: &self.supported,
            virtual_store_dir_max_length: self.virtual_store_dir_max_length,
            importer_ids: &self.importer_ids,
            node: &self.node,
            engine_strict: self.engine_strict,
        }
    }

    pub fn import_options(&self) -> ImportOptions {
        ImportOptions {
            method: self.import_method,
            verify_store_integrity: self.verify_store_integrity,
        }
    }

    pub fn bins_plan_options(&self) -> BinsPlanOptions {
        BinsPlanOptions {
            public_hoisting: !self.hoist_patterns.public.patterns().is_empty(),
            dedupe_direct_deps: self.dedupe_direct_deps,
        }
    }

    /// `.modules.yaml` as this install will record it, before hoisting fills it in.
    pub fn modules_yaml(&self, workspace: &Workspace) -> ModulesYaml {
        let config = &workspace.config;
        let mut registries = indexmap::IndexMap::new();
        registries
            .insert("default".to_owned(), without_credentials(config.registries.default.as_url()));
        for (scope, url) in &config.registries.scoped {
            registries.insert(scope.clone(), without_credentials(url.as_url()));
        }
        ModulesYaml {
            hoist_pattern: Some(self.hoist_patterns.private.patterns().to_vec()),
            public_hoist_pattern: Some(self.hoist_patterns.public.patterns().to_vec()),
            included: IncludedDependencies {
                dependencies: self.include.dependencies,
                dev_dependencies: self.include.dev_dependencies,
                optional_dependencies: self.include.optional,
            },
            package_manager: format!("lade@{}", env!("CARGO_PKG_VERSION")),
            registries,
            store_dir: config.dirs.store_version_dir().to_string_lossy().into_owned(),
            virtual_store_dir_max_length: self.virtual_store_dir_max_length,
            ..ModulesYaml::default()
        }
    }
}

/// A registry URL as `.modules.yaml` records it: credentials in the URL (which pnpm would write
/// there too) are left out, since the file is not a secret store.
fn without_credentials(url: &Url) -> String {
    let mut url = url.clone();
    let _ = url.set_username("");
    let _ = url.set_password(None);
    url.into()
}

fn import_method(method: PackageImportMethod) -> ImportMethod {
    match method {
        PackageImportMethod::Auto => ImportMethod::Auto,
        PackageImportMethod::Hardlink => ImportMethod::Hardlink,
        PackageImportMethod::Copy => ImportMethod::Copy,
        PackageImportMethod::Clone => ImportMethod::Clone,
        PackageImportMethod::CloneOrCopy => ImportMethod::CloneOrCopy,
    }
}

fn network_settings(config: &Config) -> Result<NetworkSettings, InstallError> {
    let network = &config.network;
    let proxy_url = |proxy: &Option<lade_config::ProxyUrl>| {
        proxy.as_ref().and_then(|url| Url::parse(url.as_str()).ok())
    };
    let proxy =
        (network.https_proxy.is_some() || network.http_proxy.is_some()).then(|| ProxySettings {
            https_proxy: proxy_url(&network.https_proxy),
            http_proxy: proxy_url(&network.http_proxy),
            no_proxy: network.no_proxy.clone(),
        });
    let defaults = NetworkSettings::default();
    Ok(NetworkSettings {
        ca_files: Vec::new(),
        ca_certs: config.ca_certificates()?,
        strict_ssl: network.strict_ssl,
        timeout: network.fetch_timeout,
        retry: RetryPolicy {
            retries: network.fetch_retries,
            factor: network.fetch_retry_factor,
            min_timeout: network.fetch_retry_mintimeout,
            max_timeout: network.fetch_retry_maxtimeout,
        },
        max_sockets: network.max_sockets as usize,
        network_concurrency: network.network_concurrency as usize,
        user_agent: network.user_agent.clone().unwrap_or(defaults.user_agent),
        proxy,
        offline: network.offline,
        ..defaults
    })
}

/// The registry credential for `url` in the registry client's form.
pub(crate) fn registry_auth(config: &Config, url: &Url) -> Option<AuthHeader> {
    let header = config.auth_header_for(url)?;
    let (scheme, value) = header.value().split_once(' ')?;
    match scheme {
        "Bearer" => AuthHeader::bearer(value).ok(),
        "Basic" => AuthHeader::basic_encoded(value).ok(),
        _ => None,
    }
}
