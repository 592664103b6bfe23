//! Writing a command's output files: whole or not at all, all together, never over an
//! input and never over anything that is not a regular file.
//!
//! A command stages every output first ([`Outputs::file`], [`Outputs::typst_dir`]):
//! each is written to a hidden temporary file beside its target and synced to disk.
//! Only when everything is staged does [`Outputs::commit`] rename them into place, so a
//! failure anywhere leaves every target as it was. Temporary files still pending when
//! the process is interrupted are removed by [`remove_pending`].

use std::fs::{self, Metadata, Permissions};
use std::io::Write;
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use tempfile::NamedTempFile;

use crate::diagnostic::{Diagnostic, shown};

/// The file that marks a directory as one `--typst-dir` wrote, so it may write there
/// again.
pub const TYPST_DIR_MARKER: &str = ".spur-typst";

/// Why an output could not be written.
#[derive(Debug)]
pub enum WriteError {
    /// The command was asked to do something it refuses (exit 2): write over its own
    /// input, or replace a file without `--force`.
    Refused(String),
    /// The target or the disk did not allow it (exit 1).
    File(Diagnostic),
}

/// Whether an existing regular file may be replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Replace {
    /// Replace it (`render`, or `--force`).
    Yes,
    /// Refuse: the user must say `--force`.
    OnlyWithForce,
}

/// A file's identity: the same file whatever path spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FileId {
    dev: u64,
    ino: u64,
}

impl FileId {
    /// The identity of the file `meta` describes.
    fn of(meta: &Metadata) -> Self {
        FileId {
            dev: meta.dev(),
            ino: meta.ino(),
        }
    }
}

/// Temporary files and directories that exist only until their command commits or
/// fails; an interrupted process removes them through [`remove_pending`].
static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// The list of pending temporary paths, usable even after a panic elsewhere.
fn pending() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    PENDING.lock().unwrap_or_else(|e| e.into_inner())
}

/// Drops `path` from the pending list once it is committed or removed.
fn forget_pending(path: &Path) {
    pending().retain(|p| p != path);
}

/// Removes every temporary file (and every directory made for output) not yet
/// committed. Called when the process is interrupted, before it exits.
pub fn remove_pending() {
    let mut paths = pending();
    for path in paths.iter().rev() {
        if fs::remove_file(path).is_err() {
            let _ = fs::remove_dir(path);
        }
    }
    paths.clear();
}

/// One staged file: the temporary file holding its bytes, and where it goes.
struct Staged {
    temp: NamedTempFile,
    target: PathBuf,
}

/// The output files of one command, staged and then committed together.
#[derive(Default)]
pub struct Outputs {
    inputs: Vec<(FileId, PathBuf)>,
    staged: Vec<Staged>,
    made_dirs: Vec<PathBuf>,
}

impl Outputs {
    /// No outputs yet, and no inputs to protect.
    pub fn new() -> Self {
        Self::default()
    }

    /// Protects `path` (if it exists): no output may be that file, by any name.
    pub fn protect(&mut self, path: &Path) {
        if let Ok(meta) = fs::metadata(path) {
            self.inputs.push((FileId::of(&meta), path.to_path_buf()));
        }
    }

    /// Stages `bytes` for `path`.
    pub fn file(&mut self, path: &Path, bytes: &[u8], replace: Replace) -> Result<(), WriteError> {
        let target = self.target(path, replace)?;
        let same = |staged: &Staged| {
            staged.target == target.path
                || fs::canonicalize(directory_of(&staged.target)).ok()
                    == fs::canonicalize(directory_of(&target.path)).ok()
                    && staged.target.file_name() == target.path.file_name()
        };
        if self.staged.iter().any(same) {
            return Err(WriteError::Refused(format!(
                "två utdata skulle skrivas till samma fil {}",
                shown(path)
            )));
        }
        self.stage(path, target, bytes)
    }

