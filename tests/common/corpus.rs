//! A seeded generator of realistic, valid questionnaires from the real catalog: units
//! of several specialties and organisations, inspected over a decade, some again after
//! five years, with surveys, overrides and action plans (on time, late, missing,
//! incomplete, with rejected entries). Shared by the tests, the benchmark and
//! `examples/corpus.rs`.
//!
//! The generator decides each area's grade first and then writes answers that give
//! it, and records what it decided. Tests count their expected figures from that
//! record, not from spur's grading: the two meet only in the files.

#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

use chrono::{Datelike, Days, Months, NaiveDate};
use spur_core::catalog::{Area, Catalog, Kind, Version};

/// SplitMix64: small, fast and the same on every machine.
pub struct Rng(u64);

impl Rng {
    /// A generator started from `seed`.
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// A number in `lo..=hi`.
    pub fn between(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }

    /// One of `items`.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// A grade letter.
pub type Letter = char;

/// What the generator decided for one area under one version.
#[derive(Debug, Clone, PartialEq)]
pub struct Intended {
    /// The grade before the plan: the override's, else the one the answers give.
    pub base: Letter,
    /// The grade after the plan.
    pub final_: Letter,
    /// Unmet föreskrifter under the version: what the plan must cover.
    pub required: BTreeSet<String>,
}

/// A plan as generated.
#[derive(Debug, Clone)]
pub struct GenPlan {
    /// The plan's file, relative to the corpus directory.
    pub file: String,
    /// When it came in.
    pub received: NaiveDate,
    /// Its entries: indicator and deadline.
    pub items: Vec<(String, NaiveDate)>,
    /// Entries the inspectors rejected.
    pub rejected: Vec<String>,
}

/// A survey as generated: answered, asked (if given), interviewed (if given), by role key.
#[derive(Debug, Clone, Default)]
pub struct GenSurvey {
    /// Answers per role.
    pub answered: BTreeMap<&'static str, u32>,
    /// People asked per role, where given.
    pub asked: Option<BTreeMap<&'static str, u32>>,
    /// People met per role, where given.
    pub interviewed: Option<BTreeMap<&'static str, u32>>,
}

/// One generated inspection, as the generator meant it.
#[derive(Debug, Clone)]
pub struct Generated {
    /// The questionnaire's file, relative to the corpus directory.
    pub file: String,
    /// The unit's name.
    pub unit: String,
    /// Its organisation.
    pub organisation: String,
    /// Its specialty.
    pub specialty: String,
    /// The day of the inspection.
    pub date: NaiveDate,
    /// The versions graded, as years.
    pub versions: Vec<u16>,
    /// Every answer written, by indicator.
    pub answers: BTreeMap<String, &'static str>,
    /// Per area letter, per version year: the grades meant.
    pub grades: BTreeMap<char, BTreeMap<u16, Intended>>,
    /// When the plan is due.
    pub plan_due: Option<NaiveDate>,
    /// The plan, once it came in.
    pub plan: Option<GenPlan>,
    /// The survey, if any.
    pub survey: Option<GenSurvey>,
}

/// A file made invalid on purpose, and what `spur stats` should say of it.
#[derive(Debug, Clone)]
pub struct Broken {
    /// The file, relative to the corpus directory.
    pub file: String,
    /// Words the first problem contains.
    pub problem: String,
    /// Its line, where the test knows it; 0 for the file as a whole.
    pub line: Option<usize>,
}

/// A generated corpus.
#[derive(Debug, Default)]
pub struct Corpus {
    /// The valid inspections.
    pub inspections: Vec<Generated>,
    /// The invalid files.
    pub broken: Vec<Broken>,
    /// The text of every file, by path relative to the corpus directory.
    pub files: BTreeMap<String, Vec<u8>>,
}

impl Corpus {
    /// Writes every file under `dir`.
    pub fn write(&self, dir: &Path) -> std::io::Result<()> {
        for (name, bytes) in &self.files {
            let path = dir.join(name);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(path, bytes)?;
        }
        Ok(())
    }
}

const REGIONS: &[&str] = &[
    "Region Stockholm",
    "Region Skåne",
    "Västra Götalandsregionen",
    "Region Uppsala",
    "Region Östergötland",
    "Region Jönköpings län",
    "Region Kronoberg",
    "Region Kalmar län",
    "Region Blekinge",
    "Region Halland",
    "Region Värmland",
    "Region Örebro län",
    "Region Västmanland",
    "Region Dalarna",
    "Region Gävleborg",
    "Region Västernorrland",
    "Region Jämtland Härjedalen",
    "Region Västerbotten",
    "Region Norrbotten",
    "Region Sörmland",
    "Region Gotland",
    "Capio Närsjukvård",
    "Praktikertjänst",
];

const PLACES: &[&str] = &[
    "Boo",
    "Orminge",
    "Nacka",
    "Lidingö",
    "Solna",
    "Sundbyberg",
    "Täby",
    "Vallentuna",
    "Märsta",
    "Södertälje",
    "Huddinge",
    "Haninge",
    "Tyresö",
    "Farsta",
    "Skärholmen",
    "Rinkeby",
    "Lund",
    "Malmö",
    "Ystad",
    "Trelleborg",
    "Landskrona",
    "Helsingborg",
    "Kristianstad",
    "Hässleholm",
    "Ängelholm",
    "Göteborg",
    "Mölndal",
    "Kungälv",
    "Borås",
    "Uddevalla",
    "Trollhättan",
    "Skövde",
    "Lidköping",
    "Uppsala",
    "Enköping",
    "Östhammar",
    "Linköping",
    "Norrköping",
    "Motala",
    "Finspång",
    "Jönköping",
    "Värnamo",
    "Eksjö",
    "Växjö",
    "Ljungby",
    "Kalmar",
    "Västervik",
    "Oskarshamn",
    "Karlskrona",
    "Karlshamn",
    "Halmstad",
    "Varberg",
    "Falkenberg",
    "Kungsbacka",
    "Karlstad",
    "Arvika",
    "Torsby",
    "Örebro",
    "Karlskoga",
    "Lindesberg",
    "Västerås",
    "Köping",
    "Sala",
    "Falun",
    "Borlänge",
    "Mora",
    "Gävle",
    "Hudiksvall",
    "Bollnäs",
    "Sundsvall",
    "Härnösand",
    "Örnsköldsvik",
    "Östersund",
    "Umeå",
    "Skellefteå",
    "Lycksele",
    "Luleå",
    "Piteå",
    "Kiruna",
    "Gällivare",
    "Eskilstuna",
    "Nyköping",
    "Katrineholm",
    "Visby",
    "Norrtälje",
    "Åre",
    "Älmhult",
];

/// Kinds of unit: a name pattern (`{}` is the place) and the specialty.
const UNIT_KINDS: &[(&str, &str)] = &[
    ("Vårdcentralen {}", "Allmänmedicin"),
    ("{} vårdcentral", "Allmänmedicin"),
    ("Hälsocentralen {}", "Allmänmedicin"),
    ("Medicinkliniken, Sjukhuset i {}", "Internmedicin"),
    ("Kirurgkliniken, Sjukhuset i {}", "Kirurgi"),
    ("Ortopedkliniken, Sjukhuset i {}", "Ortopedi"),
    ("Psykiatriska kliniken {}", "Vuxenpsykiatri"),
    (
        "Barn- och ungdomskliniken, Sjukhuset i {}",
        "Barn- och ungdomsmedicin",
    ),
    ("Kvinnokliniken, Sjukhuset i {}", "Obstetrik och gynekologi"),
    ("Akutkliniken, Sjukhuset i {}", "Akutsjukvård"),
    (
        "Anestesi- och intensivvårdskliniken, Sjukhuset i {}",
        "Anestesi och intensivvård",
    ),
    ("Geriatriska kliniken {}", "Geriatrik"),
    ("Röntgenkliniken, Sjukhuset i {}", "Radiologi"),
    (
        "Öron-, näs- och halskliniken, Sjukhuset i {}",
        "Öron-, näs- och halssjukdomar",
    ),
    ("Ögonkliniken, Sjukhuset i {}", "Ögonsjukdomar"),
    ("Infektionskliniken, Sjukhuset i {}", "Infektionssjukdomar"),
];

const FIRST_NAMES: &[&str] = &[
    "Anna", "Per", "Maria", "Erik", "Karin", "Lars", "Eva", "Johan", "Sara", "Mikael", "Lena",
    "Anders", "Helena", "Jonas", "Ingrid", "Björn", "Åsa", "Göran", "Elin", "Oskar",
];
const LAST_NAMES: &[&str] = &[
    "Lindqvist",
    "Ekström",
    "Holmgren",
    "Sandberg",
    "Nilsson",
    "Berg",
    "Åberg",
    "Söderlund",
    "Karlsson",
    "Wikström",
    "Lundgren",
    "Östlund",
    "Hedlund",
    "Björk",
    "Forsberg",
    "Nyström",
];

const FINDINGS: &[&str] = &[
    "ST-läkarna beskriver ett gott utbildningsklimat och god tillgänglighet till handledare och bakjour.",
    "Verksamheten har skriftliga rutiner, men de är inte kända av alla handledare.",
    "Handledningen är schemalagd varannan vecka och prioriteras av verksamhetsledningen.",
    "Studierektor har avsatt tid för uppdraget och deltar i verksamhetens ledningsgrupp.",
    "Det individuella utbildningsprogrammet revideras vid årliga genomgångar men används sällan i den löpande handledningen.",
    "Kompetensbedömningar görs med mini-CEX och DOPS, men inte strukturerat för alla delmål.",
    "Internutbildning hålls varje vecka och ST-läkarna deltar i planeringen.",
    "Sidotjänstgöringarna är planerade i förväg men följs inte upp på ett systematiskt sätt.",
    "Tid för självstudier finns inlagd i schemat, fyra timmar per månad.",
    "Specialistkollegium genomförs en gång per år för varje ST-läkare.",
    "Lokalerna är ändamålsenliga och ST-läkarna har egna arbetsplatser.",
    "Det saknas en skriftlig uppdragsbeskrivning för studierektorn.",
    "ST-läkarna får handledning i ledarskap genom regionens kurs och handleds i vardagen av bakjouren.",
    "Kvalitetsarbetet handleds av en disputerad specialist och redovisas på verksamhetens läkarmöte.",
];

const COMMENTS: &[&str] = &[
    "Uppgiften bekräftas inte av ST-läkarna vid intervjun.",
    "Rutinen finns men följs inte i praktiken.",
    "Gäller inte samtliga ST-läkare; flera saknar detta.",
    "Dokumentation saknas.",
    "Framkom vid intervju med handledarna att detta inte prioriteras.",
];

const STRENGTHS: &[&str] = &[
    "Engagerade handledare med god tillgänglighet.",
    "Stor ST-grupp som stöttar varandra.",
    "Välfungerande internutbildning.",
    "Specialistkollegium genomförs regelbundet.",
    "Studierektor med avsatt tid och tydligt mandat.",
];
const WEAKNESSES: &[&str] = &[
    "IUP används inte i den löpande handledningen.",
    "Kompetensbedömningar görs inte strukturerat.",
    "Sidotjänstgöringar följs inte upp.",
    "Handledning är inte schemalagd.",
];
const IMPROVEMENTS: &[&str] = &[
    "Använd IUP som återkommande moment i handledningen.",
    "Inför en rutin för strukturerade bedömningar av alla delmål.",
    "Schemalägg handledningen.",
    "Följ upp sidotjänstgöringarna systematiskt.",
];

/// YAML's double-quoted form of `s` (the texts here need no escapes but quotes).
fn quoted(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// A file-name form of `s`: ASCII letters and digits, words joined by `-`.
fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars().flat_map(char::to_lowercase) {
        let c = match c {
            'å' | 'ä' => 'a',
            'ö' => 'o',
            'é' => 'e',
            c if c.is_ascii_alphanumeric() => c,
            _ => '-',
        };
        if c != '-' || !out.ends_with('-') {
            out.push(c);
        }
    }
    out.trim_matches('-').to_string()
}

fn version(year: u16) -> Version {
    if year == 2015 {
        Version::V2015
    } else {
        Version::V2021
    }
}

/// The indicators of `area` that apply under every one of `versions` with one and the
/// same kind: answers to them decide a grade alike under every version.
fn stable(area: &Area, versions: &[u16], kind: Kind) -> Vec<String> {
    area.indicators
        .iter()
        .filter(|i| versions.iter().all(|&v| i.kind(version(v)) == Some(kind)))
        .map(|i| i.id.clone())
        .collect()
}

/// Indicators that are a föreskrift under some of `versions` but not under all.
fn split_foreskrift(area: &Area, versions: &[u16]) -> Vec<String> {
    area.indicators
        .iter()
        .filter(|i| {
            let kinds: Vec<Option<Kind>> = versions.iter().map(|&v| i.kind(version(v))).collect();
            kinds.contains(&Some(Kind::Foreskrift))
                && kinds.iter().any(|k| *k != Some(Kind::Foreskrift))
        })
        .map(|i| i.id.clone())
        .collect()
}

/// One step up after an accepted plan (SPEC §4), in an area whose scale does or does
/// not have C.
fn step_up(grade: Letter, has_c: bool) -> Letter {
    match grade {
        'E' => 'D',
        'D' if has_c => 'C',
        g => g,
    }
}

/// A unit and its inspections' dates.
struct Unit {
    name: String,
    organisation: String,
    specialty: String,
    dates: Vec<NaiveDate>,
    /// 0 good, 1 poor: how the unit fares at its first inspection; it does better at
    /// the next, as units do once they have had a plan to work to.
    quality: f64,
}

/// Generates `n` valid inspections, from `seed`, dated between 2015-01-01 and `end`
/// (exclusive), plus `broken` invalid files.
pub fn generate(seed: u64, n: usize, broken: usize, end: NaiveDate) -> Corpus {
    let catalog = Catalog::embedded();
    let mut rng = Rng::new(seed);
    let start = NaiveDate::from_ymd_opt(2015, 1, 1).unwrap_or_default();
    let span = (end - start).num_days().max(1) as u64;
    let mut units: Vec<Unit> = Vec::new();
    let mut names: BTreeSet<(String, String)> = BTreeSet::new();
    let mut total = 0;
    while total < n {
        let (pattern, specialty) = *rng.pick(UNIT_KINDS);
        let place = *rng.pick(PLACES);
        let name = pattern.replace("{}", place);
        let organisation = rng.pick(REGIONS).to_string();
        if !names.insert((name.clone(), organisation.clone())) {
            continue;
        }
        let first = start + Days::new(rng.between(0, span - 1));
        let mut dates = vec![first];
        // Inspections recur about every five years: some units have had their next.
        while dates.len() < n - total && rng.chance(0.8) {
            let last = dates[dates.len() - 1];
            let next = last + Months::new(57) + Days::new(rng.between(0, 180));
            if next >= end {
                break;
            }
            dates.push(next);
        }
        total += dates.len();
        units.push(Unit {
            name,
            organisation,
            specialty: specialty.to_string(),
            dates,
            quality: rng.between(0, 100) as f64 / 100.0,
        });
    }
    let mut corpus = Corpus::default();
    for unit in &units {
        for (visit, &date) in unit.dates.iter().enumerate() {
            let quality = unit.quality * 0.6f64.powi(visit as i32);
            let generated = inspection(
                &mut rng,
                catalog,
                unit,
                date,
                quality,
                end,
                &mut corpus.files,
            );
            corpus.inspections.push(generated);
        }
    }
    for k in 0..broken {
        let victim = corpus.inspections[rng.below(corpus.inspections.len())].clone();
        corpus.broken.push(breakage(k, &victim, &mut corpus.files));
    }
    corpus
}

/// Makes the `k`th invalid file from a copy of a valid one.
fn breakage(k: usize, from: &Generated, files: &mut BTreeMap<String, Vec<u8>>) -> Broken {
    let text = String::from_utf8(files[&from.file].clone()).unwrap_or_default();
    let file = format!("trasiga/{k:03}-{}", from.file.replace('/', "-"));
    let (bytes, problem, line) = match k % 5 {
        0 => {
            // Drops the answer to the area's first indicator.
            let at = text.find("      A1:").unwrap_or(0);
            let end = at + text[at..].find('\n').unwrap_or(0) + 1;
            let cut = format!("{}{}", &text[..at], &text[end..]);
            (cut.into_bytes(), "svar saknas för A1".to_string(), None)
        }
        1 => {
            let at = text.find("unit:").unwrap_or(0);
            let line = text[..at].lines().count() + 1;
            let bad = text.replacen("unit:", "unitt:", 1);
            (bad.into_bytes(), "unitt".to_string(), Some(line))
        }
        2 => {
            let at = text.find("      B1: ").unwrap_or(0);
            let line = text[..at].lines().count() + 1;
            let end = at + text[at..].find('\n').unwrap_or(0);
            let bad = format!("{}      B1: ja{}", &text[..at], &text[end..]);
            (bad.into_bytes(), "ja".to_string(), Some(line))
        }
        3 => {
            let mut bytes = text.into_bytes();
            bytes.splice(0..0, [0xff, 0xfe]);
            (bytes, "inte UTF-8".to_string(), Some(0))
        }
        _ => (Vec::new(), "filen är tom".to_string(), Some(0)),
    };
    files.insert(file.clone(), bytes);
    Broken {
        file,
        problem,
        line,
    }
}

/// The versions graded at an inspection on `date`: 2015 alone before HSLF-FS 2021:8
/// came into force, both for some years, 2021 alone more and more after.
fn versions(rng: &mut Rng, date: NaiveDate) -> Vec<u16> {
    match date.year() {
        ..=2021 if date < NaiveDate::from_ymd_opt(2021, 7, 1).unwrap_or_default() => vec![2015],
        ..=2023 => {
            if rng.chance(0.75) {
                vec![2015, 2021]
            } else {
                vec![2021]
            }
        }
        _ => {
            if rng.chance(0.4) {
                vec![2015, 2021]
            } else {
                vec![2021]
            }
        }
    }
}

/// A grade drawn for an area of a unit of quality `q` (0 good, 1 poor).
fn draw(rng: &mut Rng, q: f64) -> Letter {
    let x = rng.between(0, 999) as f64 / 1000.0;
    let weights = [0.30 - 0.2 * q, 0.30, 0.18, 0.05 + 0.12 * q, 0.01 + 0.03 * q];
    let total: f64 = weights.iter().sum();
    let mut acc = 0.0;
    for (w, g) in weights.iter().zip(['A', 'B', 'C', 'D', 'E']) {
        acc += w / total;
        if x < acc {
            return g;
        }
    }
    'E'
}

/// An answer that is not met: `no` or `partly`.
fn unmet(rng: &mut Rng) -> &'static str {
    if rng.chance(0.5) { "no" } else { "partly" }
}

