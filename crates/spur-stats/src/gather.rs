//! Finding and reading the questionnaires under the paths `spur stats` is given: the
//! I/O edge of the statistics, as [`spur_core::load`] is for one inspection. Directories
//! are searched recursively, in name order; files are read and graded in parallel.

use std::collections::{BTreeSet, HashSet};
use std::os::unix::fs::{DirEntryExt, MetadataExt};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::NotCounted;
use spur_core::diagnostic::{Diagnostic, Source, shown};
use spur_core::inspection::Inspection;
use spur_core::yaml::{self, Value};
use spur_core::{load, output};

/// Everything found under the paths.
#[derive(Debug, Default)]
pub struct Gathered {
    /// The valid inspections, each with its file as shown to the user, in the order
    /// found.
    pub inspections: Vec<(String, Inspection)>,
    /// The files that could not be read or are invalid, with every problem found; the
    /// first is the one the summary lists.
    pub invalid: Vec<(String, Vec<Diagnostic>)>,
    /// Action-plan files found and passed over.
    pub plans: Vec<String>,
    /// Every file read: those found, and the plans the inspections name. An output
    /// must not replace any of them.
    pub read: Vec<PathBuf>,
}

impl Gathered {
    /// The invalid files as the summary lists them: each with its first problem.
    pub fn not_counted(&self) -> Vec<NotCounted> {
        self.invalid
            .iter()
            .map(|(file, problems)| {
                let first = problems.iter().find(|d| d.is_error()).or(problems.first());
                NotCounted {
                    file: file.clone(),
                    line: first.map_or(0, |d| d.line),
                    column: first.map_or(0, |d| d.column),
                    problem: first.map_or_else(
                        || "filen kunde inte läsas".to_string(),
                        |d| d.message.clone(),
                    ),
                    duplicate_of: None,
                }
            })
            .collect()
    }
}

/// What one file turned out to be.
enum Found {
    /// A valid questionnaire, graded with its plan.
    Inspection(Box<Inspection>),
    /// An action plan, passed over.
    Plan,
    /// A file that cannot be read or is invalid, with its problems.
    Invalid(Vec<Diagnostic>),
}

/// What one file is at first reading.
enum First {
    /// Known.
    Found(Found),
    /// A file whose top-level keys, as written, are a plan's: a plan if a valid
    /// questionnaire names it, else parsed to tell.
    LooksLikePlan(Source),
}

/// Whether `path` names a file that a directory search reads: YAML by its extension.
fn is_yaml(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"))
}

/// The candidate files under `paths`, in order: a file as given; a directory's YAML
/// files, recursively, each directory's entries in name order, hidden ones (a name
/// starting with `.`) left out. Symbolic links are followed, but a directory or file
/// already visited (a link loop, or a path given twice) is not read again. A path
/// that cannot be read is returned among the problems.
pub fn files(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<(String, Vec<Diagnostic>)>) {
    let mut walk = Walk::default();
    for path in paths {
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => walk.directory(path, &meta),
            // A file as given is read whatever its name; read_source says what is wrong.
            _ => walk.file(path),
        }
    }
    (walk.files, walk.problems)
}

/// The state of a directory search.
#[derive(Default)]
struct Walk {
    /// Directories and files visited, by device and inode.
    seen: BTreeSet<(u64, u64)>,
    files: Vec<PathBuf>,
    problems: Vec<(String, Vec<Diagnostic>)>,
}

impl Walk {
    /// A file given as an argument or reached through a symbolic link.
    fn file(&mut self, path: &Path) {
        // A path that cannot be examined is still read, so that its problem is told.
        let fresh = std::fs::metadata(path).map_or(true, |m| self.seen.insert((m.dev(), m.ino())));
        if fresh {
            self.files.push(path.to_path_buf());
        }
    }

    /// A directory, recursively, unless it was visited before (a link loop).
    fn directory(&mut self, dir: &Path, meta: &std::fs::Metadata) {
        if !self.seen.insert((meta.dev(), meta.ino())) {
            return;
        }
        let entries = match std::fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(e) => return self.unreadable(dir, &e),
        };
        let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            if entry.file_name().as_encoded_bytes().starts_with(b".") {
                continue;
            }
            let path = entry.path();
            // The entry's type comes with the directory listing: a plain file needs
            // no stat of its own, and a file is one inode of this directory's device.
            match entry.file_type() {
                Ok(kind) if kind.is_file() => {
                    if is_yaml(&path) && self.seen.insert((meta.dev(), entry.ino())) {
                        self.files.push(path);
                    }
                }
                Ok(kind) if kind.is_dir() => match std::fs::metadata(&path) {
                    Ok(sub) => self.directory(&path, &sub),
                    Err(e) => self.unreadable(&path, &e),
                },
                _ => match std::fs::metadata(&path) {
                    Ok(target) if target.is_dir() => self.directory(&path, &target),
                    _ if is_yaml(&path) => self.file(&path),
                    _ => {}
                },
            }
        }
    }

    /// A directory that cannot be listed, told as the problem of its path.
    fn unreadable(&mut self, dir: &Path, e: &std::io::Error) {
        let name = shown(dir);
        let problem = Diagnostic::file_error(
            &name,
            format!("kan inte läsa katalogen: {}", output::io_reason(e)),
        );
        self.problems.push((name, vec![problem]));
    }
}

