//! The cycle's e-mails (SPEC §8.7), as pure functions: who is told what, and when a
//! reminder is due. The service writes what these give to its outbox.
//!
//! Every e-mail is plain Swedish text with the unit's name and what is asked. Links are
//! not known here: a letter is typed parts, the text before the link, which link
//! ([`Place`]) and the text after it, and the sender joins them with the address. No
//! placeholder is ever looked for in a text, which may hold what someone typed.

use chrono::NaiveDate;

use crate::workflow::{PlanStatus, Stage, State};

/// Which link a letter carries, made or known only by the sender.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// The unit's link, made when the e-mail is sent.
    Unit,
    /// A link that sets an account's password, made when the e-mail is sent.
    Password,
    /// The inspection's address in spur, for an inspector.
    Inspection,
}

impl Place {
    /// What the inspectors' copy of a letter shows in the link's place: the link itself
    /// is only in the e-mail.
    pub fn shown(self) -> &'static str {
        match self {
            Place::Unit | Place::Password => "[länken, som bara står i själva e-postbrevet]",
            Place::Inspection => "[granskningens adress i spur]",
        }
    }
}

/// How many days before one of the unit's dates it is reminded.
pub const DAYS_BEFORE: i64 = 14;

/// What the unit is asked to do now that it is its turn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Turn {
    /// Read the preliminary report and comment on it by `due`.
    FactCheck,
    /// Fill in and submit the action plan.
    Plan,
    /// Mend the plan's items the inspectors did not accept, for these reasons
    /// (indicator, reason).
    Returned(Vec<(String, String)>),
    /// Change the plan the inspectors gave back without a review, for a reason.
    GivenBack(String),
    /// Report how the accepted actions go, by their follow-up dates.
    FollowUp,
    /// Tell more about the action for an indicator, for a reason.
    MoreAsked(String, String),
    /// Nothing more: the inspection is closed, every action confirmed (`true`) or none
    /// required. Not a turn to act, but the unit is told.
    Closed(bool),
}

/// What the unit submitted, which its inspectors are told of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Submission {
    /// Its fact-check of the preliminary report.
    FactCheck,
    /// Its action plan.
    Plan,
    /// A report on the action for an indicator: done, or still going on.
    Report {
        /// The indicator.
        indicator: String,
        /// Whether the unit reports the action done.
        done: bool,
    },
}

/// Whether a reminder comes before a date or after it passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// [`DAYS_BEFORE`] days or fewer before.
    Before,
    /// The date has passed.
    Passed,
}

impl When {
    /// Its name in an event's key.
    pub fn key(self) -> &'static str {
        match self {
            When::Before => "before",
            When::Passed => "passed",
        }
    }
}

/// One of the unit's dates that is still to be met.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Due {
    /// The calendar's key of the date: `fact-check`, `plan-due`, `deadline-B3` …
    pub key: String,
    /// The day.
    pub date: NaiveDate,
    /// What is due, as the end of "… senast {date}": "skicka in handlingsplanen".
    pub what: String,
}

/// One e-mail's text, in typed parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Letter {
    /// The subject line.
    pub subject: String,
    /// The plain text before the link, or all of it.
    pub before: String,
    /// The link, if any, and the text after it.
    pub link: Option<(Place, String)>,
}

impl Letter {
    /// The whole text, with `address` in the link's place.
    pub fn text(&self, address: &str) -> String {
        match &self.link {
            Some((_, after)) => format!("{}{address}{after}", self.before),
            None => self.before.clone(),
        }
    }

    /// Which link it carries.
    pub fn place(&self) -> Option<Place> {
        self.link.as_ref().map(|(place, _)| *place)
    }
}

/// A letter of `before`, the link at `place` and `after`.
fn linked(subject: String, before: String, place: Place, after: String) -> Letter {
    Letter {
        subject,
        before,
        link: Some((place, after)),
    }
}

/// The unit's turn that a change from `old` to `new` begins, if any.
pub fn turn(old: &State, new: &State) -> Option<Turn> {
    let entered = |stage: Stage| new.stage == stage && old.stage != stage;
    if entered(Stage::FactCheck) {
        Some(Turn::FactCheck)
    } else if entered(Stage::Plan) {
        Some(Turn::Plan)
    } else if entered(Stage::FollowUp) {
        Some(Turn::FollowUp)
    } else if entered(Stage::Closed) {
        Some(Turn::Closed(old.stage == Stage::FollowUp))
    } else {
        None
    }
    .or_else(|| {
        (new.stage == Stage::Plan
            && new.plan == PlanStatus::Returned
            && old.plan != PlanStatus::Returned)
            .then(|| Turn::Returned(Vec::new()))
    })
}

