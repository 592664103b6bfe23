//! The SPUR indicator catalog: areas A–H, their indicators and the grade scale.
//!
//! The catalog is data (`indicators/*.yaml`), embedded into the binary so that `spur`
//! runs from any directory. It is trusted input: a malformed catalog is a build
//! mistake, caught by the tests in this module.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::OnceLock;

use serde::{Deserialize, Deserializer, Serialize};

/// A regulation version that a unit's ST-läkare can follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Version {
    /// SOSFS 2015:8.
    #[serde(rename = "2015")]
    V2015,
    /// HSLF-FS 2021:8.
    #[serde(rename = "2021")]
    V2021,
}

impl Version {
    /// Every version, oldest first.
    pub const ALL: [Version; 2] = [Version::V2015, Version::V2021];

    /// The version written as a year, e.g. `2015`.
    pub fn from_year(year: i64) -> Option<Version> {
        match year {
            2015 => Some(Version::V2015),
            2021 => Some(Version::V2021),
            _ => None,
        }
    }

    /// The name of the regulation, as the report cites it.
    pub fn regulation(self) -> &'static str {
        match self {
            Version::V2015 => "SOSFS 2015:8",
            Version::V2021 => "HSLF-FS 2021:8",
        }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Version::V2015 => "2015",
            Version::V2021 => "2021",
        })
    }
}

impl<'de> Deserialize<'de> for Version {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // YAML writes map keys `2015:` as integers, `"2015":` as strings: accept both.
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Year {
            Int(i64),
            Text(String),
        }
        let year = match Year::deserialize(deserializer)? {
            Year::Int(n) => n,
            Year::Text(s) => s.parse().map_err(serde::de::Error::custom)?,
        };
        Version::from_year(year)
            .ok_or_else(|| serde::de::Error::custom(format!("okänd regelversion {year}")))
    }
}

/// How binding an indicator is under one regulation version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A binding föreskrift.
    Foreskrift,
    /// An allmänt råd: recommended, not binding.
    AllmannaRad,
    /// A quality indicator of the SPUR model.
    Kvalitetsindikator,
}

impl Kind {
    /// Every kind, in the order the report lists them.
    pub const ALL: [Kind; 3] = [
        Kind::Foreskrift,
        Kind::AllmannaRad,
        Kind::Kvalitetsindikator,
    ];

    /// The singular Swedish name, lower case, as used in explanations.
    pub fn noun(self) -> &'static str {
        match self {
            Kind::Foreskrift => "föreskrift",
            Kind::AllmannaRad => "allmänt råd",
            Kind::Kvalitetsindikator => "kvalitetsindikator",
        }
    }

    /// The heading the report gives a group of indicators of this kind.
    pub fn heading(self) -> &'static str {
        match self {
            Kind::Foreskrift => "Föreskrift",
            Kind::AllmannaRad => "Allmänna råd",
            Kind::Kvalitetsindikator => "Kvalitetsindikator",
        }
    }
}

/// A grade on the SPUR scale, A best.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
pub enum Grade {
    /// Everything followed, quality indicators met with at most an exception.
    A,
    /// Föreskrifter and allmänna råd followed.
    B,
    /// Föreskrifter followed, allmänna råd not fully.
    C,
    /// A föreskrift not followed.
    D,
    /// Serious deficiencies.
    E,
}

impl Grade {
    /// Every grade, best first.
    pub const ALL: [Grade; 5] = [Grade::A, Grade::B, Grade::C, Grade::D, Grade::E];

    /// Parses a grade letter.
    pub fn from_letter(s: &str) -> Option<Grade> {
        Grade::ALL.into_iter().find(|g| g.letter() == s)
    }

    /// The grade's letter.
    pub fn letter(self) -> &'static str {
        match self {
            Grade::A => "A",
            Grade::B => "B",
            Grade::C => "C",
            Grade::D => "D",
            Grade::E => "E",
        }
    }
}

impl fmt::Display for Grade {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.letter())
    }
}

