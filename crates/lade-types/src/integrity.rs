use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use sha1::Sha1;
use sha2::{Digest, Sha256, Sha384, Sha512};

use crate::TypesError;

/// Hash algorithms that appear in npm integrity strings, weakest first so `max` picks the
/// strongest of several.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum HashAlgorithm {
    Sha1,
    Sha256,
    Sha384,
    Sha512,
}

impl HashAlgorithm {
    pub fn as_str(self) -> &'static str {
        match self {
            HashAlgorithm::Sha1 => "sha1",
            HashAlgorithm::Sha256 => "sha256",
            HashAlgorithm::Sha384 => "sha384",
            HashAlgorithm::Sha512 => "sha512",
        }
    }

    fn digest_len(self) -> usize {
        match self {
            HashAlgorithm::Sha1 => 20,
            HashAlgorithm::Sha256 => 32,
            HashAlgorithm::Sha384 => 48,
            HashAlgorithm::Sha512 => 64,
        }
    }

    fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "sha1" => HashAlgorithm::Sha1,
            "sha256" => HashAlgorithm::Sha256,
            "sha384" => HashAlgorithm::Sha384,
            "sha512" => HashAlgorithm::Sha512,
            _ => return None,
        })
    }
}

/// A subresource-integrity value (`sha512-<base64>`), or a legacy hex `shasum` turned into one.
/// When a string lists several hashes, the strongest is kept, as npm's `ssri` does.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Integrity {
    algorithm: HashAlgorithm,
    digest: Box<[u8]>,
}

impl Integrity {
    pub fn parse(text: &str) -> Result<Self, TypesError> {
        let invalid = |reason| TypesError::InvalidIntegrity { integrity: text.to_owned(), reason };
        let mut best: Option<Integrity> = None;
        for part in text.split_ascii_whitespace() {
            let Some((name, rest)) = part.split_once('-') else { continue };
            let Some(algorithm) = HashAlgorithm::from_name(name) else { continue };
            // SRI allows `?options` after the digest; npm never writes them but ssri tolerates them.
            let encoded = rest.split('?').next().unwrap_or_default();
            let digest = STANDARD.decode(encoded).map_err(|_| invalid("digest is not base64"))?;
            if digest.len() != algorithm.digest_len() {
                return Err(invalid("digest has the wrong length for its algorithm"));
            }
            if best.as_ref().is_none_or(|b| algorithm > b.algorithm) {
                best = Some(Integrity { algorithm, digest: digest.into() });
            }
        }
        best.ok_or_else(|| invalid("no supported hash (sha512, sha384, sha256, sha1)"))
    }

    /// A registry `shasum`: 40 hex characters of SHA-1.
    pub fn from_hex_sha1(shasum: &str) -> Result<Self, TypesError> {
        let digest = hex::decode(shasum).map_err(|_| TypesError::InvalidIntegrity {
            integrity: shasum.to_owned(),
            reason: "shasum is not hex",
        })?;
        if digest.len() != HashAlgorithm::Sha1.digest_len() {
            return Err(TypesError::InvalidIntegrity {
                integrity: shasum.to_owned(),
                reason: "shasum is not 40 hex characters",
            });
        }
        Ok(Integrity { algorithm: HashAlgorithm::Sha1, digest: digest.into() })
    }

    /// The SHA-512 of `bytes`, as the store names file contents.
    pub fn sha512_of(bytes: &[u8]) -> Self {
        Integrity {
            algorithm: HashAlgorithm::Sha512,
            digest: Sha512::digest(bytes).to_vec().into(),
        }
    }

    pub fn algorithm(&self) -> HashAlgorithm {
        self.algorithm
    }

    pub fn digest(&self) -> &[u8] {
        &self.digest
    }

    pub fn hex_digest(&self) -> String {
        hex::encode(&self.digest)
    }

    /// A streaming checker for bytes that must hash to this value.
    pub fn checker(&self) -> IntegrityChecker {
        IntegrityChecker { expected: self.clone(), state: HasherState::new(self.algorithm) }
    }
}

