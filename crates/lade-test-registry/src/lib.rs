//! A local npm registry for tests: serves packuments and real tarballs built from declarative
//! fixtures over HTTP/1.1 on a loopback port, with injectable faults and a request log.

mod auth;
mod catalog;
mod error;
mod fault;
mod fixture;
mod package_spec;
mod request_log;
mod server;
mod tarball;

pub use auth::RequiredAuth;
pub use catalog::Dist;
pub use error::TestRegistryError;
pub use fault::{Fault, FaultRule};
pub use fixture::RegistryFixture;
pub use package_spec::PackageSpec;
pub use request_log::{AuthScheme, RecordedRequest};
pub use server::TestRegistry;
pub use tarball::TarballBuilder;
