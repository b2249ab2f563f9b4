//! Resolution without a lockfile: the projects' package.json files, the settings and registry
//! metadata in, the pnpm-lock.yaml pnpm 10 would write out.

mod dep_manifest;
mod error;
mod extensions;
mod graph;
mod metadata;
mod options;
mod overrides;
mod pick;
mod preferred;
mod selector;
pub mod semver;
mod specifier;

pub use error::ResolveError;
pub use metadata::{InMemoryMetadata, MetadataSource, RegistryMetadata};
pub use options::{PackageExtension, Project, ResolutionMode, ResolveInput, ResolveSettings};
mod emit;
mod peers;

use std::sync::Arc;

use lade_lockfile::Lockfile;

pub use peers::PeerIssue;

/// A resolution's outcome: the lockfile pnpm would write, and the peer dependency issues pnpm
/// would report.
#[derive(Debug)]
pub struct Resolved {
    pub lockfile: Lockfile,
    pub peer_issues: Vec<PeerIssue>,
}

/// Resolves the projects of `input` against `source`.
pub async fn resolve<S: MetadataSource>(
    source: Arc<S>,
    input: &ResolveInput,
) -> Result<Resolved, ResolveError> {
    let mut graph = graph::build_graph(source.clone(), input).await?;
    let peers = peers::resolve_peers(&mut graph, &input.settings);
    let lockfile =
        emit::emit_lockfile(&graph, &peers, input, |name| source.registry_for(name).clone());
    Ok(Resolved { lockfile, peer_issues: peers.issues })
}