    /// Stages `files` (relative paths and their bytes) for the directory `dir`, which
    /// must be missing, empty, or one written before by the same means (it holds
    /// [`TYPST_DIR_MARKER`]); the marker is written too.
    pub fn typst_dir(
        &mut self,
        dir: &Path,
        files: &[(PathBuf, Vec<u8>)],
    ) -> Result<(), WriteError> {
        let refuse = |why: &str| {
            WriteError::File(
                Diagnostic::file_error(
                    &shown(dir),
                    format!("kan inte skriva Typst-katalogen: {why}"),
                )
                .expected("en katalog som inte finns, en tom katalog eller en som spur skrev förut")
                .hint("ange en ny katalog, så skapar spur den"),
            )
        };
        match fs::symlink_metadata(dir) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => self.make_dir(dir)?,
            Err(e) => return Err(refuse(&io_reason(&e))),
            Ok(_) if !dir.is_dir() => return Err(refuse("sökvägen är inte en katalog")),
            Ok(_) => {
                let mut entries = fs::read_dir(dir).map_err(|e| refuse(&io_reason(&e)))?;
                let ours = dir.join(TYPST_DIR_MARKER).is_file();
                if !ours && entries.next().is_some() {
                    return Err(refuse(
                        "katalogen innehåller redan filer som spur inte har skrivit",
                    ));
                }
            }
        }
        let marker = (
            PathBuf::from(TYPST_DIR_MARKER),
            b"Skriven av spur render --typst-dir; spur skriver om filerna i katalogen.\n".to_vec(),
        );
        for (relative, bytes) in files.iter().chain(std::iter::once(&marker)) {
            let path = dir.join(relative);
            if let Some(parent) = path.parent()
                && !parent.exists()
            {
                self.make_dir(parent)?;
            }
            self.file(&path, bytes, Replace::Yes)?;
        }
        Ok(())
    }

    /// Renames every staged file into place. A failure part-way leaves the files not
    /// yet renamed as they were; the error names the file.
    pub fn commit(mut self) -> Result<(), WriteError> {
        for Staged { temp, target } in std::mem::take(&mut self.staged) {
            let temp_path = temp.path().to_path_buf();
            let result = temp.persist(&target);
            forget_pending(&temp_path);
            result.map_err(|e| file_error(&target, "kan inte spara filen", &e.error))?;
            sync_dir(&target);
        }
        for dir in std::mem::take(&mut self.made_dirs) {
            forget_pending(&dir);
        }
        Ok(())
    }

    /// Checks where `path` may be written and returns the file to write: `path`
    /// itself, or the regular file a symbolic link at `path` points to.
    fn target(&self, path: &Path, replace: Replace) -> Result<Target, WriteError> {
        let fail = |why: String| WriteError::File(Diagnostic::file_error(&shown(path), why));
        let link = match fs::symlink_metadata(path) {
            Ok(meta) => meta,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return self.new_file(path);
            }
            Err(e) => return Err(fail(format!("kan inte skriva filen: {}", io_reason(&e)))),
        };
        let (resolved, meta) = if link.file_type().is_symlink() {
            let resolved = fs::canonicalize(path).map_err(|e| {
                fail(format!(
                    "kan inte skriva filen: den symboliska länken leder inte till en fil ({})",
                    io_reason(&e)
                ))
            })?;
            let meta = fs::metadata(&resolved)
                .map_err(|e| fail(format!("kan inte skriva filen: {}", io_reason(&e))))?;
            (resolved, meta)
        } else {
            (path.to_path_buf(), link)
        };
        if let Some((_, input)) = self.inputs.iter().find(|(id, _)| *id == FileId::of(&meta)) {
            return Err(WriteError::Refused(same_as_input(path, input)));
        }
        let kind = meta.file_type();
        if kind.is_dir() {
            return Err(fail("kan inte skriva filen: sökvägen är en katalog".into()));
        }
        if !kind.is_file() {
            return Err(fail(format!(
                "kan inte skriva filen: sökvägen är {}, inte en vanlig fil",
                special_kind(&meta)
            )));
        }
        if replace == Replace::OnlyWithForce {
            return Err(WriteError::Refused(format!(
                "{} finns redan; ange --force för att ersätta den",
                shown(path)
            )));
        }
        Ok(Target {
            path: resolved,
            mode: Some(meta.permissions()),
        })
    }

    /// A target that does not exist yet: its directory must.
    fn new_file(&self, path: &Path) -> Result<Target, WriteError> {
        let dir = directory_of(path);
        if !dir.is_dir() {
            let why = if dir.exists() {
                "är inte en katalog"
            } else {
                "finns inte"
            };
            return Err(WriteError::File(Diagnostic::file_error(
                &shown(path),
                format!("kan inte skriva filen: katalogen {} {why}", shown(dir)),
            )));
        }
        Ok(Target {
            path: path.to_path_buf(),
            mode: None,
        })
    }

    /// Writes `bytes` to a temporary file beside `target` and syncs it.
    fn stage(&mut self, shown_as: &Path, target: Target, bytes: &[u8]) -> Result<(), WriteError> {
        let fail = |what: &str, e: &std::io::Error| file_error(shown_as, what, e);
        let dir = directory_of(&target.path);
        // 0666 before the umask: the mode any other program gives a new file.
        let mut temp = tempfile::Builder::new()
            .prefix(".spur-")
            .suffix(".tmp")
            .permissions(Permissions::from_mode(0o666))
            .tempfile_in(dir)
            .map_err(|e| fail("kan inte skapa en temporär fil", &e))?;
        pending().push(temp.path().to_path_buf());
        let written = (|| {
            if let Some(mode) = target.mode {
                temp.as_file().set_permissions(mode)?;
            }
            temp.write_all(bytes)?;
            temp.as_file().sync_all()
        })();
        if let Err(e) = written {
            forget_pending(temp.path());
            return Err(fail("kan inte skriva filen", &e));
        }
        self.staged.push(Staged {
            temp,
            target: target.path,
        });
        Ok(())
    }

    /// Creates `dir` and any missing parents, remembered for removal on failure.
    fn make_dir(&mut self, dir: &Path) -> Result<(), WriteError> {
        if let Some(parent) = dir.parent()
            && !parent.as_os_str().is_empty()
            && !parent.exists()
        {
            self.make_dir(parent)?;
        }
        fs::create_dir(dir).map_err(|e| file_error(dir, "kan inte skapa katalogen", &e))?;
        pending().push(dir.to_path_buf());
        self.made_dirs.push(dir.to_path_buf());
        Ok(())
    }
}

