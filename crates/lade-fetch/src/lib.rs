//! The fetch stage: where a package's tarball lives, downloading it with its integrity checked,
//! and extracting it into the store. Nothing enters the store before the bytes are verified.

mod error;
mod fetcher;
mod source;

pub use error::FetchError;
pub use fetcher::Fetcher;
pub use source::TarballSource;
