use std::fmt;

use sha2::{Digest, Sha512};

/// Length of a SHA-512 digest in hex, the form index rows and store file names use.
pub(crate) const HEX_LEN: usize = 128;

/// The SHA-512 of a file's content: the address of that file in the store. pnpm always hashes
/// store files with SHA-512, so the type holds exactly that and nothing else.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileDigest([u8; 64]);

impl FileDigest {
    /// The digest of `content`.
    pub fn of(content: &[u8]) -> Self {
        FileDigest(Sha512::digest(content).into())
    }

    pub(crate) fn from_hasher(hasher: Sha512) -> Self {
        FileDigest(hasher.finalize().into())
    }

    /// Parses the 128 lowercase-or-uppercase hex characters an index row stores.
    pub fn from_hex(hex: &[u8]) -> Option<Self> {
        let hex: &[u8; HEX_LEN] = hex.try_into().ok()?;
        let mut bytes = [0u8; 64];
        for (out, chunk) in bytes.chunks_exact_mut(4).zip(hex.chunks_exact(8)) {
            let mut eight = [0u8; 8];
            eight.copy_from_slice(chunk);
            out.copy_from_slice(&decode_eight_hex_digits(u64::from_le_bytes(eight))?.to_le_bytes());
        }
        Some(FileDigest(bytes))
    }

    /// The 64 raw digest bytes.
    pub fn as_bytes(&self) -> &[u8; 64] {
        &self.0
    }

    /// Lowercase hex, as pnpm writes it into rows and file names.
    pub fn to_hex(&self) -> String {
        self.hex_bytes().iter().map(|&digit| char::from(digit)).collect()
    }

    /// Lowercase hex into a stack buffer, so building a store path allocates nothing.
    pub(crate) fn hex_bytes(&self) -> [u8; HEX_LEN] {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let mut out = [0u8; HEX_LEN];
        for (pair, byte) in out.chunks_exact_mut(2).zip(self.0) {
            pair[0] = DIGITS[usize::from(byte >> 4)];
            pair[1] = DIGITS[usize::from(byte & 0x0f)];
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

/// Eight hex digits (little-endian bytes of `x`) to four bytes, eight digits at a time: every
/// warm install parses some 50,000 digests, and a per-character decoder took a quarter of the
/// row decoding time.
fn decode_eight_hex_digits(x: u64) -> Option<u32> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    if x & HIGH != 0 {
        return None;
    }
    // With every byte below 0x80, `(y + (0x80 - lo)) & 0x80` marks bytes >= lo and
    // `((0x80 + hi) - y) & 0x80` bytes <= hi, without carries between bytes.
    let digit = (x + 0x50 * ONES) & (0xb9 * ONES - x) & HIGH;
    let lower = x | (0x20 * ONES);
    let letter = (lower + 0x1f * ONES) & (0xe6 * ONES - lower) & HIGH;
    if digit | letter != HIGH {
        return None;
    }
    let nibbles = (lower & (0x0f * ONES)) + 9 * (letter >> 7);
    let pairs = ((nibbles << 4) | (nibbles >> 8)) & 0x00ff_00ff_00ff_00ff;
    let packed = (pairs | (pairs >> 8)) & 0x0000_ffff_0000_ffff;
    Some(((packed | (packed >> 16)) & 0xffff_ffff) as u32)
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
    fn decodes_every_hex_digit_and_nothing_else() {
        for byte in 0..=255u8 {
            let mut hex = FileDigest::of(b"x").to_hex().into_bytes();
            hex[77] = byte;
            let expected = (byte as char).to_digit(16);
            let decoded = FileDigest::from_hex(&hex);
            assert_eq!(decoded.is_some(), expected.is_some(), "byte {byte:#x}");
            if let (Some(decoded), Some(value)) = (decoded, expected) {
                assert_eq!(u32::from(decoded.as_bytes()[38] & 0x0f), value);
            }
        }
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
