//! The access log (SPEC §8.8): who read or changed what, and refused requests for an
//! inspection. Bounded: no field is kept longer than [`FIELD_CHARS`] characters, and
//! rows older than [`KEPT_DAYS`] days are pruned.

use rusqlite::{Connection, params};
use serde::Serialize;

use super::{Result, now};
use spur_core::typed::capped;

/// The most characters of a request's field the log keeps.
pub const FIELD_CHARS: usize = 200;
/// How long the log is kept.
pub const KEPT_DAYS: i64 = 400;

/// One line of the log.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    /// When, as stored (UTC).
    pub at: String,
    /// Who: an inspector's e-mail, "enheten", or what a refused request claimed.
    pub who: String,
    /// What was done or refused.
    pub action: String,
}

/// Records `who` doing `action`, each capped to [`FIELD_CHARS`].
pub fn record(c: &Connection, who: &str, action: &str, inspection: Option<i64>) -> Result<()> {
    c.execute(
        "INSERT INTO access_log (at, who, action, inspection_id) VALUES (?1, ?2, ?3, ?4)",
        params![
            now(),
            capped(who, FIELD_CHARS),
            capped(action, FIELD_CHARS),
            inspection
        ],
    )?;
    Ok(())
}

/// Removes what is older than [`KEPT_DAYS`]; returns how many rows went.
pub fn prune(c: &Connection) -> Result<usize> {
    let before = (chrono::Utc::now() - chrono::Duration::days(KEPT_DAYS))
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    Ok(c.execute("DELETE FROM access_log WHERE at < ?1", [before])?)
}

/// The latest 200 lines about an inspection, newest first.
pub fn of_inspection(c: &Connection, inspection: i64) -> Result<Vec<Entry>> {
    let mut stmt = c.prepare(
        "SELECT at, who, action FROM access_log WHERE inspection_id = ?1 ORDER BY id DESC LIMIT 200",
    )?;
    let rows = stmt.query_map([inspection], |r| {
        Ok(Entry {
            at: r.get(0)?,
            who: r.get(1)?,
            action: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_is_capped_and_what_is_older_than_the_kept_days_is_pruned() {
        let c = crate::db::in_memory();
        c.execute(
            "INSERT INTO inspections (id, created, stage) VALUES (1, '2025-01-01', 'draft')",
            [],
        )
        .unwrap();
        let long = "å".repeat(FIELD_CHARS * 3);
        record(&c, &long, &long, Some(1)).unwrap();
        let entries = of_inspection(&c, 1).unwrap();
        assert_eq!(entries[0].who.chars().count(), FIELD_CHARS);
        assert_eq!(entries[0].action.chars().count(), FIELD_CHARS);

        let at = |days: i64| {
            (chrono::Utc::now() - chrono::Duration::days(days))
                .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
        };
        for (days, what) in [(KEPT_DAYS + 1, "gammal"), (KEPT_DAYS - 1, "kvar")] {
            c.execute(
                "INSERT INTO access_log (at, who, action, inspection_id) VALUES (?1, 'x', ?2, 1)",
                params![at(days), what],
            )
            .unwrap();
        }
        assert_eq!(prune(&c).unwrap(), 1);
        let left: Vec<String> = of_inspection(&c, 1)
            .unwrap()
            .into_iter()
            .map(|e| e.action)
            .collect();
        assert!(left.contains(&"kvar".to_string()), "{left:?}");
        assert!(!left.contains(&"gammal".to_string()), "{left:?}");
    }
}
