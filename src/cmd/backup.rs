//! `spur backup`: a consistent copy of a (possibly running) service's database.

use std::path::Path;

use spur_core::output::{Outputs, Replace};
use spur_service::Db;

use super::{Failure, Outcome, print};

/// Copies the database at `db` to `output` with SQLite's own `VACUUM INTO`, through a
/// temporary file, so that the copy is whole or absent and never replaces the database.
pub fn run(db: &Path, output: &Path) -> Outcome {
    if !db.is_file() {
        return Err(Failure::Invalid(vec![
            spur_core::diagnostic::Diagnostic::file_error(
                &db.display().to_string(),
                "databasen finns inte",
            ),
        ]));
    }
    let store = Db::open(db).map_err(|e| Failure::Internal(e.to_string()))?;
    let dir = tempfile::tempdir().map_err(|e| Failure::Internal(e.to_string()))?;
    let copy = dir.path().join("kopia.sqlite");
    store
        .backup(&copy)
        .map_err(|e| Failure::Internal(e.to_string()))?;
    let bytes = std::fs::read(&copy).map_err(|e| Failure::Internal(e.to_string()))?;
    let mut outputs = Outputs::new();
    outputs.protect(db);
    outputs.file(output, &bytes, Replace::OnlyWithForce)?;
    outputs.commit()?;
    print(&format!(
        "Kopian är skriven till {}.\n",
        spur_core::diagnostic::shown(output)
    ))
}