impl Drop for Outputs {
    /// An uncommitted command leaves nothing behind: its temporary files go with their
    /// handles, and the directories it made for them are removed.
    fn drop(&mut self) {
        for staged in self.staged.drain(..) {
            forget_pending(staged.temp.path());
        }
        for dir in self.made_dirs.drain(..).rev() {
            let _ = fs::remove_dir(&dir);
            forget_pending(&dir);
        }
    }
}

/// Where a staged file goes, and the mode it keeps when it replaces a file.
struct Target {
    path: PathBuf,
    mode: Option<Permissions>,
}

/// The directory a file path lies in (`.` for a bare name).
fn directory_of(path: &Path) -> &Path {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    }
}

/// Makes the rename itself durable; a directory that cannot be synced (some network
/// file systems) still holds the renamed file, so failure here is not reported.
fn sync_dir(target: &Path) {
    if let Ok(dir) = fs::File::open(directory_of(target)) {
        let _ = dir.sync_all();
    }
}

/// The refusal for an output that is an input, naming both spellings.
fn same_as_input(output: &Path, input: &Path) -> String {
    if output == input {
        format!(
            "utdatafilen {} är indatafilen; välj ett annat namn",
            shown(output)
        )
    } else {
        format!(
            "utdatafilen {} är samma fil som indatafilen {}; välj ett annat namn",
            shown(output),
            shown(input)
        )
    }
}

/// What a file that is neither a regular file nor a directory is, in Swedish.
pub fn special_kind(meta: &Metadata) -> &'static str {
    let kind = meta.file_type();
    if kind.is_char_device() || kind.is_block_device() {
        "en enhetsfil"
    } else if kind.is_fifo() {
        "en namngiven rörledning (FIFO)"
    } else if kind.is_socket() {
        "en socket"
    } else {
        "inte en vanlig fil"
    }
}

