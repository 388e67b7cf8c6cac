//! Where outputs go, and writing them without harm: no output lands on an
//! input or on another output, an existing file is replaced whole or not
//! at all, keeping its permissions, and a link is followed to the file it
//! names.

use std::io::Write;
use std::path::{Path, PathBuf};

/// One file a run is about to write, with the option that asked for it
/// (for messages: `-o refs.bib`, `--out-dir out`).
#[derive(Debug, Clone)]
pub struct Target {
    pub path: PathBuf,
    pub asked_by: String,
}

/// Refuses a plan that would write over one of the inputs, write two
/// outputs to one file, or write into a directory that does not exist
/// (but `made`, which the run makes once the plan is checked). The
/// message says which files and what to do.
pub fn check_targets(
    inputs: &[PathBuf],
    targets: &[Target],
    made: Option<&Path>,
) -> Result<(), String> {
    for (index, target) in targets.iter().enumerate() {
        if let Some(input) = inputs.iter().find(|input| same_file(input, &target.path)) {
            return Err(format!(
                "{} would write over the input {}: write the output to another file",
                target.asked_by,
                input.display()
            ));
        }
        if let Some(earlier) = targets[..index]
            .iter()
            .find(|earlier| same_file(&earlier.path, &target.path))
        {
            return Err(format!(
                "{} and {} would both be written to {}: give the inputs different names, or convert them in separate runs",
                earlier.asked_by,
                target.asked_by,
                target.path.display()
            ));
        }
        if target.path.is_dir() {
            return Err(format!(
                "cannot write {}: it is a directory; name a file ({})",
                target.path.display(),
                target.asked_by
            ));
        }
        let directory = parent(&target.path);
        if !directory.is_dir() && made != Some(directory) {
            return Err(format!(
                "cannot write {}: the directory {} does not exist; create it first",
                target.path.display(),
                directory.display()
            ));
        }
    }
    Ok(())
}