impl fmt::Display for Integrity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.algorithm.as_str(), STANDARD.encode(&self.digest))
    }
}

impl fmt::Debug for Integrity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Integrity({self})")
    }
}

impl std::str::FromStr for Integrity {
    type Err = TypesError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Integrity::parse(s)
    }
}

impl Serialize for Integrity {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Integrity {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        Integrity::parse(&raw).map_err(serde::de::Error::custom)
    }
}

enum HasherState {
    Sha1(Sha1),
    Sha256(Sha256),
    Sha384(Sha384),
    Sha512(Sha512),
}

impl HasherState {
    fn new(algorithm: HashAlgorithm) -> Self {
        match algorithm {
            HashAlgorithm::Sha1 => HasherState::Sha1(Sha1::new()),
            HashAlgorithm::Sha256 => HasherState::Sha256(Sha256::new()),
            HashAlgorithm::Sha384 => HasherState::Sha384(Sha384::new()),
            HashAlgorithm::Sha512 => HasherState::Sha512(Sha512::new()),
        }
    }
}

/// Hashes bytes as they stream past and compares the result with the expected integrity.
pub struct IntegrityChecker {
    expected: Integrity,
    state: HasherState,
}

impl IntegrityChecker {
    pub fn update(&mut self, bytes: &[u8]) {
        match &mut self.state {
            HasherState::Sha1(h) => h.update(bytes),
            HasherState::Sha256(h) => h.update(bytes),
            HasherState::Sha384(h) => h.update(bytes),
            HasherState::Sha512(h) => h.update(bytes),
        }
    }

    /// `Ok(())` when the bytes matched; otherwise the integrity they actually have.
    pub fn finish(self) -> Result<(), Integrity> {
        let digest: Box<[u8]> = match self.state {
            HasherState::Sha1(h) => h.finalize().to_vec().into(),
            HasherState::Sha256(h) => h.finalize().to_vec().into(),
            HasherState::Sha384(h) => h.finalize().to_vec().into(),
            HasherState::Sha512(h) => h.finalize().to_vec().into(),
        };
        if digest == self.expected.digest {
            Ok(())
        } else {
            Err(Integrity { algorithm: self.expected.algorithm, digest })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HELLO_SHA512: &str = "sha512-m3HSJL1i83hdltRq0+o9czGb+8KJDKra4t/3JRlnPKcjI8PZm6XBHXx6zG4UuMXaDEZjR1wuXDre9G9zvN7AQw==";

    #[test]
    fn round_trips_sri() {
        let integrity = Integrity::parse(HELLO_SHA512).unwrap();
        assert_eq!(integrity.to_string(), HELLO_SHA512);
        assert_eq!(integrity.algorithm(), HashAlgorithm::Sha512);
    }

    #[test]
    fn picks_strongest_of_several() {
        let text = format!("sha1-qvTGHdzMZ/cC9YMG3jx3AAcDMpE= {HELLO_SHA512}");
        assert_eq!(Integrity::parse(&text).unwrap().algorithm(), HashAlgorithm::Sha512);
    }

    #[test]
    fn checks_streamed_bytes() {
        let integrity = Integrity::parse(HELLO_SHA512).unwrap();
        let mut checker = integrity.checker();
        checker.update(b"hel");
        checker.update(b"lo");
        assert!(checker.finish().is_ok());
        let mut checker = integrity.checker();
        checker.update(b"hellO");
        assert!(checker.finish().is_err());
    }

    #[test]
    fn reads_hex_shasum() {
        let integrity =
            Integrity::from_hex_sha1("aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d").unwrap();
        let mut checker = integrity.checker();
        checker.update(b"hello");
        assert!(checker.finish().is_ok());
    }

    #[test]
    fn rejects_garbage() {
        for bad in ["", "md5-abc", "sha512-!!!", "sha512-aGVsbG8="] {
            assert!(Integrity::parse(bad).is_err(), "{bad:?}");
        }
    }
}