/// The reminders due on `today` for the unit's `dues`: before a date from
/// [`DAYS_BEFORE`] days ahead until the day before it, and after it from the next
/// day for as many days. A day the service was down is made up for on the next; the
/// outbox sends each reminder once. No reminder comes before a date when the unit was
/// `told` of its task (the e-mail at its turn) within those days: it would only repeat
/// that e-mail, as for a fact-check of fourteen days.
pub fn reminders(today: NaiveDate, dues: &[Due], told: Option<NaiveDate>) -> Vec<(When, &Due)> {
    dues.iter()
        .filter_map(|due| {
            let days = (due.date - today).num_days();
            let told_lately = told.is_some_and(|t| (due.date - t).num_days() <= DAYS_BEFORE);
            match days {
                1..=DAYS_BEFORE if !told_lately => Some((When::Before, due)),
                d if d < 0 && -d <= DAYS_BEFORE => Some((When::Passed, due)),
                _ => None,
            }
        })
        .collect()
}

/// Who an e-mail is to, by name, and the inspectors who sign it (SPEC §8.13).
#[derive(Debug, Clone, Copy)]
pub struct Addressed<'a> {
    /// The name the e-mail greets.
    pub to: &'a str,
    /// The inspectors' names.
    pub from: &'a [String],
}

impl Addressed<'_> {
    /// "Hej Eva Ek,", and a blank line.
    fn greeting(&self) -> String {
        if self.to.trim().is_empty() {
            "Hej,\n\n".into()
        } else {
            format!("Hej {},\n\n", self.to)
        }
    }

    /// The inspectors' signature.
    fn signature(&self) -> String {
        let names = match self.from {
            [] => String::new(),
            [one] => format!("{one}\n"),
            [rest @ .., last] => format!("{} och {last}\n", rest.join(", ")),
        };
        format!("Vänliga hälsningar\n{names}Granskare för ST-SPUR, LIPUS\n")
    }
}

/// "senast 1 mars 2026", or nothing when there is no date.
fn by(due: Option<NaiveDate>) -> String {
    due.map(|d| format!(" senast {}", spur_core::words::swedish_date(d)))
        .unwrap_or_default()
}

/// The e-mail to a contact of `unit` at its turn; `due` is the date it is asked by.
/// It says first what is asked and by when, then gives the link.
pub fn to_unit(unit: &str, turn: &Turn, due: Option<NaiveDate>, to: &Addressed) -> Letter {
    let by = by(due);
    let (subject, ask) = match turn {
        Turn::FactCheck => (
            format!("Preliminär rapport att faktagranska: {unit}"),
            format!(
                "Granskarna har skickat den preliminära rapporten från ST-SPUR-granskningen till er för faktagranskning. Läs den och lämna synpunkter på sakfel, eller svara ”Inga synpunkter”,{by}."
            ),
        ),
        Turn::Plan => (
            format!("Handlingsplan att fylla i: {unit}"),
            format!(
                "Rapporten från ST-SPUR-granskningen är fastställd. Fyll i handlingsplanen för de brister som rapporten tar upp och skicka in den{by}."
            ),
        ),
        Turn::Returned(reasons) => {
            let mut ask = String::from(
                "Granskarna har gått igenom er handlingsplan och lämnat tillbaka den. Rätta de åtgärder som inte godkändes och skicka in planen igen.",
            );
            if !reasons.is_empty() {
                ask.push_str("\n\nDet som inte godkändes:");
                for (indicator, reason) in reasons {
                    ask.push_str(&format!("\n- {indicator}: {reason}"));
                }
            }
            (format!("Handlingsplanen åter till er: {unit}"), ask)
        }
        Turn::GivenBack(reason) => (
            format!("Handlingsplanen öppen för ändringar igen: {unit}"),
            format!(
                "Granskarna har lämnat tillbaka er handlingsplan så att ni kan ändra den. Skicka in den igen{by}.\n\nGranskarnas skäl: {reason}"
            ),
        ),
        Turn::FollowUp => (
            format!("Handlingsplanen godkänd, uppföljning: {unit}"),
            "Granskarna har godkänt er handlingsplan. Rapportera vad som har gjorts för varje åtgärd senast dess uppföljningsdatum.".to_string(),
        ),
        Turn::Closed(confirmed) => (
            format!("Granskningen är avslutad: {unit}"),
            format!(
                "{} Ni behöver inte göra något mer. Rapporten finns kvar att läsa på enhetens sidor.",
                if *confirmed {
                    "Granskarna har bekräftat varje åtgärd i er handlingsplan, och granskningen är därmed avslutad."
                } else {
                    "Rapporten är fastställd och kräver inga åtgärder, så granskningen är avslutad."
                }
            ),
        ),
        Turn::MoreAsked(indicator, reason) => (
            format!("Granskarna ber om mer om {indicator}: {unit}"),
            format!(
                "Granskarna ber er berätta mer om åtgärden för {indicator} innan de kan bekräfta den.\n\nGranskarnas skäl: {reason}"
            ),
        ),
    };
    unit_letter(unit, subject, &ask, to)
}

