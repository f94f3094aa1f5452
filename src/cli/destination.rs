//! Where a file written whole goes. The run writes a temporary file, and
//! only a finished one is placed: renamed over an ordinary file (through a
//! symbolic link to it, so the link stays a link), or copied into a file
//! that is not ordinary (`/dev/null`, `/dev/stdout`, a named pipe), which a
//! rename would replace with an ordinary file.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use super::CliError;

/// Whether writing a file may replace one that is there.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Existing {
    /// Replace it (a report of an earlier run).
    Replace,
    /// Never touch it (`init`).
    Keep,
}

/// A path to write, looked at once before the writing starts.
pub(super) struct Destination {
    /// The path as the user gave it, for messages.
    shown: String,
    place: Place,
    existing: Existing,
}

enum Place {
    /// An ordinary file, or nothing yet: the temporary file is made in its
    /// folder and renamed over it.
    Renamed(PathBuf),
    /// A device, pipe or socket: the temporary file is made in the system's
    /// temporary folder and its bytes written into it.
    Copied(PathBuf),
}

impl Destination {
    /// What writing to `path` means: an error for a folder, and for
    /// anything there already when `existing` is [`Existing::Keep`].
    pub(super) fn of(path: &Path, existing: Existing) -> Result<Self, CliError> {
        let shown = path.display().to_string();
        let error = |source: io::Error| CliError::Write {
            path: shown.clone(),
            source,
        };
        let link = std::fs::symlink_metadata(path).ok();
        if existing == Existing::Keep && link.is_some() {
            return Err(CliError::WouldOverwrite { path: shown });
        }
        let place = match std::fs::metadata(path) {
            Ok(metadata) if metadata.is_dir() => {
                return Err(error(io::Error::new(
                    io::ErrorKind::IsADirectory,
                    "it is a folder; expected a file name",
                )));
            }
            Ok(metadata) if metadata.is_file() => {
                if link.is_some_and(|link| link.file_type().is_symlink()) {
                    Place::Renamed(std::fs::canonicalize(path).map_err(error)?)
                } else {
                    Place::Renamed(path.to_path_buf())
                }
            }
            Ok(_) => Place::Copied(path.to_path_buf()),
            // Nothing there (or a link to nothing, which is replaced).
            Err(missing) if missing.kind() == io::ErrorKind::NotFound => {
                Place::Renamed(path.to_path_buf())
            }
            Err(other) => return Err(error(other)),
        };
        Ok(Destination {
            shown,
            place,
            existing,
        })
    }

    /// A new temporary file to write, ending in `suffix`, where placing it
    /// is cheap. It is an ordinary file (0666 less the umask; a file
    /// replaced keeps its own permissions), not the temporary's private 0600.
    pub(super) fn temporary(&self, suffix: &str) -> Result<NamedTempFile, CliError> {
        let mut builder = tempfile::Builder::new();
        builder.prefix(".apn-check-").suffix(suffix);
        #[cfg(unix)]
        builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
        let made = match &self.place {
            Place::Renamed(path) => {
                let folder = match path.parent() {
                    Some(parent) if !parent.as_os_str().is_empty() => parent,
                    _ => Path::new("."),
                };
                builder.tempfile_in(folder)
            }
            Place::Copied(_) => builder.tempfile(),
        };
        let file = made.map_err(|source| self.error(source))?;
        if let Place::Renamed(path) = &self.place
            && self.existing == Existing::Replace
            && let Ok(metadata) = std::fs::metadata(path)
        {
            std::fs::set_permissions(file.path(), metadata.permissions())
                .map_err(|source| self.error(source))?;
        }
        Ok(file)
    }

    /// Puts the finished `temporary` file in place.
    pub(super) fn place(self, temporary: NamedTempFile) -> Result<(), CliError> {
        match &self.place {
            Place::Renamed(path) => {
                // On disk before it is named, so a crash leaves the old
                // file or the new one, never an empty one.
                temporary
                    .as_file()
                    .sync_all()
                    .map_err(|source| self.error(source))?;
                let placed = match self.existing {
                    Existing::Replace => temporary.persist(path).map(drop),
                    Existing::Keep => temporary.persist_noclobber(path).map(drop),
                };
                placed.map_err(|error| {
                    if error.error.kind() == io::ErrorKind::AlreadyExists {
                        CliError::WouldOverwrite {
                            path: self.shown.clone(),
                        }
                    } else {
                        self.error(error.error)
                    }
                })
            }
            Place::Copied(path) => {
                let copy = || -> io::Result<()> {
                    let mut from = std::fs::File::open(temporary.path())?;
                    let mut into = std::fs::OpenOptions::new()
                        .write(true)
                        .truncate(true)
                        .open(path)?;
                    io::copy(&mut from, &mut into)?;
                    into.flush()
                };
                copy().map_err(|source| self.error(source))
            }
        }
    }

