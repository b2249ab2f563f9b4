//! pnpm's `package-import-method`, and the memory of which tier works on this machine.

use std::io;
use std::sync::atomic::{AtomicU8, Ordering};

use crate::link_strategy::{
    StoreFile, TargetDir, is_capability_error, is_cross_device, is_too_many_links,
};

/// pnpm's `package-import-method` setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ImportMethod {
    /// Clone (reflink) if the file system can, else hard link, else copy.
    #[default]
    Auto,
    /// Clone or fail.
    Clone,
    /// Hard link; copy when the store is on another device.
    Hardlink,
    /// A full copy of every file.
    Copy,
    /// Clone if the file system can, else copy.
    CloneOrCopy,
}

/// How a file was actually placed, cheapest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum LinkMethod {
    /// A copy-on-write clone (reflink) of the store file.
    Clone,
    /// A hard link to the store file.
    Hardlink,
    /// An independent copy.
    Copy,
}

impl LinkMethod {
    pub(crate) const ALL: [LinkMethod; 3] =
        [LinkMethod::Clone, LinkMethod::Hardlink, LinkMethod::Copy];
}

/// Process-wide: once a tier fails for lack of support, later files and packages skip it.
static AUTO_TIER: AtomicU8 = AtomicU8::new(0);
static CLONE_OR_COPY_TIER: AtomicU8 = AtomicU8::new(0);

impl ImportMethod {
    pub(crate) fn place(
        self,
        stage: &TargetDir,
        source: &StoreFile<'_>,
        relative: &str,
        executable: bool,
    ) -> io::Result<LinkMethod> {
        match self {
            ImportMethod::Auto => {
                tiered(&AUTO_TIER, &LinkMethod::ALL, stage, source, relative, executable)
            }
            ImportMethod::CloneOrCopy => {
                let tiers = [LinkMethod::Clone, LinkMethod::Copy];
                tiered(&CLONE_OR_COPY_TIER, &tiers, stage, source, relative, executable)
            }
            ImportMethod::Clone => stage.reflink(source, relative).map(|()| LinkMethod::Clone),
            ImportMethod::Copy => {
                stage.copy(source, relative, executable).map(|()| LinkMethod::Copy)
            }
            ImportMethod::Hardlink => match stage.hard_link(source, relative) {
                Ok(()) => Ok(LinkMethod::Hardlink),
                Err(error) if is_cross_device(&error) || is_too_many_links(&error) => {
                    stage.copy(source, relative, executable).map(|()| LinkMethod::Copy)
                }
                Err(error) => Err(error),
            },
        }
    }
}

/// Tries `tiers` from the one `state` remembers; a tier that fails for lack of support is
/// skipped from then on. The last tier's errors are returned as they are.
pub(crate) fn tiered(
    state: &AtomicU8,
    tiers: &[LinkMethod],
    stage: &TargetDir,
    source: &StoreFile<'_>,
    relative: &str,
    executable: bool,
) -> io::Result<LinkMethod> {
    loop {
        let position = state.load(Ordering::Relaxed);
        let last = usize::from(position) + 1 >= tiers.len();
        let tier = tiers[usize::from(position).min(tiers.len() - 1)];
        let result = match tier {
            LinkMethod::Clone => stage.reflink(source, relative),
            LinkMethod::Hardlink => stage.hard_link(source, relative),
            LinkMethod::Copy => stage.copy(source, relative, executable),
        };
        match result {
            Ok(()) => return Ok(tier),
            Err(error) if tier == LinkMethod::Hardlink && is_too_many_links(&error) => {
                return stage.copy(source, relative, executable).map(|()| LinkMethod::Copy);
            }
            Err(error) if !last && is_capability_error(&error) => {
                let _ = state.compare_exchange(
                    position,
                    position + 1,
                    Ordering::Relaxed,
                    Ordering::Relaxed,
                );
            }
            Err(error) => return Err(error),
        }
    }
}
