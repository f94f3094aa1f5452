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