/// A letter to a contact: greeting, what is asked, the link, the signature.
fn unit_letter(unit: &str, subject: String, ask: &str, to: &Addressed) -> Letter {
    linked(
        subject,
        format!(
            "{}{ask}\n\nEnhetens sidor för {unit} i spur:\n",
            to.greeting()
        ),
        Place::Unit,
        format!(
            "\n\nLänken är personlig för enheten: dela den bara med dem som arbetar med granskningen.\n\n{}",
            to.signature()
        ),
    )
}

/// The e-mail to the unit's contacts about one of its dates.
pub fn reminder_to_unit(unit: &str, when: When, due: &Due, to: &Addressed) -> Letter {
    let day = spur_core::words::swedish_date(due.date);
    let (subject, text) = match when {
        When::Before => (
            format!("Påminnelse: {} senast {day}: {unit}", due.what),
            format!("En påminnelse: {} senast {day}.", due.what),
        ),
        When::Passed => (
            format!("Datumet har passerat: {} senast {day}: {unit}", due.what),
            format!(
                "Datumet {day} har passerat och granskarna har inte fått det som skulle vara klart: {}. Gör det så snart ni kan, eller kontakta granskarna.",
                due.what
            ),
        ),
    };
    unit_letter(unit, subject, &text, to)
}

/// The e-mail to the inspectors when the unit submitted something.
pub fn submitted(unit: &str, what: &Submission, to: &Addressed) -> Letter {
    let (subject, text) = match what {
        Submission::FactCheck => (
            format!("{unit} har faktagranskat rapporten"),
            "Enheten har skickat in sina synpunkter på den preliminära rapporten. Svara på varje synpunkt innan rapporten fastställs.".to_string(),
        ),
        Submission::Plan => (
            format!("{unit} har skickat in sin handlingsplan"),
            "Enheten har skickat in sin handlingsplan. Godkänn eller lämna tillbaka varje åtgärd.".to_string(),
        ),
        Submission::Report {
            indicator,
            done: true,
        } => (
            format!("{unit}: {indicator} genomförd"),
            format!(
                "Enheten rapporterar att åtgärden för {indicator} är genomförd. Bekräfta den eller be om mer."
            ),
        ),
        Submission::Report {
            indicator,
            done: false,
        } => (
            format!("{unit}: {indicator} pågår"),
            format!(
                "Enheten rapporterar att arbetet med åtgärden för {indicator} pågår. Ni behöver inte göra något nu; be om mer om det behövs."
            ),
        ),
    };
    inspectors_letter(subject, &text, to)
}

/// The e-mail to an inspector added to an inspection by `by`.
pub fn member_added(unit: &str, by: &str, to: &Addressed) -> Letter {
    inspectors_letter(
        format!("Du är medgranskare: {unit}"),
        &format!(
            "{by} har lagt till dig som granskare för ST-SPUR-granskningen av {unit}. Du kan nu läsa och skriva i frågeformuläret och följa granskningen."
        ),
        to,
    )
}

/// The e-mail to the inspectors the day after a date of the unit's passed unmet.
pub fn passed_to_inspectors(unit: &str, due: &Due, to: &Addressed) -> Letter {
    let day = spur_core::words::swedish_date(due.date);
    inspectors_letter(
        format!("Datumet har passerat: {unit}, {day}"),
        &format!(
            "{unit}: {} senast {day}. Datumet har passerat utan att det är gjort. Enheten har fått en påminnelse.",
            due.what
        ),
        to,
    )
}

fn inspectors_letter(subject: String, text: &str, to: &Addressed) -> Letter {
    linked(
        subject,
        format!("{}{text}\n\nGranskningen i spur:\n", to.greeting()),
        Place::Inspection,
        "\n\nspur\n".into(),
    )
}

/// A span of `hours` as Swedish reads it: "en timme", "72 timmar".
pub fn hours(hours: i64) -> String {
    if hours == 1 {
        "en timme".into()
    } else {
        format!("{hours} timmar")
    }
}

