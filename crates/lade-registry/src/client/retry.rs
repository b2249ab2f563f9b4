use std::future::Future;
use std::time::Duration;

use super::RegistryClient;
use crate::RegistryError;

/// One failed attempt, with the server's `Retry-After` when it sent one.
#[derive(Debug)]
pub(crate) struct Failure {
    pub error: RegistryError,
    pub retry_after: Option<Duration>,
}

impl From<RegistryError> for Failure {
    fn from(error: RegistryError) -> Self {
        Failure { error, retry_after: None }
    }
}

impl RegistryClient {
    /// Runs `attempt` until it succeeds, fails for good, or the retries run out. The wait grows
    /// as pnpm's does; a `Retry-After` replaces it, capped at the policy's longest wait.
    pub(crate) async fn with_retries<T, F, Fut>(&self, mut attempt: F) -> Result<T, RegistryError>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, Failure>>,
    {
        let mut retries = 0;
        loop {
            let failure = match attempt().await {
                Ok(value) => return Ok(value),
                Err(failure) => failure,
            };
            if retries >= self.retry.retries || !failure.error.is_retryable() {
                return Err(failure.error);
            }
            let delay = failure.retry_after.map_or_else(
                || self.retry.delay_for(retries),
                |wait| wait.min(self.retry.max_timeout),
            );
            tracing::debug!(error = %failure.error, ?delay, retry = retries + 1, "retrying request");
            retries += 1;
            tokio::time::sleep(delay).await;
        }
    }
}
