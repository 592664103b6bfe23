-- The follow-up of an accepted plan (SPEC §5, §8.3): the unit's reports on each
-- action, and the inspectors' answers — a confirmation, or a request for more with
-- its reason. Exported as the plan's `reports` and the questionnaire's `confirmed`.

CREATE TABLE follow_up_reports (
    id INTEGER PRIMARY KEY,
    inspection_id INTEGER NOT NULL REFERENCES inspections(id) ON DELETE CASCADE,
    indicator TEXT NOT NULL,
    date TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('done', 'ongoing')),
    text TEXT NOT NULL CHECK (text != ''),
    written TEXT NOT NULL
);
CREATE INDEX follow_up_reports_by_inspection ON follow_up_reports (inspection_id, id);

CREATE TABLE follow_up_answers (
    id INTEGER PRIMARY KEY,
    inspection_id INTEGER NOT NULL REFERENCES inspections(id) ON DELETE CASCADE,
    indicator TEXT NOT NULL,
    verdict TEXT NOT NULL CHECK (verdict IN ('confirmed', 'more')),
    reason TEXT NOT NULL DEFAULT '',
    date TEXT NOT NULL,
    answered_by TEXT NOT NULL,
    answered TEXT NOT NULL,
    CHECK (verdict != 'more' OR reason != '')
);
CREATE INDEX follow_up_answers_by_inspection ON follow_up_answers (inspection_id, id);
