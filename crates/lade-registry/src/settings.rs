use std::path::PathBuf;
use std::time::Duration;

use url::Url;

/// How the client talks to registries. The defaults are pnpm's.
#[derive(Clone, Debug)]
pub struct NetworkSettings {
    /// PEM files of extra trusted roots (`.npmrc` `cafile`). They are added to the system's roots,
    /// which already honour `SSL_CERT_FILE` / `SSL_CERT_DIR`.
    pub ca_files: Vec<PathBuf>,
    /// Inline PEM certificates (`.npmrc` `ca`).
    pub ca_certs: Vec<String>,
    /// `strict-ssl`: verify server certificates. Default true.
    pub strict_ssl: bool,
    /// `fetch-timeout`: the deadline of one attempt, connection to last body byte. Default 60 s.
    pub timeout: Duration,
    pub retry: RetryPolicy,
    /// `maxsockets`: idle connections kept per host. Default 50.
    pub max_sockets: usize,
    /// `network-concurrency`: requests in flight at once. Default as pnpm 11/12:
    /// `min(96, max(3 * (cores - 1), 64))`.
    pub network_concurrency: usize,
    pub user_agent: String,
    /// `https-proxy` / `proxy` / `no-proxy`. `None` means no proxy: the environment is not
    /// consulted here, the configuration layer owns that.
    pub proxy: Option<ProxySettings>,
    /// `--offline`: every network call fails with a coded error instead.
    pub offline: bool,
    /// Tarballs larger than this are refused. Default 1 GiB.
    pub max_tarball_size: u64,
}

impl Default for NetworkSettings {
    fn default() -> Self {
        NetworkSettings {
            ca_files: Vec::new(),
            ca_certs: Vec::new(),
            strict_ssl: true,
            timeout: Duration::from_secs(60),
            retry: RetryPolicy::default(),
            max_sockets: 50,
            network_concurrency: default_network_concurrency(),
            user_agent: default_user_agent(),
            proxy: None,
            offline: false,
            max_tarball_size: 1024 * 1024 * 1024,
        }
    }
}

/// `fetch-retries`, `fetch-retry-factor`, `fetch-retry-mintimeout`, `fetch-retry-maxtimeout`.
/// The wait before retry `n` (from 0) is `min(min_timeout * factor^n, max_timeout)`, as
/// `@zkochan/retry` computes it with randomisation off.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt. Default 2.
    pub retries: u32,
    pub factor: u32,
    pub min_timeout: Duration,
    pub max_timeout: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            retries: 2,
            factor: 10,
            min_timeout: Duration::from_secs(10),
            max_timeout: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// The wait before retry number `retry` (0 for the first retry).
    pub fn delay_for(&self, retry: u32) -> Duration {
        let scale = self.factor.checked_pow(retry).unwrap_or(u32::MAX);
        self.min_timeout.saturating_mul(scale).min(self.max_timeout)
    }
}

#[derive(Clone, Debug, Default)]
pub struct ProxySettings {
    pub https_proxy: Option<Url>,
    pub http_proxy: Option<Url>,
    /// `no-proxy`: comma-separated hosts or domains that bypass the proxy.
    pub no_proxy: Option<String>,
}

/// `lade/<version> npm/? node/? <platform> <arch>`, shaped like pnpm's
/// `pnpm/<version> npm/? node/<node version> <platform> <arch>` with Node's platform names.
pub fn default_user_agent() -> String {
    let platform = match std::env::consts::OS {
        "macos" => "darwin",
        "windows" => "win32",
        other => other,
    };
    let arch = match std::env::consts::ARCH {
        "x86_64" => "x64",
        "aarch64" => "arm64",
        "x86" => "ia32",
        other => other,
    };
    format!("lade/{} npm/? node/? {platform} {arch}", env!("CARGO_PKG_VERSION"))
}

fn default_network_concurrency() -> usize {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    (cores.saturating_sub(1).max(1) * 3).clamp(64, 96)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pnpm_backoff_schedule() {
        let policy = RetryPolicy::default();
        assert_eq!(policy.delay_for(0), Duration::from_secs(10));
        assert_eq!(policy.delay_for(1), Duration::from_secs(60));
        assert_eq!(policy.delay_for(40), Duration::from_secs(60));
    }

    #[test]
    fn user_agent_names_lade_and_platform() {
        let agent = default_user_agent();
        assert!(agent.starts_with("lade/") && agent.contains(" npm/? node/? "), "{agent}");
    }
}
