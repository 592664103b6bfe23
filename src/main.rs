//! The `spur` command line: parses arguments and hands each command to its module.

mod cmd;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{ArgAction, Parser, Subcommand, ValueEnum};

/// Typst's layout allocates many small, short-lived objects; mimalloc serves them
/// faster than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Betygsätter ST-SPUR-granskningar och skriver LIPUS granskningsrapport som PDF.
#[derive(Parser)]
#[command(
    name = "spur",
    version,
    disable_help_flag = true,
    disable_version_flag = true,
    disable_help_subcommand = true,
    subcommand_help_heading = "Kommandon",
    subcommand_value_name = "KOMMANDO",
    help_template = "{about}\n\nAnvändning: {usage}\n\n{all-args}"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Visa hjälp
    #[arg(short = 'h', long, action = ArgAction::Help, global = true)]
    help: Option<bool>,
    /// Visa versionen
    #[arg(short = 'V', long, action = ArgAction::Version)]
    version: Option<bool>,
}

/// Output format for machine-readable commands.
#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    /// Läsbar text
    Text,
    /// JSON, för program
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Skriv ett tomt frågeformulär med alla områden och indikatorer
    #[command(help_template = cmd::HELP)]
    Init {
        /// Fil att skriva till (annars standard ut)
        #[arg(short, long, value_name = "FIL")]
        output: Option<PathBuf>,
    },
    /// Kontrollera ett frågeformulär och visa varje problem
    #[command(help_template = cmd::HELP)]
    Check {
        /// Frågeformuläret (YAML)
        #[arg(value_name = "FIL", help_heading = "Argument")]
        file: PathBuf,
    },
    /// Visa graderingen per område och regelverk, med motiveringar
    #[command(help_template = cmd::HELP)]
    Grade {
        /// Frågeformuläret (YAML)
        #[arg(value_name = "FIL", help_heading = "Argument")]
        file: PathBuf,
        /// Utdataformat
        #[arg(long, value_enum, default_value = "text", value_name = "FORMAT")]
        format: Format,
    },
    /// Skriv granskningsrapporten som PDF
    #[command(help_template = cmd::HELP)]
    Render(cmd::render::Args),
    /// Skriv en mall för enhetens handlingsplan, en post per brist
    #[command(help_template = cmd::HELP)]
    PlanTemplate {
        /// Frågeformuläret (YAML)
        #[arg(value_name = "FIL", help_heading = "Argument")]
        file: PathBuf,
        /// Fil att skriva till (annars standard ut)
        #[arg(short, long, value_name = "PLAN")]
        output: Option<PathBuf>,
    },
    /// Kontrollera en handlingsplan mot granskningen
    #[command(help_template = cmd::HELP)]
    PlanCheck {
        /// Handlingsplanen (YAML)
        #[arg(value_name = "PLAN", help_heading = "Argument")]
        plan: PathBuf,
        /// Granskningens frågeformulär
        #[arg(long, value_name = "FIL")]
        inspection: PathBuf,
    },
    /// Lista åtgärder med tidsgräns och ansvarig, försenade först
    #[command(help_template = cmd::HELP)]
    Followups {
        /// Frågeformulär med handlingsplaner
        #[arg(value_name = "FIL", required = true, help_heading = "Argument")]
        files: Vec<PathBuf>,
        /// Dagens datum, ÅÅÅÅ-MM-DD (annars systemets datum)
        #[arg(long, value_name = "DATUM")]
        today: Option<chrono::NaiveDate>,
        /// Utdataformat
        #[arg(long, value_enum, default_value = "text", value_name = "FORMAT")]
        format: Format,
    },
    /// Skriv frågeformulärets JSON Schema, för textredigerare
    #[command(help_template = cmd::HELP)]
    Schema,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return cmd::usage_error(e),
    };
    let result = match cli.command {
        Command::Init { output } => cmd::init::run(output.as_deref()),
        Command::Check { file } => cmd::check::run(&file),
        Command::Grade { file, format } => cmd::grade::run(&file, format),
        Command::Render(args) => cmd::render::run(&args),
        Command::PlanTemplate { file, output } => cmd::plan::template(&file, output.as_deref()),
        Command::PlanCheck { plan, inspection } => cmd::plan::check(&plan, &inspection),
        Command::Followups {
            files,
            today,
            format,
        } => cmd::followups::run(&files, today, format),
        Command::Schema => cmd::schema::run(),
    };
    cmd::finish(result)
}
