//! A small mutator for the stable replay: the byte-level moves libFuzzer makes (flips, interesting
//! values, insertions, deletions, copies, splices) plus tokens of the formats under test, driven by
//! a seeded generator so that every run replays the same inputs.

/// A xorshift generator: reproducible and dependency-free.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.max(1))
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A number in `0..bound` (0 when `bound` is 0).
    pub fn below(&mut self, bound: usize) -> usize {
        if bound == 0 { 0 } else { (self.next_u64() % bound as u64) as usize }
    }
}

/// Fragments that steer mutations into the syntax of lockfiles, package.json, .npmrc, semver
/// ranges and tar headers.
const TOKENS: &[&[u8]] = &[
    b"\n",
    b"\n  ",
    b"\n    - ",
    b": ",
    b"- ",
    b"'",
    b"\"",
    b"{",
    b"}",
    b"[",
    b"]",
    b",",
    b"&a ",
    b"*a",
    b"!!str ",
    b"|\n",
    b">-\n",
    b"# ",
    b"---\n",
    b"~",
    b"\\u0000",
    b"\\",
    b"null",
    b"true",
    b"1e309",
    b"-0",
    b"9007199254740993",
    b"=",
    b"[section]\n",
    b"${HOME}",
    b"//host/:_authToken=",
    b"^",
    b"~>",
    b">=",
    b"<",
    b" || ",
    b" - ",
    b"x",
    b"*",
    b"-rc.1",
    b"+build",
    b"@",
    b"@scope/",
    b"../",
    b"/",
    b"package/",
    b"ustar\x0000",
    b"\x1f\x8b",
    b"\x00",
    b"\xff",
    b"\xc0\xae",
    b"sha512-",
    b"integrity",
    b"resolution: ",
    b"lockfileVersion: '9.0'",
    b"importers:",
    b"packages:",
    b"snapshots:",
    b"dependencies",
    b"version",
    b"bin",
    b"registry=",
];

const INTERESTING: &[u8] = &[0, 1, 0x7f, 0x80, 0xff, b'0', b'9', b' ', b'\n', b'/', b'.', b':'];

/// Applies 1–8 random mutations to `input`, taking material from `other` for splices.
pub fn mutate(rng: &mut Rng, input: &[u8], other: &[u8], max_len: usize) -> Vec<u8> {
    let mut data = input.to_vec();
    for _ in 0..=rng.below(8) {
        apply_one(rng, &mut data, other);
    }
    data.truncate(max_len);
    data
}

fn apply_one(rng: &mut Rng, data: &mut Vec<u8>, other: &[u8]) {
    let at = rng.below(data.len() + 1);
    match rng.below(9) {
        0 if !data.is_empty() => {
            let at = rng.below(data.len());
            data[at] ^= 1 << rng.below(8);
        }
        1 if !data.is_empty() => {
            let at = rng.below(data.len());
            data[at] = INTERESTING[rng.below(INTERESTING.len())];
        }
        2 => {
            let token = TOKENS[rng.below(TOKENS.len())];
            data.splice(at..at, token.iter().copied());
        }
        3 if !data.is_empty() => {
            let end = (at + 1 + rng.below(16)).min(data.len());
            data.drain(at.min(end)..end);
        }
        4 if !data.is_empty() => {
            let start = rng.below(data.len());
            let end = (start + 1 + rng.below(64)).min(data.len());
            let copy = data[start..end].to_vec();
            data.splice(at..at, copy);
        }
        5 if !other.is_empty() => {
            let start = rng.below(other.len());
            let end = (start + 1 + rng.below(256)).min(other.len());
            data.splice(at..at, other[start..end].iter().copied());
        }
        6 => {
            let count = 1 + rng.below(8);
            let bytes: Vec<u8> = (0..count).map(|_| rng.next_u64() as u8).collect();
            data.splice(at..at, bytes);
        }
        7 if !data.is_empty() => data.truncate(rng.below(data.len())),
        _ => {
            let digit = b'0' + rng.below(10) as u8;
            data.splice(at..at, std::iter::repeat_n(digit, 1 + rng.below(24)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seed_replays_the_same_inputs() {
        let run = |seed| {
            let mut rng = Rng::new(seed);
            (0..50)
                .map(|_| mutate(&mut rng, b"lockfileVersion: '9.0'\n", b"a: 1", 64))
                .collect::<Vec<_>>()
        };
        assert_eq!(run(7), run(7));
        assert_ne!(run(7), run(8));
        assert!(run(7).iter().all(|input| input.len() <= 64));
    }
}