/// An I/O failure on `path`, in Swedish.
fn file_error(path: &Path, what: &str, e: &std::io::Error) -> WriteError {
    WriteError::File(Diagnostic::file_error(
        &shown(path),
        format!("{what}: {}", io_reason(e)),
    ))
}

/// A Swedish description of an I/O error.
pub fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    if let Some(why) = e.raw_os_error().and_then(errno_reason) {
        return why.into();
    }
    match e.kind() {
        K::NotFound => "filen finns inte".into(),
        K::PermissionDenied => "behörighet saknas".into(),
        K::IsADirectory => "sökvägen är en katalog".into(),
        K::NotADirectory => "en del av sökvägen är inte en katalog".into(),
        K::StorageFull => "disken är full".into(),
        K::AlreadyExists => "filen finns redan".into(),
        K::ReadOnlyFilesystem => "filsystemet är skrivskyddat".into(),
        K::FileTooLarge => "filen är för stor för filsystemet".into(),
        K::ResourceBusy => "filen eller enheten är upptagen".into(),
        K::WouldBlock => "filen är inte redo att läsas".into(),
        K::Interrupted => "åtgärden avbröts".into(),
        K::InvalidData => "filen innehåller ogiltiga data".into(),
        K::InvalidInput => "ogiltig sökväg".into(),
        K::UnexpectedEof => "filen tog slut oväntat".into(),
        K::CrossesDevices => "filen kan inte flyttas mellan filsystem".into(),
        K::BrokenPipe => "mottagaren stängde rörledningen".into(),
        _ => match e.raw_os_error() {
            Some(code) => format!("okänt fel från operativsystemet (felkod {code})"),
            None => "okänt in- eller utmatningsfel".into(),
        },
    }
}