/// The directory a path is in (`.` for a bare file name).
fn parent(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// Whether two paths name one file: the same file on disk (through links
/// too), or, where they do not exist yet, the same name in the same
/// directory.
pub fn same_file(one: &Path, other: &Path) -> bool {
    match (std::fs::metadata(one), std::fs::metadata(other)) {
        (Ok(first), Ok(second)) => same_inode(&first, &second),
        (Err(_), Err(_)) => absolute(one) == absolute(other),
        _ => false,
    }
}

#[cfg(unix)]
fn same_inode(one: &std::fs::Metadata, other: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    one.dev() == other.dev() && one.ino() == other.ino()
}

#[cfg(not(unix))]
fn same_inode(_: &std::fs::Metadata, _: &std::fs::Metadata) -> bool {
    false
}

/// A path made absolute through its directory, which may exist even
/// where the file does not.
fn absolute(path: &Path) -> PathBuf {
    let directory = std::fs::canonicalize(parent(path)).unwrap_or_else(|_| parent(path).into());
    directory.join(path.file_name().unwrap_or_default())
}

/// Writes `bytes` to `path` whole or not at all: see [`write_with`].
pub fn write(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_with(path, |file| file.write_all(bytes).map(|()| true))
}

/// Writes to a temporary file beside `path` and renames it into place, so
/// that no half-written output is ever left behind; `write` says whether
/// the file is to be kept (if not, nothing is left behind).
///
/// A link is followed, and the file it names is replaced; a file being
/// replaced keeps its permissions (and, where allowed, its owner); a
/// read-only file is refused. A device or a pipe (`/dev/null`, a FIFO) is
/// written to as it is: a file renamed over it would replace it.
pub fn write_with(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<bool>,
) -> std::io::Result<()> {
    let existing = std::fs::metadata(path).ok();
    if existing.as_ref().is_some_and(|m| m.is_dir()) {
        return Err(std::io::Error::other("it is a directory"));
    }
    if existing.as_ref().is_some_and(|m| !m.is_file()) {
        let mut out = std::io::BufWriter::new(std::fs::OpenOptions::new().write(true).open(path)?);
        write(&mut out)?;
        return out.flush();
    }
    // The file a link names is the one to replace, not the link.
    let path = match &existing {
        Some(_) => std::fs::canonicalize(path)?,
        None => path.to_path_buf(),
    };
    if let Some(metadata) = &existing {
        let writable = std::fs::OpenOptions::new().write(true).open(&path).is_ok();
        if metadata.permissions().readonly() || !writable {
            return Err(std::io::Error::new(
                std::io::ErrorKind::PermissionDenied,
                "the file is read-only: make it writable, or write to another file",
            ));
        }
    }
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temporary = parent(&path).join(format!(".{file_name}.pubconv-{}.tmp", std::process::id()));
    let result = std::fs::File::create(&temporary).and_then(|file| {
        let mut file = std::io::BufWriter::new(WrittenBack::new(file));
        let keep = write(&mut file)?;
        file.flush()?;
        drop(file);
        if !keep {
            return std::fs::remove_file(&temporary);
        }
        if let Some(metadata) = &existing {
            std::fs::set_permissions(&temporary, metadata.permissions())?;
            keep_owner(&temporary, metadata);
        }
        std::fs::rename(&temporary, &path)
    });
    if result.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    result
}

/// A new file whose pages are sent to disk a stretch at a time as it is
/// written. Replacing a file by renaming another over it makes ext4 send
/// the new file to disk first, within the rename (so that a crash leaves
/// the old file or the new, never an empty one): a 4 MB output held the
/// rename some 4 ms, a tenth of its conversion. Sent as it is written,
/// while the conversion goes on, little is left for the rename.
struct WrittenBack {
    file: std::fs::File,
    written: u64,
    /// Where the stretch not yet sent starts.
    unsent: u64,
}

/// How much is written before it is sent.
const WRITEBACK_STRETCH: u64 = 1 << 20;

impl WrittenBack {
    fn new(file: std::fs::File) -> WrittenBack {
        WrittenBack {
            file,
            written: 0,
            unsent: 0,
        }
    }
}

impl Write for WrittenBack {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let count = self.file.write(bytes)?;
        self.written += count as u64;
        if self.written - self.unsent >= WRITEBACK_STRETCH {
            start_writeback(&self.file, self.unsent, self.written - self.unsent);
            self.unsent = self.written;
        }
        Ok(count)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

/// Starts sending a stretch of the file to disk, without waiting for it.
/// Only a hint: where the system cannot, the file is sent as it would
/// have been.
#[cfg(target_os = "linux")]
fn start_writeback(file: &std::fs::File, from: u64, length: u64) {
    use std::os::fd::AsRawFd;
    let (Ok(from), Ok(length)) = (i64::try_from(from), i64::try_from(length)) else {
        return;
    };
    // SAFETY: the descriptor is the open file's; the call reads no memory.
    unsafe {
        libc::sync_file_range(file.as_raw_fd(), from, length, libc::SYNC_FILE_RANGE_WRITE);
    }
}

#[cfg(not(target_os = "linux"))]
fn start_writeback(_: &std::fs::File, _: u64, _: u64) {}

/// Gives the new file the replaced one's owner and group, where the user
/// may (root may; others keep their own, which is all they can do).
#[cfg(unix)]
fn keep_owner(path: &Path, metadata: &std::fs::Metadata) {
    use std::os::unix::fs::MetadataExt;
    let _ = std::os::unix::fs::chown(path, Some(metadata.uid()), Some(metadata.gid()));
}

#[cfg(not(unix))]
fn keep_owner(_: &Path, _: &std::fs::Metadata) {}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(path: &Path, asked_by: &str) -> Target {
        Target {
            path: path.to_path_buf(),
            asked_by: asked_by.to_owned(),
        }
    }

    #[test]
    fn an_output_onto_an_input_is_refused_also_through_another_name() {
        let folder = tempfile::tempdir().unwrap();
        let input = folder.path().join("refs.bib");
        std::fs::write(&input, "@misc{a,}").unwrap();
        let inputs = [input.clone()];
        let error = check_targets(&inputs, &[target(&input, "-o refs.bib")], None).unwrap_err();
        assert!(
            error.starts_with("-o refs.bib would write over the input"),
            "{error}"
        );
        let dotted = folder.path().join(".").join("refs.bib");
        assert!(check_targets(&inputs, &[target(&dotted, "-o")], None).is_err());
        #[cfg(unix)]
        {
            let link = folder.path().join("link.bib");
            std::os::unix::fs::symlink(&input, &link).unwrap();
            assert!(check_targets(&inputs, &[target(&link, "-o link.bib")], None).is_err());
        }
        let other = folder.path().join("refs.json");
        assert!(check_targets(&inputs, &[target(&other, "-o refs.json")], None).is_ok());
    }

    #[test]
    fn two_outputs_onto_one_file_are_refused() {
        let folder = tempfile::tempdir().unwrap();
        let out = folder.path().join("refs.bib");
        let error = check_targets(
            &[],
            &[target(&out, "a/refs.bib"), target(&out, "b/refs.bib")],
            None,
        )
        .unwrap_err();
        assert!(
            error.starts_with("a/refs.bib and b/refs.bib would both be written to"),
            "{error}"
        );
    }

    #[test]
    fn a_missing_directory_is_named() {
        let folder = tempfile::tempdir().unwrap();
        let out = folder.path().join("nowhere").join("refs.bib");
        let error = check_targets(&[], &[target(&out, "-o")], None).unwrap_err();
        let made = folder.path().join("nowhere");
        assert!(check_targets(&[], &[target(&out, "--out-dir")], Some(&made)).is_ok());
        assert!(error.contains("the directory"), "{error}");
        assert!(
            error.ends_with("nowhere does not exist; create it first"),
            "{error}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_replaced_file_keeps_its_mode_and_a_link_keeps_pointing_at_it() {
        use std::os::unix::fs::PermissionsExt;
        let folder = tempfile::tempdir().unwrap();
        let private = folder.path().join("private.json");
        std::fs::write(&private, "old").unwrap();
        std::fs::set_permissions(&private, std::fs::Permissions::from_mode(0o600)).unwrap();
        let link = folder.path().join("link.json");
        std::os::unix::fs::symlink(&private, &link).unwrap();
        write(&link, b"new").unwrap();
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(std::fs::read_to_string(&private).unwrap(), "new");
        let mode = std::fs::metadata(&private).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    #[test]
    fn a_read_only_file_is_left_as_it_was() {
        let folder = tempfile::tempdir().unwrap();
        let locked = folder.path().join("locked.bib");
        std::fs::write(&locked, "old").unwrap();
        let mut permissions = std::fs::metadata(&locked).unwrap().permissions();
        permissions.set_readonly(true);
        std::fs::set_permissions(&locked, permissions).unwrap();
        let error = write(&locked, b"new").unwrap_err();
        assert_eq!(error.kind(), std::io::ErrorKind::PermissionDenied);
        assert_eq!(std::fs::read_to_string(&locked).unwrap(), "old");
        assert_eq!(std::fs::read_dir(folder.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_file_written_back_as_it_is_written_holds_every_byte() {
        let folder = tempfile::tempdir().unwrap();
        let out = folder.path().join("large.json");
        std::fs::write(&out, "old").unwrap();
        // Stretches sent whole and a part left, in pieces of odd sizes.
        let bytes: Vec<u8> = (0..WRITEBACK_STRETCH * 5 / 2)
            .map(|at| (at % 251) as u8)
            .collect();
        write_with(&out, |file| {
            bytes
                .chunks(7919)
                .try_for_each(|piece| file.write_all(piece))?;
            Ok(true)
        })
        .unwrap();
        assert!(std::fs::read(&out).unwrap() == bytes);
        assert_eq!(std::fs::read_dir(folder.path()).unwrap().count(), 1);
    }
}