/// Writes the answers for one area so that it gets `grade` under every version, and
/// returns the grade per version with the required items.
fn answer_area(
    rng: &mut Rng,
    area: &Area,
    versions: &[u16],
    grade: Letter,
    answers: &mut BTreeMap<String, &'static str>,
    serious: &mut BTreeSet<String>,
) -> Letter {
    let applicable: Vec<&str> = area
        .indicators
        .iter()
        .filter(|i| versions.iter().any(|&v| i.kind(version(v)).is_some()))
        .map(|i| i.id.as_str())
        .collect();
    for id in &applicable {
        answers.insert(id.to_string(), "yes");
    }
    let f = stable(area, versions, Kind::Foreskrift);
    let r = stable(area, versions, Kind::AllmannaRad);
    let k = stable(area, versions, Kind::Kvalitetsindikator);
    let k_all: Vec<String> = area
        .indicators
        .iter()
        .filter(|i| {
            versions
                .iter()
                .any(|&v| i.kind(version(v)) == Some(Kind::Kvalitetsindikator))
        })
        .map(|i| i.id.clone())
        .collect();
    let grade = if grade == 'C' && r.is_empty() {
        'B'
    } else {
        grade
    };
    // Some indicators that do not decide the grade are left unassessed: one
    // föreskrift of several, or an allmänt råd.
    let not_assessed =
        |rng: &mut Rng, pool: &[String], answers: &mut BTreeMap<String, &'static str>| {
            if pool.len() > 2 && rng.chance(0.15) {
                let id = rng.pick(pool).clone();
                answers.insert(id, "not_assessed");
            }
        };
    // Unmet quality indicators that still leave grade C, D or E as it is.
    let some_k_unmet = |rng: &mut Rng, answers: &mut BTreeMap<String, &'static str>| {
        for id in &k_all {
            if rng.chance(0.3) {
                let a = unmet(rng);
                answers.insert(id.clone(), a);
            }
        }
    };
    match grade {
        'A' => {
            not_assessed(rng, &f, answers);
            // One unmet quality indicator is an "enstaka undantag" where at least three
            // are assessed under every version.
            let enough = versions.iter().all(|&v| {
                area.under(version(v))
                    .filter(|(_, kind)| *kind == Kind::Kvalitetsindikator)
                    .count()
                    >= 3
            });
            if enough && !k.is_empty() && rng.chance(0.3) {
                let id = rng.pick(&k).clone();
                let a = unmet(rng);
                answers.insert(id, a);
            }
        }
        'B' => {
            not_assessed(rng, &f, answers);
            if rng.chance(0.15) || k.is_empty() {
                for id in &k_all {
                    answers.insert(id.clone(), "not_assessed");
                }
            } else {
                let wanted = k.len().min(2);
                let mut chosen: BTreeSet<String> = BTreeSet::new();
                while chosen.len() < wanted {
                    chosen.insert(rng.pick(&k).clone());
                }
                for id in chosen {
                    let a = unmet(rng);
                    answers.insert(id, a);
                }
            }
        }
        'C' => {
            not_assessed(rng, &f, answers);
            let id = rng.pick(&r).clone();
            let a = unmet(rng);
            answers.insert(id, a);
            if r.len() > 1 && rng.chance(0.3) {
                let other = rng.pick(&r).clone();
                let a = unmet(rng);
                answers.insert(other, a);
            }
            some_k_unmet(rng, answers);
        }
        _ => {
            let id = rng.pick(&f).clone();
            let a = if grade == 'E' { "no" } else { unmet(rng) };
            answers.insert(id.clone(), a);
            if grade == 'E' {
                serious.insert(id);
            }
            // A föreskrift under some versions only, unmet too: the plan must
            // cover it, for those versions.
            let split = split_foreskrift(area, versions);
            if !split.is_empty() && rng.chance(0.3) {
                let id = rng.pick(&split).clone();
                let a = unmet(rng);
                answers.insert(id, a);
            }
            if !r.is_empty() && rng.chance(0.4) {
                let id = rng.pick(&r).clone();
                let a = unmet(rng);
                answers.insert(id, a);
            }
            some_k_unmet(rng, answers);
        }
    }
    grade
}

