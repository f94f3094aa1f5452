//! Reading input files safely: only regular files are opened (a FIFO would
//! block the run, a device could be read without end), and no more than a
//! size limit is read.

use std::io::{self, Read};
use std::path::Path;

/// The largest rule file read: rule files are small; 16 MiB is far beyond
/// any real one.
pub const RULE_FILE_LIMIT: u64 = 16 << 20;

/// Checks that `path` (links followed) is a regular file, before it is
/// opened: anything else is an error that says what it is.
pub fn check_regular(path: &Path) -> io::Result<()> {
    let file_type = std::fs::metadata(path)?.file_type();
    if file_type.is_file() {
        return Ok(());
    }
    let what = if file_type.is_dir() {
        return Err(io::Error::new(
            io::ErrorKind::IsADirectory,
            "it is a directory, not a file",
        ));
    } else if is_fifo(&file_type) {
        "a named pipe (FIFO), not a regular file"
    } else {
        "a device or socket, not a regular file"
    };
    Err(io::Error::new(io::ErrorKind::InvalidInput, what))
}

#[cfg(unix)]
fn is_fifo(file_type: &std::fs::FileType) -> bool {
    std::os::unix::fs::FileTypeExt::is_fifo(file_type)
}

#[cfg(not(unix))]
fn is_fifo(_file_type: &std::fs::FileType) -> bool {
    false
}

/// Reads a regular file's text, at most `limit` bytes; a larger file is an
/// error of kind `FileTooLarge`.
pub fn read_small_text(path: &Path, limit: u64) -> io::Result<String> {
    check_regular(path)?;
    let mut text = String::new();
    std::fs::File::open(path)?
        .take(limit.saturating_add(1))
        .read_to_string(&mut text)?;
    if text.len() as u64 > limit {
        return Err(io::Error::new(
            io::ErrorKind::FileTooLarge,
            format!(
                "larger than {} MiB; a rule file is far smaller",
                limit >> 20
            ),
        ));
    }
    Ok(text)
}

/// Peak memory while reading and scoring a partner file, per byte of it:
/// measured at 2.4 to 2.7 for large TOML and JSON files; 3 leaves a margin.
pub const MEMORY_PER_BYTE: u64 = 3;

/// Files below this size are read without asking how much memory is free:
/// they cannot matter, and a portfolio of small files stays fast.
const MEMORY_CHECK_FROM: u64 = 64 << 20;

/// The memory this process may still take, in bytes: the system's
/// available memory (`MemAvailable`), and under a cgroup memory limit (v2
/// or v1), no more than the limit less what the group uses. `None` when
/// unknown.
pub fn memory_available() -> Option<u64> {
    let meminfo = std::fs::read_to_string("/proc/meminfo").ok()?;
    let system = meminfo.lines().find_map(|line| {
        let kib = line
            .strip_prefix("MemAvailable:")?
            .trim()
            .strip_suffix("kB")?;
        kib.trim()
            .parse::<u64>()
            .ok()
            .map(|kib| kib.saturating_mul(1024))
    })?;
    Some(cgroup_room().map_or(system, |room| room.min(system)))
}

/// The room left under this process's cgroup memory limit, if it has one.
fn cgroup_room() -> Option<u64> {
    let groups = std::fs::read_to_string("/proc/self/cgroup").ok()?;
    let read = |path: &Path| {
        std::fs::read_to_string(path)
            .ok()
            .and_then(|value| value.trim().parse::<u64>().ok())
    };
    let root = Path::new("/sys/fs/cgroup");
    for line in groups.lines() {
        let mut fields = line.splitn(3, ':');
        let (_, controllers, path) = (fields.next()?, fields.next()?, fields.next()?);
        let path = path.trim_start_matches('/');
        let (limit, usage) = if controllers.split(',').any(|c| c == "memory") {
            let group = root.join("memory").join(path);
            (
                read(&group.join("memory.limit_in_bytes")),
                read(&group.join("memory.usage_in_bytes")),
            )
        } else if controllers.is_empty() {
            let group = root.join(path);
            (
                read(&group.join("memory.max")),
                read(&group.join("memory.current")),
            )
        } else {
            continue;
        };
        if let Some(limit) = limit {
            return Some(limit.saturating_sub(usage.unwrap_or(0)));
        }
    }
    None
}

/// Peak memory of `toml`'s document tree per byte of the document it
/// parses: measured at 25 to 41 (`docs/performance.md`); 48 leaves a margin.
pub const TOML_TREE_PER_BYTE: u64 = 48;

/// Whether the largest document cut from a TOML file, `largest` bytes,
/// fits in the memory `available` says is free as `toml` parses it (asked
/// only when the tree would be large): `Err` with the memory it would need
/// and the memory free when it does not.
pub fn toml_tree_fits_in_memory(
    largest: u64,
    available: impl FnOnce() -> Option<u64>,
) -> Result<(), (u64, u64)> {
    let needed = largest.saturating_mul(TOML_TREE_PER_BYTE);
    if needed < MEMORY_CHECK_FROM.saturating_mul(MEMORY_PER_BYTE) {
        return Ok(());
    }
    match available() {
        Some(available) if needed > available => Err((needed, available)),
        _ => Ok(()),
    }
}

/// Whether a file of `size` bytes fits in the memory `available` says is
/// free (asked only for a large file): `Err` with the memory it would need
/// and the memory free when it does not.
pub fn fits_in_memory(
    size: u64,
    available: impl FnOnce() -> Option<u64>,
) -> Result<(), (u64, u64)> {
    if size < MEMORY_CHECK_FROM {
        return Ok(());
    }
    let needed = size.saturating_mul(MEMORY_PER_BYTE);
    match available() {
        Some(available) if needed > available => Err((needed, available)),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_toml_document_whose_tree_would_not_fit_is_refused() {
        let mib = 1_u64 << 20;
        assert_eq!(
            toml_tree_fits_in_memory(mib, || panic!("not asked")),
            Ok(())
        );
        assert_eq!(
            toml_tree_fits_in_memory(100 * mib, || Some(1 << 30)),
            Err((4800 * mib, 1 << 30))
        );
        assert_eq!(
            toml_tree_fits_in_memory(100 * mib, || Some(8 << 30)),
            Ok(())
        );
        assert_eq!(toml_tree_fits_in_memory(100 * mib, || None), Ok(()));
    }

    #[test]
    fn a_file_that_would_not_fit_is_refused_before_it_is_read() {
        let gib = 1_u64 << 30;
        assert_eq!(
            fits_in_memory(gib, || Some(2 * gib)),
            Err((3 * gib, 2 * gib))
        );
        assert_eq!(fits_in_memory(gib, || Some(4 * gib)), Ok(()));
        assert_eq!(fits_in_memory(gib, || None), Ok(()));
        // Small files are never refused, whatever is said to be free.
        assert_eq!(fits_in_memory(1 << 20, || Some(0)), Ok(()));
        if cfg!(target_os = "linux") {
            assert!(memory_available().is_some_and(|bytes| bytes > 0));
        }
    }
}
