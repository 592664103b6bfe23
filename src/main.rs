//! The `spur` command line: parses arguments and hands each command to its module.

mod cmd;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{ArgAction, Parser, Subcommand, ValueEnum};

/// mimalloc, not the system's allocator: Typst's layout and the YAML trees of `spur
/// stats` are many small, short-lived allocations (docs/figures.md).
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

/// The subcommands of `spur user`.
#[derive(Subcommand)]
enum UserCommand {
    /// Lägg till ett konto; lösenordet läses från standard in
    Add {
        /// Granskarens e-postadress (inloggningsnamnet)
        #[arg(value_name = "E-POST")]
        email: String,
        /// Granskarens namn
        #[arg(long, value_name = "NAMN")]
        name: String,
        /// Kontot blir administratör
        #[arg(long)]
        admin: bool,
        /// Databasfilen
        #[arg(long, value_name = "FIL", default_value = "spur.sqlite")]
        db: PathBuf,
    },
    /// Lista kontona
    List {
        /// Databasfilen
        #[arg(long, value_name = "FIL", default_value = "spur.sqlite")]
        db: PathBuf,
    },
    /// Ta bort ett konto
    Remove {
        /// Kontots e-postadress
        #[arg(value_name = "E-POST")]
        email: String,
        /// Databasfilen
        #[arg(long, value_name = "FIL", default_value = "spur.sqlite")]
        db: PathBuf,
    },
}

