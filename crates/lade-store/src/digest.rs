use std::fmt;

use sha2::{Digest, Sha512};

/// Length of a SHA-512 digest in hex, the form index rows and store file names use.
pub(crate) const HEX_LEN: usize = 128;

/// The SHA-512 of a file's content: the address of that file in the store. pnpm always hashes
/// store files with SHA-512, so the type holds exactly that and nothing else.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileDigest([u8; 64]);

impl FileDigest {
    pub fn of(content: &[u8]) -> Self {
        FileDigest(Sha512::digest(content).into())
    }

    pub(crate) fn from_hasher(hasher: Sha512) -> Self {
        FileDigest(hasher.finalize().into())
    }

    /// Parses the 128 lowercase-or-uppercase hex characters an index row stores.
    pub fn from_hex(hex: &[u8]) -> Option<Self> {
        let mut bytes = [0u8; 64];
        hex::decode_to_slice(hex, &mut bytes).ok()?;
        Some(FileDigest(bytes))
    }

    pub fn as_bytes(&self) -> &[u8; 64] {
        &self.0
    }

    /// Lowercase hex, as pnpm writes it into rows and file names.
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }

    /// Lowercase hex into a stack buffer, so building a store path allocates nothing.
    pub(crate) fn hex_bytes(&self) -> [u8; HEX_LEN] {
        let mut out = [0u8; HEX_LEN];
        // The buffer is exactly twice the digest length, which is all encode_to_slice checks.
        if hex::encode_to_slice(self.0, &mut out).is_err() {
            unreachable!("a 128-byte buffer holds the hex of 64 bytes");
        }
        out
    }

    /// The shard directory byte: store files live in `files/<first byte as hex>/`.
    pub(crate) fn shard(&self) -> u8 {
        self.0[0]
    }
}

impl fmt::Debug for FileDigest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "FileDigest({})", self.to_hex())
    }
}

impl fmt::Display for FileDigest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

/// Name of a store file inside its shard directory: the hex digest minus its first two
/// characters, with `-exec` appended for executables, exactly as pnpm names them.
pub(crate) struct ShardFileName {
    bytes: [u8; HEX_LEN - 2 + 5],
    len: usize,
}

impl ShardFileName {
    pub(crate) fn new(digest: &FileDigest, executable: bool) -> Self {
        let hex = digest.hex_bytes();
        let mut bytes = [0u8; HEX_LEN - 2 + 5];
        bytes[..HEX_LEN - 2].copy_from_slice(&hex[2..]);
        let mut len = HEX_LEN - 2;
        if executable {
            bytes[len..].copy_from_slice(b"-exec");
            len += 5;
        }
        ShardFileName { bytes, len }
    }

    pub(crate) fn as_str(&self) -> &str {
        // Only ASCII hex digits and `-exec` are ever written into the buffer.
        std::str::from_utf8(&self.bytes[..self.len]).unwrap_or_default()
    }
}

pub(crate) fn shard_dir_name(shard: u8) -> String {
    format!("{shard:02x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trip() {
        let digest = FileDigest::of(b"hello");
        let hex = digest.to_hex();
        assert_eq!(hex.len(), HEX_LEN);
        assert!(hex.starts_with("9b71d224"));
        assert_eq!(FileDigest::from_hex(hex.as_bytes()), Some(digest));
        assert_eq!(FileDigest::from_hex(hex.to_uppercase().as_bytes()), Some(digest));
    }

    #[test]
    fn rejects_bad_hex() {
        assert_eq!(FileDigest::from_hex(b"abc"), None);
        assert_eq!(FileDigest::from_hex(&[b'z'; HEX_LEN]), None);
        assert_eq!(FileDigest::from_hex(&[b'a'; HEX_LEN + 2]), None);
    }

    #[test]
    fn shard_file_names_follow_pnpm() {
        let digest = FileDigest::of(b"hello");
        let hex = digest.to_hex();
        assert_eq!(ShardFileName::new(&digest, false).as_str(), &hex[2..]);
        assert_eq!(ShardFileName::new(&digest, true).as_str(), format!("{}-exec", &hex[2..]));
        assert_eq!(shard_dir_name(digest.shard()), &hex[..2]);
    }
}