/// The e-mail with a link that sets an account's password, valid `hours`.
pub fn password_link(name: &str, hours: i64) -> Letter {
    let hours = self::hours(hours);
    linked(
        "Välj lösenord till spur".into(),
        format!(
            "Hej {name},\n\nVälj ditt lösenord till spur med länken nedan. Den gäller i {hours} och kan användas en gång:\n"
        ),
        Place::Password,
        "\n\nOm du inte bett om det här kan du bortse från brevet; ditt lösenord är oförändrat.\n\nspur\n".into(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().expect("a date")
    }

    fn due(key: &str, date: &str) -> Due {
        Due {
            key: key.into(),
            date: day(date),
            what: "skicka in handlingsplanen".into(),
        }
    }

    #[test]
    fn reminders_fall_in_the_fourteen_days_before_and_after() {
        let dues = [due("plan-due", "2026-03-01")];
        let on = |today: &str| {
            reminders(day(today), &dues, Some(day("2026-01-01")))
                .into_iter()
                .map(|(w, _)| w)
                .collect::<Vec<_>>()
        };
        assert_eq!(on("2026-02-14"), vec![]);
        assert_eq!(on("2026-02-15"), vec![When::Before]);
        assert_eq!(on("2026-02-28"), vec![When::Before]);
        assert_eq!(on("2026-03-01"), vec![]);
        assert_eq!(on("2026-03-02"), vec![When::Passed]);
        assert_eq!(on("2026-03-15"), vec![When::Passed]);
        assert_eq!(on("2026-03-16"), vec![]);
        // Told of the task within the fourteen days: no reminder before, one after.
        let told = |on: &str| reminders(day("2026-02-20"), &dues, Some(day(on))).len();
        assert_eq!(told("2026-02-14"), 1);
        assert_eq!(told("2026-02-15"), 0);
        assert_eq!(
            reminders(day("2026-03-02"), &dues, Some(day("2026-02-20"))).len(),
            1
        );
    }

    #[test]
    fn the_units_turn_begins_where_the_stage_or_a_return_says() {
        let at = |stage: Stage, plan: PlanStatus| State {
            stage,
            plan,
            ..State::new()
        };
        let draft = at(Stage::Draft, PlanStatus::Open);
        let fact = at(Stage::FactCheck, PlanStatus::Open);
        let plan = at(Stage::Plan, PlanStatus::Open);
        let submitted = at(Stage::Plan, PlanStatus::Submitted);
        let returned = at(Stage::Plan, PlanStatus::Returned);
        let follow = at(Stage::FollowUp, PlanStatus::Accepted);
        assert_eq!(turn(&draft, &fact), Some(Turn::FactCheck));
        assert_eq!(turn(&fact, &plan), Some(Turn::Plan));
        assert_eq!(
            turn(&submitted, &returned),
            Some(Turn::Returned(Vec::new()))
        );
        assert_eq!(turn(&submitted, &follow), Some(Turn::FollowUp));
        assert_eq!(turn(&plan, &submitted), None);
        assert_eq!(turn(&returned, &returned), None);
        assert_eq!(
            turn(&follow, &at(Stage::Closed, PlanStatus::Accepted)),
            Some(Turn::Closed(true))
        );
        let established = at(Stage::Established, PlanStatus::Open);
        assert_eq!(
            turn(&established, &at(Stage::Closed, PlanStatus::Open)),
            Some(Turn::Closed(false))
        );
    }

    #[test]
    fn a_letter_greets_by_name_asks_then_links_and_is_signed_by_the_inspectors() {
        let reasons = vec![("B3".to_string(), "Ange vem som ansvarar.".to_string())];
        let anna = ["Anna Lindqvist".to_string(), "Per Ekström".to_string()];
        let eva = Addressed {
            to: "Eva Ek",
            from: &anna,
        };
        let letter = to_unit("Boo Vårdcentral", &Turn::Returned(reasons), None, &eva);
        assert!(letter.subject.contains("Boo Vårdcentral"));
        let (place, _) = letter.link.as_ref().expect("the link");
        assert_eq!(*place, Place::Unit);
        assert!(
            letter.before.contains("- B3: Ange vem som ansvarar."),
            "{letter:?}"
        );
        let ask = to_unit("Boo", &Turn::Plan, Some(day("2026-03-01")), &eva);
        let text = ask.text("https://spur.example.se/u/T");
        assert!(text.starts_with("Hej Eva Ek,\n\nRapporten"), "{text}");
        assert!(text.contains("senast 1 mars 2026"), "{text}");
        // What is asked comes before the link, and the inspectors sign.
        assert!(text.find("skicka in den").unwrap() < text.find("/u/T").unwrap());
        assert!(
            text.ends_with("Anna Lindqvist och Per Ekström\nGranskare för ST-SPUR, LIPUS\n"),
            "{text}"
        );
    }

    #[test]
    fn a_name_that_reads_like_a_links_place_stays_text() {
        let shown = Place::Unit.shown();
        let unit = format!("VC {shown} {} Syd", Place::Inspection.shown());
        let letter = to_unit(&unit, &Turn::Plan, None, &Addressed { to: "", from: &[] });
        let text = letter.text("https://spur.example.se/u/TOKEN");
        assert_eq!(text.matches("/u/TOKEN").count(), 1, "{text}");
        assert!(
            text.contains(&format!(
                "Enhetens sidor för {unit} i spur:\nhttps://spur.example.se/u/TOKEN\n"
            )),
            "{text}"
        );
    }
}