    fn error(&self, source: io::Error) -> CliError {
        CliError::Write {
            path: self.shown.clone(),
            source,
        }
    }
}

/// Writes a file whole, streamed by `write` into a temporary file that is
/// then put in place, so a reader never sees half a file and a failed write
/// leaves none.
pub(super) fn write_file_with(
    path: &Path,
    existing: Existing,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), CliError> {
    let destination = Destination::of(path, existing)?;
    let mut file = destination.temporary("")?;
    let mut buffered = io::BufWriter::new(file.as_file_mut());
    write(&mut buffered)
        .and_then(|()| buffered.flush())
        .map_err(|source| destination.error(source))?;
    drop(buffered);
    destination.place(file)
}

/// [`write_file_with`] of a text.
pub(super) fn write_file(path: &Path, text: &str, existing: Existing) -> Result<(), CliError> {
    write_file_with(path, existing, |out| out.write_all(text.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of(path: &Path) -> String {
        std::fs::read_to_string(path).unwrap_or_else(|error| panic!("{error}"))
    }

    #[test]
    fn a_file_is_replaced_and_a_link_to_it_stays_a_link() {
        let folder = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
        let target = folder.path().join("report.xml");
        std::fs::write(&target, "old").unwrap_or_else(|error| panic!("{error}"));
        write_file(&target, "new", Existing::Replace).unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(text_of(&target), "new");
        #[cfg(unix)]
        {
            let link = folder.path().join("link.xml");
            std::os::unix::fs::symlink(&target, &link).unwrap_or_else(|error| panic!("{error}"));
            write_file(&link, "through the link", Existing::Replace)
                .unwrap_or_else(|error| panic!("{error}"));
            let kind = std::fs::symlink_metadata(&link).unwrap_or_else(|error| panic!("{error}"));
            assert!(kind.file_type().is_symlink());
            assert_eq!(text_of(&target), "through the link");
        }
        let names: Vec<_> = std::fs::read_dir(folder.path())
            .unwrap_or_else(|error| panic!("{error}"))
            .filter_map(|entry| entry.ok().map(|entry| entry.file_name()))
            .collect();
        assert!(
            names
                .iter()
                .all(|name| !name.to_string_lossy().starts_with(".apn-check-")),
            "a temporary file was left: {names:?}"
        );
    }

    /// `/dev/null` stays the device it is: a rename over it would make it an
    /// ordinary file that every later program writing to it fills. The write
    /// happens only once the destination is known to be copied into, so a
    /// broken classification fails here without harming the device.
    #[cfg(unix)]
    #[test]
    fn a_device_or_pipe_is_written_into_not_replaced() {
        use std::os::unix::fs::FileTypeExt;
        let folder = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
        let pipe = folder.path().join("pipe");
        let made = std::process::Command::new("mkfifo")
            .arg(&pipe)
            .status()
            .unwrap_or_else(|error| panic!("mkfifo: {error}"));
        assert!(made.success());
        let null = Path::new("/dev/null");
        for special in [pipe.as_path(), null] {
            let destination = Destination::of(special, Existing::Replace)
                .unwrap_or_else(|error| panic!("{error}"));
            assert!(
                matches!(destination.place, Place::Copied(_)),
                "{} would be replaced",
                special.display()
            );
        }
        write_file(null, "discarded", Existing::Replace).unwrap_or_else(|error| panic!("{error}"));
        let kind = std::fs::symlink_metadata(null).unwrap_or_else(|error| panic!("{error}"));
        assert!(kind.file_type().is_char_device(), "{kind:?}");
        assert!(matches!(
            Destination::of(null, Existing::Keep),
            Err(CliError::WouldOverwrite { .. })
        ));
    }

    #[test]
    fn a_folder_is_refused() {
        let folder = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
        let refused = write_file(folder.path(), "text", Existing::Replace);
        assert!(
            matches!(refused, Err(CliError::Write { .. })),
            "{refused:?}"
        );
    }
}
