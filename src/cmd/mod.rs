//! The commands: each reads its files, calls the core and writes its output.

pub mod check;
pub mod followups;
pub mod grade;
pub mod init;
pub mod plan;
pub mod render;
pub mod schema;

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use spur::diagnostic::{self, Diagnostic};
use spur::output;

/// The help layout of every command, in Swedish.
pub const HELP: &str = "{about}\n\nAnvändning: {usage}\n\n{all-args}";

/// Why a command failed.
pub enum Failure {
    /// Problems in the user's files (exit 1).
    Invalid(Vec<Diagnostic>),
    /// Arguments that do not go together (exit 2), as a Swedish sentence.
    Usage(String),
}

impl From<Vec<Diagnostic>> for Failure {
    fn from(problems: Vec<Diagnostic>) -> Self {
        Failure::Invalid(problems)
    }
}

/// What a command returns.
pub type Outcome = Result<(), Failure>;

/// Prints the problems, if any, and turns the outcome into the exit status.
pub fn finish(outcome: Outcome) -> ExitCode {
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Invalid(problems)) => {
            eprint!("{}", diagnostic::render_all(&problems));
            ExitCode::from(1)
        }
        Err(Failure::Usage(message)) => usage(&message),
    }
}

/// Prints a command-line mistake and returns exit status 2.
fn usage(message: &str) -> ExitCode {
    eprintln!("fel: {message}\n\nKör «spur --help» för hjälp.");
    ExitCode::from(2)
}

/// Prints warnings without failing.
pub fn warn(warnings: &[Diagnostic]) {
    if !warnings.is_empty() {
        eprint!("{}", diagnostic::render_all(warnings));
    }
}

/// Writes `text` to `path`, or to standard output when there is no path.
pub fn emit(path: Option<&Path>, text: &str) -> Outcome {
    match path {
        Some(path) => Ok(output::write_atomic(path, text.as_bytes()).map_err(|d| vec![d])?),
        None => {
            // A closed pipe (e.g. `| head`) is not the user's input error.
            let _ = std::io::stdout().write_all(text.as_bytes());
            Ok(())
        }
    }
}

/// Words clap writes into every help text itself, with no setting to change them.
const CLAP_WORDS: [(&str, &str); 5] = [
    ("[OPTIONS]", "[FLAGGOR]"),
    ("Options:", "Flaggor:"),
    ("Possible values:", "Möjliga värden:"),
    ("[default: ", "[standard: "),
    ("[possible values: ", "[möjliga värden: "),
];

/// The help text with clap's own English words in Swedish.
fn swedish_help(help: &str) -> String {
    CLAP_WORDS
        .iter()
        .fold(help.to_string(), |text, (en, sv)| text.replace(en, sv))
}

/// Reports a command-line mistake in Swedish and exits with status 2; help and version
/// are printed as asked.
pub fn usage_error(error: clap::Error) -> ExitCode {
    use clap::error::{ContextKind, ErrorKind};
    if matches!(
        error.kind(),
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion
    ) {
        print!("{}", swedish_help(&error.render().to_string()));
        return ExitCode::SUCCESS;
    }
    let what = match error.kind() {
        ErrorKind::InvalidSubcommand => "okänt kommando",
        ErrorKind::UnknownArgument => "okänt argument",
        ErrorKind::MissingRequiredArgument => "obligatoriskt argument saknas",
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            "ange ett kommando"
        }
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => "ogiltigt värde",
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues => "fel antal värden",
        ErrorKind::ArgumentConflict => "argumenten kan inte kombineras",
        _ => "felaktig användning",
    };
    let mut detail: Vec<String> = Vec::new();
    for kind in [
        ContextKind::InvalidArg,
        ContextKind::InvalidSubcommand,
        ContextKind::InvalidValue,
    ] {
        if let Some(value) = error.get(kind) {
            detail.push(format!("«{value}»"));
        }
    }
    let detail = if detail.is_empty() {
        String::new()
    } else {
        format!(": {}", detail.join(" "))
    };
    usage(&format!("{what}{detail}"))
}
