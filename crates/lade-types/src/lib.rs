//! Vocabulary shared by every lade stage. Strings from files and the network are parsed into these
//! types at the edges so that the stages never pass bare strings around.

mod dep_path;
mod error;
mod integrity;
mod pkg_name;
mod version;

pub use dep_path::DepPath;
pub use error::TypesError;
pub use integrity::{HashAlgorithm, Integrity, IntegrityChecker};
pub use pkg_name::PkgName;
pub use version::Version;
