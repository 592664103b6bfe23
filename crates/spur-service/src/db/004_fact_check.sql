-- The unit's fact-check of the preliminary report (SPEC §8.3): when it was sent and
-- is due, when the unit submitted it (with no comments: "Inga synpunkter"), and each
-- comment with its place in the report and the inspectors' answer.

CREATE TABLE fact_checks (
    inspection_id INTEGER PRIMARY KEY REFERENCES inspections(id) ON DELETE CASCADE,
    due TEXT NOT NULL,
    sent_by TEXT NOT NULL,
    sent TEXT NOT NULL,
    submitted TEXT
);

CREATE TABLE fact_check_comments (
    id INTEGER PRIMARY KEY,
    inspection_id INTEGER NOT NULL REFERENCES inspections(id) ON DELETE CASCADE,
    place TEXT NOT NULL
        CHECK (place IN ('summary', 'A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'other')),
    text TEXT NOT NULL CHECK (text != ''),
    written TEXT NOT NULL,
    answer TEXT CHECK (answer IN ('corrected', 'unchanged')),
    reason TEXT NOT NULL DEFAULT '',
    answered_by TEXT,
    answered TEXT,
    CHECK ((answer IS NULL) = (answered IS NULL)),
    CHECK (answer IS NOT 'unchanged' OR reason != '')
);
CREATE INDEX fact_check_comments_by_inspection ON fact_check_comments (inspection_id, id);
