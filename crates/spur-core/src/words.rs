//! Numbers, dates and times as Swedish text writes them, shared by the diagnostics
//! ("… och 44 980 okända nycklar till"), the report, the yearly summary and the pages.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, Timelike, Utc, Weekday};

/// The space in long numbers: it never breaks.
pub const NBSP: char = '\u{a0}';

/// A count as Swedish writes it: digits grouped by three from 10 000 on ("12 480").
pub fn number(n: usize) -> String {
    let digits = n.to_string();
    if digits.len() < 5 {
        return digits;
    }
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(NBSP);
        }
        out.push(c);
    }
    out
}

const MONTHS: [&str; 12] = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
];

/// A date as Swedish prose: "12 februari 2025".
pub fn swedish_date(date: NaiveDate) -> String {
    format!(
        "{} {} {}",
        date.day(),
        MONTHS[date.month0() as usize],
        date.year()
    )
}

/// The last Sunday of `month` in `year`, at 01:00 UTC: when summer time begins
/// (March) and ends (October) across the EU.
fn switch(year: i32, month: u32) -> Option<NaiveDateTime> {
    let first_of_next = NaiveDate::from_ymd_opt(year, month + 1, 1)?;
    let last = first_of_next.pred_opt()?;
    let back = last.weekday().num_days_from_sunday();
    let sunday = last - Duration::days(i64::from(back));
    debug_assert_eq!(sunday.weekday(), Weekday::Sun);
    sunday.and_hms_opt(1, 0, 0)
}

/// `at` as the time in Sweden (Europe/Stockholm): UTC+1, and UTC+2 in summer time, by
/// the EU's rule, so that no time-zone database is needed.
pub fn in_sweden(at: DateTime<Utc>) -> NaiveDateTime {
    let utc = at.naive_utc();
    let summer = match (switch(utc.year(), 3), switch(utc.year(), 10)) {
        (Some(begins), Some(ends)) => utc >= begins && utc < ends,
        _ => false,
    };
    utc + Duration::hours(if summer { 2 } else { 1 })
}

/// A moment as a Swedish page writes it, in Swedish time: "7 december 2026 kl. 21.01".
pub fn moment(at: DateTime<Utc>) -> String {
    let local = in_sweden(at);
    format!(
        "{} kl. {}.{:02}",
        swedish_date(local.date()),
        local.hour(),
        local.minute()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn a_moment_is_swedish_time_in_winter_and_in_summer() {
        assert_eq!(
            moment(utc("2026-12-07T20:01:27.750Z")),
            "7 december 2026 kl. 21.01"
        );
        assert_eq!(moment(utc("2026-07-01T08:05:00Z")), "1 juli 2026 kl. 10.05");
        // Summer time begins at 01:00 UTC on the last Sunday of March (29 March 2026)
        // and ends at 01:00 UTC on the last Sunday of October (25 October 2026).
        assert_eq!(moment(utc("2026-03-29T00:59:00Z")), "29 mars 2026 kl. 1.59");
        assert_eq!(moment(utc("2026-03-29T01:00:00Z")), "29 mars 2026 kl. 3.00");
        assert_eq!(
            moment(utc("2026-10-25T00:59:00Z")),
            "25 oktober 2026 kl. 2.59"
        );
        assert_eq!(
            moment(utc("2026-10-25T01:00:00Z")),
            "25 oktober 2026 kl. 2.00"
        );
        assert_eq!(
            moment(utc("2026-12-31T23:30:00Z")),
            "1 januari 2027 kl. 0.30"
        );
    }
}
