//! HTTP access to npm registries: client, auth, retries, tarball streams
