//! Writing output files whole or not at all.

use std::io::Write;
use std::path::Path;

use crate::diagnostic::Diagnostic;

/// Writes `bytes` to `path` through a temporary file in the same directory, renamed
/// into place: a failure never leaves a partial file or clobbers a good one.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
    let shown = path.display().to_string();
    let fail = |what: &str, e: std::io::Error| {
        Diagnostic::file_error(&shown, format!("{what}: {}", io_reason(&e)))
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    if !dir.is_dir() {
        let why = if dir.exists() {
            "är inte en katalog"
        } else {
            "finns inte"
        };
        return Err(Diagnostic::file_error(
            &shown,
            format!("kan inte skriva filen: katalogen {} {why}", dir.display()),
        ));
    }
    if path.is_dir() {
        return Err(Diagnostic::file_error(
            &shown,
            "kan inte skriva filen: sökvägen är en katalog",
        ));
    }
    let mut file = tempfile::Builder::new()
        .prefix(".spur-")
        .tempfile_in(dir)
        .map_err(|e| fail("kan inte skapa en temporär fil", e))?;
    file.write_all(bytes)
        .map_err(|e| fail("kan inte skriva filen", e))?;
    file.persist(path)
        .map_err(|e| fail("kan inte spara filen", e.error))?;
    Ok(())
}

/// A Swedish description of an I/O error.
pub fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::NotFound => "filen finns inte".into(),
        K::PermissionDenied => "behörighet saknas".into(),
        K::IsADirectory => "sökvägen är en katalog".into(),
        K::NotADirectory => "en del av sökvägen är inte en katalog".into(),
        K::StorageFull => "disken är full".into(),
        K::AlreadyExists => "filen finns redan".into(),
        _ => format!("in- eller utmatningsfel ({e})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_whole_files_and_refuses_missing_directories() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ut.txt");
        write_atomic(&path, b"hej").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"hej");
        let missing = dir.path().join("saknas").join("ut.txt");
        let e = write_atomic(&missing, b"x").unwrap_err();
        assert!(e.message.contains("finns inte"), "{}", e.message);
        let under_file = path.join("ut.txt");
        let e = write_atomic(&under_file, b"x").unwrap_err();
        assert!(e.message.contains("inte en katalog"), "{}", e.message);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