/// Whether an area belongs to the unit's structure or its processes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
pub enum Group {
    /// Areas A–C.
    #[serde(rename = "STRUKTUR")]
    Struktur,
    /// Areas D–H.
    #[serde(rename = "PROCESS")]
    Process,
}

/// One indicator of the SPUR model.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    /// `<area letter><n>`, e.g. `E7`.
    pub id: String,
    /// The wording, from LIPUS's report.
    pub text: String,
    /// How the matter stands under the versions where the indicator does not apply;
    /// printed, in parentheses, only where such a version is graded.
    #[serde(default)]
    pub note: Option<String>,
    /// The kind under each version; an absent version means the indicator does not apply.
    pub kinds: BTreeMap<Version, Kind>,
}

impl Indicator {
    /// The kind under `version`, or `None` where the indicator does not apply.
    pub fn kind(&self, version: Version) -> Option<Kind> {
        self.kinds.get(&version).copied()
    }

    /// The indicator's kind under each version, in words: "föreskrift", or
    /// "föreskrift 2021, allmänt råd 2015", or "föreskrift, endast 2015".
    pub fn kinds_phrase(&self, versions: &[Version]) -> String {
        let kinds: Vec<_> = versions
            .iter()
            .filter_map(|v| self.kind(*v).map(|k| (*v, k)))
            .collect();
        match kinds.as_slice() {
            [] => String::new(),
            [(v, k)] if versions.len() > 1 => format!("{}, endast {v}", k.noun()),
            [(_, k)] => k.noun().to_string(),
            [(_, a), rest @ ..] if rest.iter().all(|(_, k)| k == a) => a.noun().to_string(),
            many => many
                .iter()
                .rev()
                .map(|(v, k)| format!("{} {v}", k.noun()))
                .collect::<Vec<_>>()
                .join(", "),
        }
    }

    /// Whether the indicator applies under at least one of `versions`.
    pub fn applies_under(&self, versions: &[Version]) -> bool {
        versions.iter().any(|v| self.kinds.contains_key(v))
    }
}

/// One area (A–H) of the SPUR model.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Area {
    /// The area's letter.
    pub id: char,
    /// STRUKTUR or PROCESS.
    pub group: Group,
    /// The area's title, e.g. "Teoretisk utbildning".
    pub title: String,
    /// The föreskrift quoted at the top of the area.
    pub regulation: String,
    /// The indicators, in the report's order.
    pub indicators: Vec<Indicator>,
}

impl Area {
    /// The indicators that apply under `version`, with their kind there.
    pub fn under(&self, version: Version) -> impl Iterator<Item = (&Indicator, Kind)> {
        self.indicators
            .iter()
            .filter_map(move |i| i.kind(version).map(|k| (i, k)))
    }

    /// Whether any allmänt råd applies under `version`; without one, the scale has no C.
    pub fn has_allmanna_rad(&self, version: Version) -> bool {
        self.under(version).any(|(_, k)| k == Kind::AllmannaRad)
    }

    /// The indicator with `id`, if it belongs to this area.
    pub fn indicator(&self, id: &str) -> Option<&Indicator> {
        self.indicators.iter().find(|i| i.id == id)
    }
}

/// The explanation of one grade on the scale.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct GradeText {
    /// The text for an area with allmänna råd.
    pub text: String,
    /// The text for an area without allmänna råd, where it differs.
    #[serde(default)]
    pub without_rad: Option<String>,
}

/// The grade scale with its texts.
pub type Scale = BTreeMap<Grade, GradeText>;

/// The whole catalog.
#[derive(Debug, Clone)]
pub struct Catalog {
    /// Areas A–H in order.
    pub areas: Vec<Area>,
    /// The grade texts.
    pub scale: Scale,
}