/// The unmet föreskrifter of `area` under `year`, from the answers.
fn required(area: &Area, year: u16, answers: &BTreeMap<String, &'static str>) -> BTreeSet<String> {
    area.under(version(year))
        .filter(|(i, kind)| {
            *kind == Kind::Foreskrift
                && matches!(answers.get(&i.id).copied(), Some("no" | "partly"))
        })
        .map(|(i, _)| i.id.clone())
        .collect()
}

fn inspection(
    rng: &mut Rng,
    catalog: &Catalog,
    unit: &Unit,
    date: NaiveDate,
    quality: f64,
    end: NaiveDate,
    files: &mut BTreeMap<String, Vec<u8>>,
) -> Generated {
    let versions = versions(rng, date);
    let mut answers = BTreeMap::new();
    let mut serious = BTreeSet::new();
    let mut decided: BTreeMap<char, Letter> = BTreeMap::new();
    for area in &catalog.areas {
        let wanted = draw(rng, quality);
        let grade = answer_area(rng, area, &versions, wanted, &mut answers, &mut serious);
        decided.insert(area.id, grade);
    }
    // Overrides: now and then the inspectors set A, B or C where the answers give one
    // of them, for one version or all.
    let mut overrides: BTreeMap<char, BTreeMap<u16, (Letter, String)>> = BTreeMap::new();
    for area in &catalog.areas {
        let grade = decided[&area.id];
        if matches!(grade, 'A' | 'B' | 'C') && rng.chance(0.02) {
            for &v in &versions {
                if versions.len() > 1 && rng.chance(0.5) {
                    continue;
                }
                let has_c = area.has_allmanna_rad(version(v));
                let choices: Vec<Letter> = ['A', 'B', 'C']
                    .into_iter()
                    .filter(|g| *g != grade && (has_c || *g != 'C'))
                    .collect();
                let set = *rng.pick(&choices);
                overrides.entry(area.id).or_default().insert(
                    v,
                    (
                        set,
                        "Granskarnas samlade bedömning efter intervjuerna.".into(),
                    ),
                );
            }
        }
    }
    let any_required = catalog.areas.iter().any(|a| {
        versions
            .iter()
            .any(|&v| !required(a, v, &answers).is_empty())
    });
    let plan_due = if any_required || rng.chance(0.2) {
        rng.chance(0.9)
            .then(|| date + Days::new(rng.between(60, 100)))
    } else {
        None
    };
    let stem = format!(
        "{}/{}/{}-{}",
        date.year(),
        slug(&unit.organisation),
        slug(&unit.name),
        date
    );
    let file = format!("{stem}.yaml");
    // The plan: it comes in on time, late, or not (yet); it may lack an entry or have
    // one rejected.
    let mut plan = None;
    if any_required {
        let due = plan_due.unwrap_or(date + Days::new(90));
        let received = if rng.chance(0.7) {
            due - Days::new(rng.between(0, 40).min((due - date).num_days() as u64 - 1))
        } else {
            due + Days::new(rng.between(1, 90))
        };
        if received < end && rng.chance(0.92) {
            let mut items: Vec<String> = catalog
                .areas
                .iter()
                .flat_map(|a| {
                    let mut union = BTreeSet::new();
                    for &v in &versions {
                        union.extend(required(a, v, &answers));
                    }
                    union
                })
                .collect();
            if items.len() > 1 && rng.chance(0.08) {
                let drop = rng.below(items.len());
                items.remove(drop);
            }
            let rejected: Vec<String> = if rng.chance(0.06) {
                vec![rng.pick(&items).clone()]
            } else {
                Vec::new()
            };
            let items: Vec<(String, NaiveDate)> = items
                .into_iter()
                .map(|id| (id, date + Months::new(6) + Days::new(rng.between(0, 365))))
                .collect();
            plan = Some(GenPlan {
                file: format!("{stem}-handlingsplan.yaml"),
                received,
                items,
                rejected,
            });
        }
    }
    // The grades as meant: the override's or the decided, then one step up under a
    // version where the plan covers every required item, none rejected.
    let mut grades: BTreeMap<char, BTreeMap<u16, Intended>> = BTreeMap::new();
    for area in &catalog.areas {
        for &v in &versions {
            let required = required(area, v, &answers);
            let base = overrides
                .get(&area.id)
                .and_then(|o| o.get(&v))
                .map_or(decided[&area.id], |(g, _)| *g);
            let covered = plan.as_ref().is_some_and(|p| {
                !required.is_empty()
                    && required
                        .iter()
                        .all(|id| p.items.iter().any(|(i, _)| i == id) && !p.rejected.contains(id))
            });
            let final_ = if covered {
                step_up(base, area.has_allmanna_rad(version(v)))
            } else {
                base
            };
            grades.entry(area.id).or_default().insert(
                v,
                Intended {
                    base,
                    final_,
                    required,
                },
            );
        }
    }
    let survey = rng.chance(0.8).then(|| survey(rng));
    let generated = Generated {
        file: file.clone(),
        unit: unit.name.clone(),
        organisation: unit.organisation.clone(),
        specialty: unit.specialty.clone(),
        date,
        versions: versions.clone(),
        answers,
        grades,
        plan_due,
        plan,
        survey,
    };
    files.insert(
        file,
        questionnaire_yaml(rng, catalog, &generated, &serious, &overrides).into_bytes(),
    );
    if let Some(plan) = &generated.plan {
        files.insert(
            plan.file.clone(),
            plan_yaml(rng, &generated, plan).into_bytes(),
        );
    }
    generated
}

