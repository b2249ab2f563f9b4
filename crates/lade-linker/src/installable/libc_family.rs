//! Which C library this Linux machine runs, found the way detect-libc 2 (used by pnpm 10) finds it:
//! the ELF interpreter of the running executable, then `/usr/bin/ldd`'s text, then what this
//! binary was built against, then `getconf GNU_LIBC_VERSION` / `ldd --version`.

use std::io::Read;
use std::sync::OnceLock;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Libc {
    Glibc,
    Musl,
    /// Not Linux, or nothing conclusive; pnpm then ignores `libc` fields.
    Unknown,
}

impl Libc {
    pub fn as_str(self) -> &'static str {
        match self {
            Libc::Glibc => "glibc",
            Libc::Musl => "musl",
            Libc::Unknown => "unknown",
        }
    }
}

/// detect-libc reads at most this much of a file.
const MAX_READ: usize = 2048;

/// The C library family, detected once per process.
pub fn detect_libc() -> Libc {
    static FAMILY: OnceLock<Libc> = OnceLock::new();
    *FAMILY.get_or_init(|| {
        if !cfg!(target_os = "linux") {
            return Libc::Unknown;
        }
        read_start("/proc/self/exe")
            .and_then(|elf| family_from_interpreter(&elf))
            .or_else(|| read_start("/usr/bin/ldd").and_then(|text| family_from_ldd(&text)))
            .or_else(|| cfg!(target_env = "gnu").then_some(Libc::Glibc))
            .or_else(family_from_commands)
            .unwrap_or(Libc::Unknown)
    })
}

fn read_start(path: &str) -> Option<Vec<u8>> {
    let mut buffer = Vec::with_capacity(MAX_READ);
    std::fs::File::open(path).ok()?.take(MAX_READ as u64).read_to_end(&mut buffer).ok()?;
    Some(buffer)
}

/// The `PT_INTERP` path of a 64-bit little-endian ELF image, read within its first 2 KiB.
pub(crate) fn family_from_interpreter(elf: &[u8]) -> Option<Libc> {
    let u16_at = |at: usize| elf.get(at..at + 2).map(|b| u16::from_le_bytes([b[0], b[1]]) as usize);
    let u32_at = |at: usize| {
        elf.get(at..at + 4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
    };
    if elf.len() < 64 || &elf[..4] != b"\x7fELF" || elf[4] != 2 || elf[5] != 1 {
        return None;
    }
    let (offset, size, count) = (u32_at(32)?, u16_at(54)?, u16_at(56)?);
    for index in 0..count {
        let header = offset + index * size;
        if u32_at(header)? == 3 {
            let (start, length) = (u32_at(header + 8)?, u32_at(header + 32)?);
            let bytes = elf.get(start.min(elf.len())..(start + length).min(elf.len()))?;
            let path = String::from_utf8_lossy(bytes);
            let path = path.split('\0').next().unwrap_or_default();
            return if path.contains("/ld-musl-") {
                Some(Libc::Musl)
            } else if path.contains("/ld-linux-") {
                Some(Libc::Glibc)
            } else {
                None
            };
        }
    }
    None
}

pub(crate) fn family_from_ldd(text: &[u8]) -> Option<Libc> {
    let text = String::from_utf8_lossy(text);
    if text.contains("musl") {
        Some(Libc::Musl)
    } else if text.contains("GNU C Library") {
        Some(Libc::Glibc)
    } else {
        None
    }
}

fn family_from_commands() -> Option<Libc> {
    let output = std::process::Command::new("sh")
        .args(["-c", "getconf GNU_LIBC_VERSION 2>&1 || true; ldd --version 2>&1 || true"])
        .output()
        .ok()?;
    family_from_command_output(&String::from_utf8_lossy(&output.stdout))
}

/// The first line is `getconf`'s answer, the second `ldd --version`'s first line.
pub(crate) fn family_from_command_output(out: &str) -> Option<Libc> {
    // `split(/[\r\n]+/)`: runs of line breaks separate, so only a leading empty line survives.
    let mut lines = out
        .split(['\r', '\n'])
        .enumerate()
        .filter(|(i, line)| *i == 0 || !line.is_empty())
        .map(|(_, l)| l);
    let (getconf, ldd) = (lines.next(), lines.next());
    if getconf.is_some_and(|line| line.contains("glibc")) {
        Some(Libc::Glibc)
    } else if ldd.is_some_and(|line| line.contains("musl")) {
        Some(Libc::Musl)
    } else {
        None
    }
}
