//! The problems of each stored version of a questionnaire, kept by the version's id:
//! versions never change, so a page shown again is not checked again, and the save
//! that made a version checks it once for every page that follows.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::held::QUESTIONNAIRE_FILE;
use spur_core::catalog::Catalog;
use spur_core::fonts;
use spur_cycle::draft::file::Written;
use spur_cycle::draft::{self, Draft, Located};

/// How many versions' problems are kept; beyond it the cache starts afresh.
const KEPT: usize = 256;

/// Problems by version id.
#[derive(Default)]
pub struct Checks {
    by_version: Mutex<HashMap<i64, Arc<Vec<Located>>>>,
}

/// The problems `spur check` finds in `draft`, placed at their fields.
pub fn problems(draft: &Draft) -> Vec<Located> {
    let checked = draft::check(
        Catalog::embedded(),
        draft,
        QUESTIONNAIRE_FILE,
        &fonts::can_show,
    );
    match checked.outcome {
        Ok(_) => Vec::new(),
        Err(problems) => problems,
    }
}

/// [`problems`] of the file already written from a draft.
fn problems_of(written: Written) -> Vec<Located> {
    let checked = draft::checked(
        Catalog::embedded(),
        written,
        QUESTIONNAIRE_FILE,
        &fonts::can_show,
    );
    match checked.outcome {
        Ok(_) => Vec::new(),
        Err(problems) => problems,
    }
}

impl Checks {
    /// The problems of stored version `version`, whose draft is `draft`.
    pub fn of(&self, version: i64, draft: &Draft) -> Arc<Vec<Located>> {
        self.of_version(version, || problems(draft))
    }

    /// The problems of version `version` just written as `written` by a save.
    pub fn of_written(&self, version: i64, written: Written) -> Arc<Vec<Located>> {
        self.of_version(version, || problems_of(written))
    }

    fn of_version(&self, version: i64, find: impl FnOnce() -> Vec<Located>) -> Arc<Vec<Located>> {
        let lock = || self.by_version.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(found) = lock().get(&version) {
            return found.clone();
        }
        let found = Arc::new(find());
        let mut cache = lock();
        if cache.len() >= KEPT {
            cache.clear();
        }
        cache.insert(version, found.clone());
        found
    }
}
