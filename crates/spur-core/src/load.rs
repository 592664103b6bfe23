//! Reading user files from disk into a graded inspection: the I/O edge of the core.
//! What is read goes to the pure functions of [`crate::inspection`].

use std::io::Read;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use crate::catalog::Catalog;
use crate::diagnostic::{Diagnostic, Source, shown};
use crate::grading::Grading;
use crate::inspection::{self, Inspection};
use crate::plan;
use crate::questionnaire::Questionnaire;
use crate::{fonts, output, yaml};

/// Reads a user's text file: a regular file only (a FIFO or device would block or never
/// end), at most [`yaml::MAX_FILE_BYTES`] whatever size it claims, UTF-8, without
/// the characters YAML forbids. A byte-order mark is dropped so that columns count
/// from the first visible character.
pub fn read_source(path: &Path) -> Result<Source, Vec<Diagnostic>> {
    let name = shown(path);
    let unreadable = |e: std::io::Error| {
        vec![Diagnostic::file_error(
            &name,
            format!("kan inte läsa filen: {}", output::io_reason(&e)),
        )]
    };
    let refuse_special = |meta: &std::fs::Metadata| {
        if meta.is_dir() {
            Err(vec![
                Diagnostic::file_error(&name, "kan inte läsa filen: sökvägen är en katalog")
                    .expected("en YAML-fil"),
            ])
        } else if !meta.is_file() {
            Err(vec![
                Diagnostic::file_error(
                    &name,
                    format!(
                        "kan inte läsa filen: sökvägen är {}, inte en vanlig fil",
                        output::special_kind(meta)
                    ),
                )
                .expected("en YAML-fil sparad på disk"),
            ])
        } else {
            Ok(())
        }
    };
    refuse_special(&std::fs::metadata(path).map_err(unreadable)?)?;
    // Non-blocking, so that a file swapped for a FIFO after the check above cannot
    // hang the open; the check is then repeated on what was opened.
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(path)
        .map_err(unreadable)?;
    refuse_special(&file.metadata().map_err(unreadable)?)?;
    let too_big = |size: String| {
        vec![
            Diagnostic::file_error(&name, format!("filen är för stor ({size})")).expected(
                &format!("högst {} MB", yaml::MAX_FILE_BYTES / (1024 * 1024)),
            ),
        ]
    };
    let claimed = file.metadata().map_err(unreadable)?.len();
    if claimed > yaml::MAX_FILE_BYTES as u64 {
        return Err(too_big(format!("{} MB", claimed / (1024 * 1024))));
    }
    let mut bytes = Vec::with_capacity(claimed as usize);
    file.take(yaml::MAX_FILE_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.len() > yaml::MAX_FILE_BYTES {
        return Err(too_big(format!(
            "mer än {} MB",
            yaml::MAX_FILE_BYTES / (1024 * 1024)
        )));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        vec![
            Diagnostic::file_error(
                &name,
                format!(
                    "filen är inte UTF-8-kodad text (ogiltig byte vid position {})",
                    e.utf8_error().valid_up_to()
                ),
            )
            .expected("en textfil sparad som UTF-8")
            .hint("spara om filen som UTF-8 i din textredigerare"),
        ]
    })?;
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    };
    if text.trim().is_empty() {
        return Err(vec![
            Diagnostic::file_error(&name, "filen är tom")
                .expected("ett frågeformulär i YAML; ”spur init” skriver ett att utgå från"),
        ]);
    }
    let source = Source::new(name, text);
    let forbidden = forbidden_characters(&source);
    if forbidden.is_empty() {
        Ok(source)
    } else {
        Err(forbidden)
    }
}

/// The most characters YAML forbids that are reported one by one; a binary file
/// would otherwise give thousands.
const MAX_FORBIDDEN_SHOWN: usize = 10;

/// Every character that may not stand in a YAML file (control characters other than
/// tab and line breaks, U+FFFE, U+FFFF), each at its line and column.
fn forbidden_characters(source: &Source) -> Vec<Diagnostic> {
    let forbidden = |c: char| matches!(c, '\0'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{7f}'..='\u{84}' | '\u{86}'..='\u{9f}' | '\u{fffe}' | '\u{ffff}');
    let found: Vec<(usize, char)> = source
        .text
        .char_indices()
        .filter(|&(_, c)| forbidden(c))
        .collect();
    let mut problems: Vec<Diagnostic> = found
        .iter()
        .take(MAX_FORBIDDEN_SHOWN)
        .map(|&(at, c)| {
            let what = if c == '\0' {
                "NUL-tecknet (binära data)".to_string()
            } else if c.is_control() {
                format!("styrtecknet U+{:04X}", c as u32)
            } else {
                format!("tecknet U+{:04X}, som inte är ett tecken", c as u32)
            };
            Diagnostic::error(
                source,
                (at, at + c.len_utf8()),
                "",
                format!("{what} får inte stå i en YAML-fil"),
            )
            .expected("text utan styrtecken")
            .hint("ta bort tecknet; det syns ofta inte i textredigeraren")
        })
        .collect();
    if found.len() > MAX_FORBIDDEN_SHOWN
        && let Some(last) = problems.last_mut()
    {
        last.message.push_str(&format!(
            " (och {} till i filen)",
            found.len() - MAX_FORBIDDEN_SHOWN
        ));
    }
    problems
}

/// Reads and validates a questionnaire and grades it without its action plan.
pub fn questionnaire(path: &Path) -> Result<(Questionnaire, Grading), Vec<Diagnostic>> {
    let source = read_source(path)?;
    inspection::questionnaire(Catalog::embedded(), &source, &fonts::can_show)
}

/// Reads an action plan and checks it against the inspection it answers.
pub fn plan(
    path: &Path,
    questionnaire: &Questionnaire,
    grading: &Grading,
) -> Result<plan::Checked, Vec<Diagnostic>> {
    let source = read_source(path)?;
    Ok(plan::check(
        &source,
        Catalog::embedded(),
        questionnaire,
        grading,
        &fonts::can_show,
    ))
}

/// Where the action plan that the questionnaire at `path` names lies, if it names one:
/// `action_plan.file` counts from the questionnaire's directory.
pub fn plan_path(path: &Path, questionnaire: &Questionnaire) -> Option<PathBuf> {
    let reference = questionnaire.action_plan.as_ref()?;
    Some(path.parent().unwrap_or(Path::new("")).join(&reference.file))
}

/// Reads, validates and grades an inspection and the action plan it refers to.
pub fn inspection(path: &Path) -> Result<Inspection, Vec<Diagnostic>> {
    inspection_read(path, &read_source(path)?)
}

/// [`inspection()`] for a questionnaire already read: `source` is the text of `path`.
pub fn inspection_read(path: &Path, source: &Source) -> Result<Inspection, Vec<Diagnostic>> {
    let graded = inspection::questionnaire(Catalog::embedded(), source, &fonts::can_show)?;
    let plan = match plan_path(path, &graded.0) {
        Some(plan_path) => Some(read_source(&plan_path).map_err(|problems| {
            problems
                .into_iter()
                .map(|d| match d.line {
                    0 => d.hint("sökvägen i action_plan.file räknas från frågeformulärets katalog"),
                    _ => d,
                })
                .collect::<Vec<_>>()
        })?),
        None => None,
    };
    inspection::assess(Catalog::embedded(), graded, plan.as_ref(), &fonts::can_show)
}
