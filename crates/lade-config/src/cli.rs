use std::fmt;
use std::path::PathBuf;

use crate::ConfigError;
use crate::env_replace::UnsetVar;
use crate::layers::{Entry, Layer, RawValue, SourceKind};
use crate::npmrc::{FieldContext, FieldError, parse_field};
use crate::secret::is_secret_key;

/// Settings given on the command line: the highest precedence.
#[derive(Clone, Default)]
pub struct CliSettings {
    pub store_dir: Option<PathBuf>,
    pub registry: Option<String>,
    pub offline: Option<bool>,
    pub prefer_offline: Option<bool>,
    pub frozen_lockfile: Option<bool>,
    pub prefer_frozen_lockfile: Option<bool>,
    pub ignore_scripts: Option<bool>,
    pub production: Option<bool>,
    pub dev: Option<bool>,
    pub optional: Option<bool>,
    pub node_linker: Option<String>,
    pub hoist: Option<bool>,
    pub shamefully_hoist: Option<bool>,
    pub virtual_store_dir: Option<PathBuf>,
    /// `--ignore-workspace`: behave as if there were no pnpm-workspace.yaml.
    pub ignore_workspace: bool,
    /// `--config.<key>=<value>` pairs, keys in npmrc (kebab-case) form.
    pub config: Vec<(String, String)>,
}

impl fmt::Debug for CliSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let config: Vec<(&str, &str)> = self
            .config
            .iter()
            .map(|(key, value)| (key.as_str(), if is_secret_key(key) { "***" } else { value }))
            .collect();
        f.debug_struct("CliSettings")
            .field("store_dir", &self.store_dir)
            .field("registry", &self.registry)
            .field("offline", &self.offline)
            .field("frozen_lockfile", &self.frozen_lockfile)
            .field("node_linker", &self.node_linker)
            .field("config", &config)
            .finish_non_exhaustive()
    }
}

impl CliSettings {
    pub(crate) fn layer(&self, context: &FieldContext<'_>) -> Result<Layer, ConfigError> {
        if self.hoist == Some(false) {
            if self.shamefully_hoist == Some(true) {
                return Err(ConfigError::HoistConflict { flag: "shamefully-hoist" });
            }
            if self.config.iter().any(|(key, _)| key == "hoist-pattern") {
                return Err(ConfigError::HoistConflict { flag: "hoist-pattern" });
            }
        }
        let mut layer = Layer::new(SourceKind::CommandLine, None);
        for (key, value) in &self.config {
            let value = parse_field(key, RawValue::Str(value.clone()), context)
                .map_err(|error| cli_value_error(key, value, error, &layer))?;
            layer.entries.insert(key.clone(), Entry { value, line: None });
        }
        let text = |value: &Option<String>| value.clone().map(RawValue::Str);
        // Relative directories stay relative: pnpm resolves them against the workspace root
        // (store) or the lockfile directory (virtual store), not the working directory.
        let path = |value: &Option<PathBuf>| {
            value.as_ref().map(|path| RawValue::Str(path.to_string_lossy().into_owned()))
        };
        let typed = [
            ("store-dir", path(&self.store_dir)),
            ("registry", text(&self.registry)),
            ("offline", self.offline.map(RawValue::Bool)),
            ("prefer-offline", self.prefer_offline.map(RawValue::Bool)),
            ("frozen-lockfile", self.frozen_lockfile.map(RawValue::Bool)),
            ("prefer-frozen-lockfile", self.prefer_frozen_lockfile.map(RawValue::Bool)),
            ("ignore-scripts", self.ignore_scripts.map(RawValue::Bool)),
            ("production", self.production.map(RawValue::Bool)),
            ("dev", self.dev.map(RawValue::Bool)),
            ("optional", self.optional.map(RawValue::Bool)),
            ("node-linker", text(&self.node_linker)),
            ("hoist", self.hoist.map(RawValue::Bool)),
            ("shamefully-hoist", self.shamefully_hoist.map(RawValue::Bool)),
            ("virtual-store-dir", path(&self.virtual_store_dir)),
        ];
        for (key, value) in typed {
            if let Some(value) = value {
                layer.entries.insert(key.to_owned(), Entry { value, line: None });
            }
        }
        Ok(layer)
    }
}

fn cli_value_error(key: &str, value: &str, error: FieldError, layer: &Layer) -> ConfigError {
    match error {
        FieldError::Unset(UnsetVar(expression)) => {
            ConfigError::UnsetEnvVar { key: key.to_owned(), expression, origin: layer.origin(None) }
        }
        FieldError::BadJson => ConfigError::InvalidValue {
            key: key.to_owned(),
            value: if is_secret_key(key) { "***".to_owned() } else { value.to_owned() },
            expected: "valid JSON inside the quotes",
            origin: layer.origin(None),
        },
    }
}