impl Catalog {
    /// The embedded catalog, parsed once per process.
    pub fn embedded() -> &'static Catalog {
        static CATALOG: OnceLock<Catalog> = OnceLock::new();
        CATALOG.get_or_init(|| {
            Catalog::parse(EMBEDDED_AREAS, EMBEDDED_SCALE)
                .unwrap_or_else(|e| panic!("den inbyggda indikatorkatalogen är felaktig: {e}"))
        })
    }

    /// Parses a catalog from area files and a scale file.
    pub fn parse(areas: &[&str], scale: &str) -> Result<Catalog, String> {
        let areas = areas
            .iter()
            .map(|text| serde_saphyr::from_str::<Area>(text).map_err(|e| e.to_string()))
            .collect::<Result<Vec<_>, _>>()?;
        let scale = serde_saphyr::from_str(scale).map_err(|e| e.to_string())?;
        Ok(Catalog { areas, scale })
    }

    /// The area with letter `id`.
    pub fn area(&self, id: char) -> Option<&Area> {
        self.areas.iter().find(|a| a.id == id)
    }

    /// The area an indicator id belongs to, judged by its letter.
    pub fn area_of(&self, indicator: &str) -> Option<&Area> {
        indicator.chars().next().and_then(|c| self.area(c))
    }

    /// The indicator with `id`, anywhere in the catalog.
    pub fn indicator(&self, id: &str) -> Option<&Indicator> {
        self.area_of(id).and_then(|a| a.indicator(id))
    }

    /// The scale text for `grade` in an area with or without allmänna råd.
    pub fn grade_text(&self, grade: Grade, has_rad: bool) -> &str {
        match self.scale.get(&grade) {
            Some(t) if !has_rad => t.without_rad.as_deref().unwrap_or(&t.text),
            Some(t) => &t.text,
            None => "",
        }
    }

    /// The grades an area's scale shows under a version (no C without allmänna råd).
    pub fn scale_for(&self, has_rad: bool) -> Vec<Grade> {
        Grade::ALL
            .into_iter()
            .filter(|&g| has_rad || g != Grade::C)
            .collect()
    }
}