#[derive(Subcommand)]
enum Command {
    /// Skriv ett tomt frågeformulär med alla områden och indikatorer
    Init {
        /// Fil att skriva till (annars standard ut)
        #[arg(short, long, value_name = "FIL")]
        output: Option<PathBuf>,
        /// Ersätt filen om den redan finns
        #[arg(long)]
        force: bool,
    },
    /// Kontrollera ett frågeformulär och visa varje problem
    Check {
        /// Frågeformuläret (YAML)
        #[arg(value_name = "FIL")]
        file: PathBuf,
    },
    /// Visa graderingen per område och regelverk, med motiveringar
    Grade {
        /// Frågeformuläret (YAML)
        #[arg(value_name = "FIL")]
        file: PathBuf,
        /// Utdataformat: text (läsbar, standard) eller json (för program)
        #[arg(long, value_enum, default_value = "text", value_name = "FORMAT")]
        format: Format,
    },
    /// Skriv granskningsrapporten som PDF
    Render(cmd::render::Args),
    /// Skriv en mall för enhetens handlingsplan, en post per brist
    PlanTemplate {
        /// Frågeformuläret (YAML)
        #[arg(value_name = "FIL")]
        file: PathBuf,
        /// Fil att skriva till (annars standard ut)
        #[arg(short, long, value_name = "PLAN")]
        output: Option<PathBuf>,
        /// Ersätt filen om den redan finns
        #[arg(long)]
        force: bool,
    },
    /// Kontrollera en handlingsplan mot granskningen
    PlanCheck {
        /// Handlingsplanen (YAML)
        #[arg(value_name = "PLAN")]
        plan: PathBuf,
        /// Granskningens frågeformulär
        #[arg(long, value_name = "FIL")]
        inspection: PathBuf,
    },
    /// Lista åtgärder med tidsgräns och ansvarig, försenade först
    Followups {
        /// Frågeformulär med handlingsplaner
        #[arg(value_name = "FIL", required = true)]
        files: Vec<PathBuf>,
        /// Dagens datum, ÅÅÅÅ-MM-DD (annars systemets datum)
        #[arg(long, value_name = "DATUM")]
        today: Option<chrono::NaiveDate>,
        /// Utdataformat: text (läsbar, standard) eller json (för program)
        #[arg(long, value_enum, default_value = "text", value_name = "FORMAT")]
        format: Format,
    },
    /// Sammanställ många granskningar: gradering, brister, handlingsplaner, enkät, enheter på tur
    Stats(cmd::stats::Args),
    /// Starta webbtjänsten där enheten fyller i handlingsplanen och granskarna granskar den
    Serve {
        /// Databasfilen (SQLite); skapas vid första starten
        #[arg(long, value_name = "FIL")]
        db: Option<PathBuf>,
        /// Adress att lyssna på (standard 127.0.0.1:8080; bara den här datorn)
        #[arg(long, value_name = "VÄRD:PORT", default_value = "127.0.0.1:8080")]
        addr: std::net::SocketAddr,
        /// Starta med en tillfällig databas med exemplen och demokonton
        #[arg(long, conflicts_with = "db")]
        demo: bool,
        /// Adressen som länkar byggs av, t.ex. https://spur.example.se (standard: den tjänsten lyssnar på); med https märks kakorna Secure
        #[arg(long, value_name = "URL")]
        public_url: Option<String>,
        /// Skicka e-post via den här servern: smtp://VÄRD:PORT (STARTTLS om den erbjuds) eller smtps://VÄRD:PORT; användare och lösenord läses ur SPUR_SMTP_USER och SPUR_SMTP_PASSWORD
        #[arg(long, value_name = "URL", requires = "mail_from")]
        smtp: Option<String>,
        /// Avsändaradressen i e-posten, t.ex. "spur <spur@example.se>"
        #[arg(long, value_name = "ADRESS", requires = "smtp")]
        mail_from: Option<String>,
    },
    /// Hantera granskarnas konton i tjänstens databas
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Skriv en konsistent kopia av tjänstens databas, även medan tjänsten körs
    Backup {
        /// Databasfilen
        #[arg(long, value_name = "FIL", default_value = "spur.sqlite")]
        db: PathBuf,
        /// Kopian att skriva
        #[arg(short, long, value_name = "KOPIA")]
        output: PathBuf,
    },
    /// Skriv frågeformulärets JSON Schema, för textredigerare
    Schema {
        /// Fil att skriva till (annars standard ut), t.ex. spur-schema.json bredvid formuläret
        #[arg(short, long, value_name = "FIL")]
        output: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = match cmd::command_line::<Cli>() {
        Ok(cli) => cli,
        Err(e) => return cmd::usage_error(e),
    };
    // The service stops on signals itself, gracefully; every other command has its
    // temporary files removed.
    if !matches!(cli.command, Command::Serve { .. }) {
        cmd::interrupt::install();
    }
    let result = match cli.command {
        Command::Init { output, force } => cmd::init::run(output.as_deref(), force),
        Command::Check { file } => cmd::check::run(&file),
        Command::Grade { file, format } => cmd::grade::run(&file, format),
        Command::Render(args) => cmd::render::run(&args),
        Command::PlanTemplate {
            file,
            output,
            force,
        } => cmd::plan::template(&file, output.as_deref(), force),
        Command::PlanCheck { plan, inspection } => cmd::plan::check(&plan, &inspection),
        Command::Followups {
            files,
            today,
            format,
        } => cmd::followups::run(&files, today, format),
        Command::Stats(args) => cmd::stats::run(&args),
        Command::Schema { output } => cmd::schema::run(output.as_deref()),
        Command::Serve {
            db,
            addr,
            demo,
            public_url,
            smtp,
            mail_from,
        } => cmd::serve::run(&cmd::serve::Args {
            db: db.as_deref(),
            addr,
            public_url: public_url.as_deref(),
            smtp: smtp.zip(mail_from),
            demo,
        }),
        Command::User { command } => match command {
            UserCommand::Add {
                email,
                name,
                admin,
                db,
            } => cmd::user::add(&db, &email, &name, admin),
            UserCommand::List { db } => cmd::user::list(&db),
            UserCommand::Remove { email, db } => cmd::user::remove(&db, &email),
        },
        Command::Backup { db, output } => cmd::backup::run(&db, &output),
    };
    cmd::finish(result)
}