/// Whether `source` is an action plan (SPEC §5): a mapping with `inspection_date` or
/// `items` at the top and neither of a questionnaire's `inspection` and `areas`.
pub fn is_plan(source: &Source) -> bool {
    let Ok(root) = yaml::parse(source) else {
        return false;
    };
    let Value::Map(entries) = &root.value else {
        return false;
    };
    plan_keys(entries.iter().map(|(k, _)| k.key_text()))
}

/// Whether top-level keys are a plan's rather than a questionnaire's.
fn plan_keys<K: AsRef<str>>(keys: impl Iterator<Item = K>) -> bool {
    let (mut plan, mut questionnaire) = (false, false);
    for key in keys {
        match key.as_ref() {
            "inspection_date" | "items" => plan = true,
            "inspection" | "areas" => questionnaire = true,
            _ => {}
        }
    }
    plan && !questionnaire
}

/// Whether the keys written at the start of a line, which in block style are the top
/// level's, are a plan's: a look at the text only, so that a plan is not parsed as a
/// questionnaire first. [`is_plan`] has the last word.
fn looks_like_plan(text: &str) -> bool {
    let keys = text.lines().filter_map(|line| {
        let key = line.split_once(':')?.0;
        let starts = key.starts_with(|c: char| c.is_alphanumeric() || c == '"' || c == '\'');
        starts.then(|| key.trim().trim_matches(['"', '\'']))
    });
    plan_keys(keys)
}

/// Reads one file: an inspection (with the plan it names), an invalid file, or one
/// that looks like an action plan and is left for [`settle`].
fn read(path: &Path) -> First {
    let source = match load::read_source(path) {
        Ok(source) => source,
        Err(problems) => return First::Found(Found::Invalid(problems)),
    };
    if looks_like_plan(&source.text) {
        return First::LooksLikePlan(source);
    }
    First::Found(questionnaire(path, &source))
}

/// A file read as a questionnaire: an inspection, or, failing that, a plan written in
/// a way [`looks_like_plan`] does not see (flow style, `{items: …}`), or invalid.
fn questionnaire(path: &Path, source: &Source) -> Found {
    match load::inspection_read(path, source) {
        Ok(inspection) => Found::Inspection(Box::new(inspection)),
        Err(_) if is_plan(source) => Found::Plan,
        Err(problems) => Found::Invalid(problems),
    }
}

/// What a file that looks like a plan is: a plan without a second look when a valid
/// questionnaire names it (its plan was checked with it), else what parsing it says.
fn settle(path: &Path, source: &Source, named: &HashSet<&Path>) -> Found {
    if named.contains(path) || is_plan(source) {
        Found::Plan
    } else {
        questionnaire(path, source)
    }
}

/// Finds the files under `paths` and reads them, in parallel on rayon's pool; the
/// results keep the order in which the files were found. Each file is read once and
/// each valid questionnaire parsed once; a plan that a questionnaire names is parsed
/// only as that questionnaire's plan.
pub fn gather(paths: &[PathBuf]) -> Gathered {
    let (files, problems) = files(paths);
    let first: Vec<First> = files.par_iter().map(|p| read(p)).collect();
    let plans: Vec<PathBuf> = files
        .iter()
        .zip(&first)
        .filter_map(|(path, first)| match first {
            First::Found(Found::Inspection(i)) => load::plan_path(path, &i.questionnaire),
            _ => None,
        })
        .collect();
    let named: HashSet<&Path> = plans.iter().map(PathBuf::as_path).collect();
    let found: Vec<Found> = first
        .into_par_iter()
        .zip(&files)
        .map(|(first, path)| match first {
            First::Found(found) => found,
            First::LooksLikePlan(source) => settle(path, &source, &named),
        })
        .collect();
    let mut gathered = Gathered {
        invalid: problems,
        ..Gathered::default()
    };
    for (path, found) in files.iter().zip(found) {
        let name = shown(path);
        gathered.read.push(path.clone());
        match found {
            Found::Inspection(i) => {
                gathered
                    .read
                    .extend(load::plan_path(path, &i.questionnaire));
                gathered.inspections.push((name, *i));
            }
            Found::Plan => gathered.plans.push(name),
            Found::Invalid(problems) => gathered.invalid.push((name, problems)),
        }
    }
    gathered
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A source named `t.yaml`.
    fn source(text: &str) -> Source {
        Source::new("t.yaml", text.to_string())
    }

    #[test]
    fn a_plan_is_told_from_a_questionnaire_by_its_top_level_keys() {
        let plan =
            "# Handlingsplan\nunit: Boo\ninspection_date: 2025-02-12\nitems:\n  - indicator: D6\n";
        assert!(looks_like_plan(plan) && is_plan(&source(plan)));
        let quoted = "\"unit\": Boo\n'items': []\n";
        assert!(looks_like_plan(quoted) && is_plan(&source(quoted)));
        let questionnaire = "unit:\n  name: Boo\ninspection:\n  date: 2025-02-12\nareas:\n  D:\n    findings: |\n      items: inget\n";
        assert!(!looks_like_plan(questionnaire) && !is_plan(&source(questionnaire)));
        // Flow style: only the parse sees it.
        let flow = "{unit: Boo, inspection_date: 2025-02-12, items: []}\n";
        assert!(!looks_like_plan(flow) && is_plan(&source(flow)));
        // Not YAML, or not a mapping: not a plan.
        assert!(!is_plan(&source("items: [\n")));
        assert!(!is_plan(&source("- items\n")));
    }
}
