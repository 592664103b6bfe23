-- The report as established, and the final report after the plan (SPEC §8.3): the
-- PDF itself, its SHA-256, and the questionnaire version it was made from. Once an
-- inspection is established, the PDF served is the one stored here.

CREATE TABLE reports (
    id INTEGER PRIMARY KEY,
    inspection_id INTEGER NOT NULL REFERENCES inspections(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('established', 'final')),
    questionnaire_id INTEGER NOT NULL REFERENCES questionnaires(id),
    pdf BLOB NOT NULL,
    sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
    made_by TEXT NOT NULL,
    made TEXT NOT NULL
);
CREATE INDEX reports_by_inspection ON reports (inspection_id, id);