/// The Swedish reason for the operating-system errors a user meets when naming files.
fn errno_reason(code: i32) -> Option<&'static str> {
    Some(match code {
        libc::ENOENT => "filen finns inte",
        libc::EACCES | libc::EPERM => "behörighet saknas",
        libc::EISDIR => "sökvägen är en katalog",
        libc::ENOTDIR => "en del av sökvägen är inte en katalog",
        libc::ELOOP => "för många symboliska länkar i rad (en länk som pekar på sig själv?)",
        libc::ENAMETOOLONG => "sökvägen eller ett filnamn är för långt",
        libc::ENOSPC => "disken är full",
        libc::EDQUOT => "diskkvoten är slut",
        libc::EROFS => "filsystemet är skrivskyddat",
        libc::EFBIG => "filen är för stor för filsystemet",
        libc::EBUSY | libc::ETXTBSY => "filen eller enheten är upptagen",
        libc::EIO => "läs- eller skrivfel på disken",
        libc::ENXIO | libc::ENODEV => "enheten finns inte eller kan inte användas",
        libc::EMFILE | libc::ENFILE => "för många öppna filer",
        libc::EXDEV => "filen kan inte flyttas mellan filsystem",
        libc::EAGAIN => "filen är inte redo att läsas",
        libc::EINVAL => "ogiltig sökväg eller åtgärd",
        libc::EPIPE => "mottagaren stängde rörledningen",
        libc::ESTALE => "nätverksfilen är inte längre tillgänglig",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(path: &Path, bytes: &[u8], replace: Replace) -> Result<(), WriteError> {
        let mut outputs = Outputs::new();
        outputs.file(path, bytes, replace)?;
        outputs.commit()
    }

    fn message(e: WriteError) -> String {
        match e {
            WriteError::Refused(m) => m,
            WriteError::File(d) => d.message,
        }
    }

    #[test]
    fn writes_whole_files_and_refuses_missing_directories() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ut.txt");
        write(&path, b"hej", Replace::Yes).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"hej");
        let missing = dir.path().join("saknas").join("ut.txt");
        let e = message(write(&missing, b"x", Replace::Yes).unwrap_err());
        assert!(e.contains("finns inte"), "{e}");
        let under_file = path.join("ut.txt");
        let e = message(write(&under_file, b"x", Replace::Yes).unwrap_err());
        assert!(e.contains("inte en katalog"), "{e}");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn an_input_is_never_an_output_by_any_name() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("in.yaml");
        fs::write(&input, "a: 1\n").unwrap();
        let link = dir.path().join("länk.yaml");
        std::os::unix::fs::symlink(&input, &link).unwrap();
        let hard = dir.path().join("hård.yaml");
        fs::hard_link(&input, &hard).unwrap();
        for out in [&input, &link, &hard] {
            let mut outputs = Outputs::new();
            outputs.protect(&input);
            let e = outputs.file(out, b"x", Replace::Yes).unwrap_err();
            assert!(matches!(e, WriteError::Refused(_)), "{out:?}");
        }
        assert_eq!(fs::read(&input).unwrap(), b"a: 1\n");
    }

    #[test]
    fn nothing_is_written_until_everything_is_staged() {
        let dir = tempfile::tempdir().unwrap();
        let first = dir.path().join("ett.txt");
        let mut outputs = Outputs::new();
        outputs.file(&first, b"1", Replace::Yes).unwrap();
        let e = outputs.file(dir.path(), b"2", Replace::Yes);
        assert!(e.is_err());
        drop(outputs);
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn two_outputs_never_go_to_one_file() {
        let dir = tempfile::tempdir().unwrap();
        let mut outputs = Outputs::new();
        outputs
            .file(&dir.path().join("a.pdf"), b"1", Replace::Yes)
            .unwrap();
        let again = dir.path().join(".").join("a.pdf");
        let e = outputs.file(&again, b"2", Replace::Yes).unwrap_err();
        assert!(matches!(e, WriteError::Refused(_)));
    }

    #[test]
    fn a_replaced_file_keeps_its_mode_and_force_is_asked_for() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ut.txt");
        fs::write(&path, "gammal").unwrap();
        fs::set_permissions(&path, Permissions::from_mode(0o640)).unwrap();
        let e = write(&path, b"ny", Replace::OnlyWithForce).unwrap_err();
        assert!(message(e).contains("--force"));
        write(&path, b"ny", Replace::Yes).unwrap();
        let meta = fs::metadata(&path).unwrap();
        assert_eq!(meta.permissions().mode() & 0o777, 0o640);
        assert_eq!(fs::read(&path).unwrap(), b"ny");
    }

    #[test]
    fn a_typst_dir_is_never_written_over_a_users_files() {
        let dir = tempfile::tempdir().unwrap();
        let users = dir.path().join("mina");
        fs::create_dir(&users).unwrap();
        fs::write(users.join("anteckning.txt"), "min").unwrap();
        let files = vec![(PathBuf::from("fonts/a.ttf"), b"f".to_vec())];
        let e = Outputs::new().typst_dir(&users, &files).unwrap_err();
        assert!(message(e).contains("inte har skrivit"));
        let fresh = dir.path().join("ny").join("typst");
        let mut outputs = Outputs::new();
        outputs.typst_dir(&fresh, &files).unwrap();
        outputs.commit().unwrap();
        assert_eq!(fs::read(fresh.join("fonts/a.ttf")).unwrap(), b"f");
        let mut again = Outputs::new();
        again.typst_dir(&fresh, &files).unwrap();
        again.commit().unwrap();
        let abandoned = dir.path().join("övergiven");
        let mut outputs = Outputs::new();
        outputs.typst_dir(&abandoned, &files).unwrap();
        drop(outputs);
        assert!(!abandoned.exists());
    }

    #[test]
    fn os_errors_read_in_swedish() {
        let e = std::io::Error::from_raw_os_error(libc::ELOOP);
        assert!(io_reason(&e).contains("symboliska länkar"));
        let e = std::io::Error::from_raw_os_error(9999);
        assert!(io_reason(&e).contains("felkod 9999"));
    }
}