const EMBEDDED_AREAS: &[&str] = &[
    include_str!("../../../indicators/A.yaml"),
    include_str!("../../../indicators/B.yaml"),
    include_str!("../../../indicators/C.yaml"),
    include_str!("../../../indicators/D.yaml"),
    include_str!("../../../indicators/E.yaml"),
    include_str!("../../../indicators/F.yaml"),
    include_str!("../../../indicators/G.yaml"),
    include_str!("../../../indicators/H.yaml"),
];
const EMBEDDED_SCALE: &str = include_str!("../../../indicators/scale.yaml");

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn kinds_of(area: &Area, version: Version) -> Vec<Option<Kind>> {
        area.indicators.iter().map(|i| i.kind(version)).collect()
    }

    #[test]
    fn areas_are_a_to_h_in_order_with_groups() {
        let catalog = Catalog::embedded();
        let ids: String = catalog.areas.iter().map(|a| a.id).collect();
        assert_eq!(ids, "ABCDEFGH");
        for area in &catalog.areas {
            let expected = if area.id <= 'C' {
                Group::Struktur
            } else {
                Group::Process
            };
            assert_eq!(area.group, expected, "område {}", area.id);
            assert!(!area.title.trim().is_empty());
            assert!(!area.regulation.trim().is_empty());
        }
    }

    #[test]
    fn ids_are_unique_numbered_and_apply_somewhere() {
        let catalog = Catalog::embedded();
        let mut seen = BTreeSet::new();
        for area in &catalog.areas {
            for (n, indicator) in area.indicators.iter().enumerate() {
                assert_eq!(indicator.id, format!("{}{}", area.id, n + 1));
                assert!(
                    seen.insert(indicator.id.clone()),
                    "{} två gånger",
                    indicator.id
                );
                assert!(
                    !indicator.kinds.is_empty(),
                    "{} gäller ingen version",
                    indicator.id
                );
                assert!(!indicator.text.trim().is_empty());
            }
        }
        assert_eq!(seen.len(), 75);
    }

    #[test]
    fn counts_and_kinds_follow_the_spec_table() {
        use Kind::{AllmannaRad as R, Foreskrift as F, Kvalitetsindikator as K};
        // SPEC §2, written out per version: (area, 2015 kinds, 2021 kinds).
        let n = None;
        type Row = (char, Vec<Option<Kind>>, Vec<Option<Kind>>);
        let table: [Row; 8] = [
            (
                'A',
                vec![Some(F), Some(F), Some(F), Some(K)],
                vec![Some(F), Some(F), Some(F), Some(K)],
            ),
            (
                'B',
                [[Some(F); 6].as_slice(), &[Some(R)], &[Some(K); 3]].concat(),
                [[Some(F); 6].as_slice(), &[Some(R)], &[Some(K); 3]].concat(),
            ),
            (
                'C',
                vec![Some(F), Some(F), Some(F), Some(K)],
                vec![Some(F), Some(F), Some(F), Some(K)],
            ),
            (
                'D',
                [[Some(F); 6].as_slice(), &[Some(R); 5], &[Some(K); 2]].concat(),
                [[Some(F); 6].as_slice(), &[Some(R); 5], &[Some(K); 2]].concat(),
            ),
            (
                'E',
                [
                    [Some(F); 5].as_slice(),
                    &[n, Some(R)],
                    &[Some(R); 5],
                    &[Some(K); 2],
                ]
                .concat(),
                [
                    [Some(F); 5].as_slice(),
                    &[Some(F), Some(F)],
                    &[Some(R); 5],
                    &[Some(K); 2],
                ]
                .concat(),
            ),
            (
                'F',
                vec![Some(F), Some(F), Some(R), Some(R), Some(R), Some(K)],
                vec![Some(F), Some(F), Some(R), Some(R), Some(R), Some(K)],
            ),
            (
                'G',
                [[Some(F); 6].as_slice(), &[Some(R)], &[Some(K); 3], &[n]].concat(),
                [
                    [Some(F); 4].as_slice(),
                    &[n, n],
                    &[Some(R)],
                    &[Some(K); 3],
                    &[Some(K)],
                ]
                .concat(),
            ),
            (
                'H',
                [[Some(F); 9].as_slice(), &[Some(R); 2], &[Some(K); 2]].concat(),
                [[Some(F); 9].as_slice(), &[Some(R); 2], &[Some(K); 2]].concat(),
            ),
        ];
        let catalog = Catalog::embedded();
        for (id, k2015, k2021) in table {
            let area = catalog.area(id).unwrap();
            assert_eq!(kinds_of(area, Version::V2015), k2015, "område {id}, 2015");
            assert_eq!(kinds_of(area, Version::V2021), k2021, "område {id}, 2021");
        }
    }

    #[test]
    fn scale_has_every_grade_and_c_only_with_rad() {
        let catalog = Catalog::embedded();
        for grade in Grade::ALL {
            assert!(!catalog.grade_text(grade, true).is_empty(), "{grade}");
        }
        assert!(catalog.grade_text(Grade::B, true).contains("allmänna råd"));
        assert!(!catalog.grade_text(Grade::B, false).contains("allmänna råd"));
        assert!(!catalog.grade_text(Grade::A, false).contains("allmänna råd"));
        assert_eq!(
            catalog.scale_for(false),
            vec![Grade::A, Grade::B, Grade::D, Grade::E]
        );
        assert_eq!(catalog.scale_for(true).len(), 5);
    }

    #[test]
    fn kinds_are_phrased_per_version() {
        let c = Catalog::embedded();
        let both = &Version::ALL;
        assert_eq!(c.indicator("D1").unwrap().kinds_phrase(both), "föreskrift");
        assert_eq!(
            c.indicator("E7").unwrap().kinds_phrase(both),
            "föreskrift 2021, allmänt råd 2015"
        );
        assert_eq!(
            c.indicator("G5").unwrap().kinds_phrase(both),
            "föreskrift, endast 2015"
        );
        assert_eq!(
            c.indicator("E7").unwrap().kinds_phrase(&[Version::V2021]),
            "föreskrift"
        );
    }

    #[test]
    fn areas_a_and_c_have_no_allmanna_rad() {
        let catalog = Catalog::embedded();
        for v in Version::ALL {
            assert!(!catalog.area('A').unwrap().has_allmanna_rad(v));
            assert!(!catalog.area('C').unwrap().has_allmanna_rad(v));
            assert!(catalog.area('D').unwrap().has_allmanna_rad(v));
        }
    }
}