fn survey(rng: &mut Rng) -> GenSurvey {
    let st = rng.between(1, 30) as u32;
    let hl = rng.between(1, 25) as u32;
    let sr = rng.between(1, 3) as u32;
    let asked: BTreeMap<&'static str, u32> = [
        ("st_lakare", st),
        ("handledare", hl),
        ("studierektorer", sr),
        ("verksamhetschef", 1),
    ]
    .into_iter()
    .collect();
    let mut answered: BTreeMap<&'static str, u32> = BTreeMap::new();
    for (role, n) in &asked {
        let silent = *role == "verksamhetschef" && rng.chance(0.3);
        let gave = if silent {
            0
        } else {
            n - rng.between(0, u64::from(*n) / 3) as u32
        };
        answered.insert(*role, gave);
    }
    let interviewed = rng.chance(0.85).then(|| {
        [
            ("st_lakare", rng.between(1, u64::from(st)) as u32),
            ("handledare", rng.between(1, u64::from(hl)) as u32),
            ("ledning", rng.between(1, 4) as u32),
        ]
        .into_iter()
        .collect()
    });
    GenSurvey {
        answered,
        asked: rng.chance(0.7).then_some(asked),
        interviewed,
    }
}

fn counts(map: &BTreeMap<&'static str, u32>) -> String {
    let items: Vec<String> = map.iter().map(|(k, v)| format!("{k}: {v}")).collect();
    format!("{{{}}}", items.join(", "))
}

