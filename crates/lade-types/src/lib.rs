//! Vocabulary shared by every lade stage. Strings from files and the network are parsed into these
//! types at the edges so that the stages never pass bare strings around. pnpm's object hash lives
//! here too: the resolver (lockfile checksums) and the linker (global virtual store) both need it.

mod dep_path;
mod error;
mod integrity;
mod object_hash;
mod pkg_name;
mod version;

pub use dep_path::DepPath;
pub use error::TypesError;
pub use integrity::{HashAlgorithm, Integrity, IntegrityChecker};
pub use object_hash::{HashEncoding, ObjectHashWriter, hash_object, hash_object_without_sorting};
pub use pkg_name::PkgName;
pub use version::Version;
