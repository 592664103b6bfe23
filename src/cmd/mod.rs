//! The commands: each reads its files, calls the core and writes its output.

pub mod backup;
pub mod check;
pub mod followups;
pub mod grade;
pub mod init;
pub mod interrupt;
pub mod plan;
pub mod render;
pub mod schema;
pub mod serve;
pub mod stats;
pub mod user;

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use spur_core::diagnostic::{self, Diagnostic};
use spur_core::output::{self, Outputs, Replace, WriteError};

/// The help layout of every command, in Swedish.
pub const HELP: &str = "{about}\n\nAnvändning: {usage}\n\n{all-args}";

/// Why a command failed.
pub enum Failure {
    /// Problems in the user's files (exit 1).
    Invalid(Vec<Diagnostic>),
    /// Arguments that do not go together, or an output the command refuses to write
    /// (exit 2), as a Swedish sentence.
    Usage(String),
    /// Standard output or standard error could not be written (exit 1; a reader that
    /// closed the pipe, as `| head` does, ends the command quietly).
    Stream(std::io::Error),
    /// A fault of spur itself, not of the user's files (exit 3), as a Swedish sentence.
    Internal(String),
}

impl From<Vec<Diagnostic>> for Failure {
    fn from(problems: Vec<Diagnostic>) -> Self {
        Failure::Invalid(problems)
    }
}

impl From<WriteError> for Failure {
    fn from(e: WriteError) -> Self {
        match e {
            WriteError::Refused(message) => Failure::Usage(message),
            WriteError::File(d) => Failure::Invalid(vec![d]),
        }
    }
}

impl From<spur_report::render::RenderError> for Failure {
    fn from(e: spur_report::render::RenderError) -> Self {
        Failure::Internal(e.to_string())
    }
}

impl From<spur_core::skeleton::TemplateError> for Failure {
    fn from(e: spur_core::skeleton::TemplateError) -> Self {
        Failure::Internal(e.to_string())
    }
}

impl From<serde_json::Error> for Failure {
    fn from(e: serde_json::Error) -> Self {
        Failure::Internal(format!("utdata kunde inte skrivas som JSON: {e}"))
    }
}

/// What a command returns.
pub type Outcome = Result<(), Failure>;

/// Prints the problems, if any, and turns the outcome into the exit status.
pub fn finish(outcome: Outcome) -> ExitCode {
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Invalid(problems)) => {
            let _ = eprint(&diagnostic::render_all(&problems));
            ExitCode::from(1)
        }
        Err(Failure::Usage(message)) => usage(&message),
        Err(Failure::Stream(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(Failure::Internal(what)) => {
            let _ = eprint(&format!(
                "internt fel i spur: {what}\n\nDetta är ett fel i spur, inte i dina filer. \
                 Rapportera det gärna till spurs utvecklare, med kommandot och filerna.\n"
            ));
            ExitCode::from(3)
        }
        Err(Failure::Stream(e)) => {
            let _ = eprint(&format!(
                "fel: utdata kunde inte skrivas: {}\n",
                output::io_reason(&e)
            ));
            ExitCode::from(1)
        }
    }
}

/// Prints a command-line mistake and returns exit status 2.
fn usage(message: &str) -> ExitCode {
    let _ = eprint(&format!("fel: {message}\n\nKör ”spur --help” för hjälp.\n"));
    ExitCode::from(2)
}

/// Writes `text` to standard output. Unlike `print!`, a closed or full output is an
/// error to report, not a panic.
pub fn print(text: &str) -> Outcome {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(Failure::Stream)
}

/// Writes `text` to standard error; see [`print`].
pub fn eprint(text: &str) -> Outcome {
    let mut err = std::io::stderr().lock();
    err.write_all(text.as_bytes())
        .and_then(|()| err.flush())
        .map_err(Failure::Stream)
}

/// Prints warnings without failing, unless they cannot be printed.
pub fn warn(warnings: &[Diagnostic]) -> Outcome {
    if warnings.is_empty() {
        return Ok(());
    }
    eprint(&diagnostic::render_all(warnings))
}

/// Writes `text` to `path`, or to standard output when there is no path. The file
/// is never one of `inputs`, and replaces an existing file only if `replace` allows.
pub fn emit(path: Option<&Path>, text: &str, inputs: &[&Path], replace: Replace) -> Outcome {
    let Some(path) = path else {
        return print(text);
    };
    let mut outputs = Outputs::new();
    for input in inputs {
        outputs.protect(input);
    }
    outputs.file(path, text.as_bytes(), replace)?;
    Ok(outputs.commit()?)
}

/// The replace policy of a command with a `--force` flag.
pub fn replace_if(force: bool) -> Replace {
    if force {
        Replace::Yes
    } else {
        Replace::OnlyWithForce
    }
}

/// Parses the command line with clap's help laid out in Swedish: one layout for every
/// command, positional arguments under "Argument" and flags under "Flaggor". Default
/// and possible values are named in each flag's own help text, since clap prints its
/// words for them in English.
pub fn command_line<T: clap::Parser>() -> Result<T, clap::Error> {
    let matches = swedish(T::command()).try_get_matches()?;
    T::from_arg_matches(&matches)
}

/// A command's help in Swedish, its subcommands' (`spur user add`) included.
fn swedish(command: clap::Command) -> clap::Command {
    command
        .help_template(HELP)
        .subcommand_help_heading("Kommandon")
        .subcommand_value_name("KOMMANDO")
        .mut_args(|arg| {
            let heading = if arg.is_positional() {
                "Argument"
            } else {
                "Flaggor"
            };
            let arg = arg.help_heading(heading);
            if arg.get_action().takes_values() {
                arg.hide_default_value(true).hide_possible_values(true)
            } else {
                arg
            }
        })
        .mut_subcommands(swedish)
}

/// Reports a command-line mistake in Swedish and exits with status 2; help and version
/// are printed as asked.
pub fn usage_error(error: clap::Error) -> ExitCode {
    use clap::error::{ContextKind, ErrorKind};
    if matches!(
        error.kind(),
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion
    ) {
        // "[OPTIONS]" in the usage line is the one English word clap has no setting for.
        let help = error.render().to_string().replace("[OPTIONS]", "[FLAGGOR]");
        return finish(print(&help));
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
            detail.push(format!("”{value}”"));
        }
    }
    let detail = if detail.is_empty() {
        String::new()
    } else {
        format!(": {}", detail.join(" "))
    };
    let suggestion = [ContextKind::SuggestedSubcommand, ContextKind::SuggestedArg]
        .into_iter()
        .find_map(|kind| match error.get(kind) {
            Some(clap::error::ContextValue::String(s)) => Some(s.clone()),
            Some(clap::error::ContextValue::Strings(s)) => s.first().cloned(),
            _ => None,
        })
        .map_or(String::new(), |s| format!("; menade du ”{s}”?"));
    usage(&format!("{what}{detail}{suggestion}"))
}