fn name(rng: &mut Rng) -> String {
    format!("{} {}", rng.pick(FIRST_NAMES), rng.pick(LAST_NAMES))
}

fn questionnaire_yaml(
    rng: &mut Rng,
    catalog: &Catalog,
    g: &Generated,
    serious: &BTreeSet<String>,
    overrides: &BTreeMap<char, BTreeMap<u16, (Letter, String)>>,
) -> String {
    let mut y = String::new();
    let _ = writeln!(
        y,
        "# Genererad granskning (fiktiv), för test och prestandamätning."
    );
    let _ = writeln!(y, "unit:");
    let _ = writeln!(y, "  name: {}", quoted(&g.unit));
    let _ = writeln!(y, "  organisation: {}", quoted(&g.organisation));
    let _ = writeln!(y, "  specialty: {}", quoted(&g.specialty));
    let _ = writeln!(y, "  description: |");
    let _ = writeln!(
        y,
        "    {} är en enhet inom {} med {} ST-läkare och {} specialister.",
        g.unit,
        g.organisation,
        rng.between(2, 30),
        rng.between(4, 60)
    );
    let _ = writeln!(y, "inspection:");
    let _ = writeln!(y, "  date: {}", g.date);
    let _ = writeln!(
        y,
        "  report_date: {}",
        g.date + Days::new(rng.between(14, 40))
    );
    let _ = writeln!(y, "  inspectors: [{}, {}]", name(rng), name(rng));
    let versions: Vec<String> = g.versions.iter().map(u16::to_string).collect();
    let _ = writeln!(y, "  regulations: [{}]", versions.join(", "));
    if let Some(due) = g.plan_due {
        let _ = writeln!(y, "  plan_due: {due}");
    }
    if let Some(s) = &g.survey {
        let _ = writeln!(y, "survey:");
        let _ = writeln!(y, "  answered: {}", counts(&s.answered));
        if let Some(asked) = &s.asked {
            let _ = writeln!(y, "  asked: {}", counts(asked));
        }
        if let Some(met) = &s.interviewed {
            let _ = writeln!(y, "  interviewed: {}", counts(met));
        }
    }
    let _ = writeln!(y, "summary:");
    for (key, pool) in [
        ("strengths", STRENGTHS),
        ("weaknesses", WEAKNESSES),
        ("improvements", IMPROVEMENTS),
    ] {
        let _ = writeln!(y, "  {key}:");
        for _ in 0..rng.between(1, 3) {
            let _ = writeln!(y, "    - {}", rng.pick(pool));
        }
    }
    let _ = writeln!(y, "areas:");
    for area in &catalog.areas {
        let _ = writeln!(y, "  {}:", area.id);
        let _ = writeln!(y, "    findings: |");
        for _ in 0..rng.between(1, 3) {
            let _ = writeln!(y, "      {}", rng.pick(FINDINGS));
        }
        let _ = writeln!(y, "    answers:");
        for indicator in &area.indicators {
            let Some(answer) = g.answers.get(&indicator.id) else {
                continue;
            };
            match *answer {
                "no" | "partly" => {
                    let flag = if serious.contains(&indicator.id) {
                        ", serious: true"
                    } else {
                        ""
                    };
                    let comment = *rng.pick::<&str>(COMMENTS);
                    let _ = writeln!(
                        y,
                        "      {}: {{answer: {answer}, comment: {}{flag}}}",
                        indicator.id,
                        quoted(comment)
                    );
                }
                _ => {
                    let _ = writeln!(y, "      {}: {answer}", indicator.id);
                }
            }
        }
        if let Some(set) = overrides.get(&area.id) {
            let _ = writeln!(y, "    override:");
            for (v, (grade, reason)) in set {
                let _ = writeln!(
                    y,
                    "      {v}: {{grade: {grade}, reason: {}}}",
                    quoted(reason)
                );
            }
        }
    }
    if let Some(plan) = &g.plan {
        let _ = writeln!(y, "action_plan:");
        let name = plan.file.rsplit('/').next().unwrap_or(&plan.file);
        let _ = writeln!(y, "  file: {name}");
        let _ = writeln!(y, "  received: {}", plan.received);
        if !plan.rejected.is_empty() {
            let _ = writeln!(y, "  rejected:");
            for id in &plan.rejected {
                let _ = writeln!(
                    y,
                    "    - {{indicator: {id}, reason: \"Åtgärden svarar inte mot bristen.\"}}"
                );
            }
        }
    }
    y
}

fn plan_yaml(rng: &mut Rng, g: &Generated, plan: &GenPlan) -> String {
    let mut y = String::new();
    let _ = writeln!(y, "# Handlingsplan (genererad, fiktiv).");
    let _ = writeln!(y, "unit: {}", quoted(&g.unit));
    let _ = writeln!(y, "inspection_date: {}", g.date);
    let _ = writeln!(y, "items:");
    for (id, deadline) in &plan.items {
        let _ = writeln!(y, "  - indicator: {id}");
        let _ = writeln!(y, "    action: |");
        let _ = writeln!(
            y,
            "      Rutinen ses över och förankras på läkarmötet. Studierektor följer upp med varje ST-läkare och handledare."
        );
        let _ = writeln!(y, "    deadline: {deadline}");
        let _ = writeln!(y, "    responsible: Verksamhetschef");
        let follow_up = *deadline + Days::new(rng.between(0, 180));
        let _ = writeln!(y, "    follow_up: {follow_up}");
        let _ = writeln!(y, "    follow_up_responsible: Studierektor");
    }
    y
}
