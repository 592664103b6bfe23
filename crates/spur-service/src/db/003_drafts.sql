-- The questionnaire edited in the browser (SPEC §8.4): each save says whether it was an
-- upload or a form, which version it was made from, and, for a form, the draft as
-- typed (JSON of src/draft.rs; also when the service dates the report as it is
-- established); a field two inspectors changed differently keeps the
-- later text here until a person chooses.

ALTER TABLE questionnaires ADD COLUMN kind TEXT NOT NULL DEFAULT 'upload'
    CHECK (kind IN ('upload', 'form', 'choice', 'dated'));
ALTER TABLE questionnaires ADD COLUMN based_on INTEGER REFERENCES questionnaires(id);
ALTER TABLE questionnaires ADD COLUMN draft TEXT
    CHECK ((kind = 'upload') = (draft IS NULL));

CREATE TABLE draft_conflicts (
    id INTEGER PRIMARY KEY,
    inspection_id INTEGER NOT NULL REFERENCES inspections(id) ON DELETE CASCADE,
    save_id INTEGER NOT NULL REFERENCES questionnaires(id),
    field TEXT NOT NULL,
    theirs TEXT NOT NULL,
    resolved_by TEXT,
    resolved TEXT,
    CHECK ((resolved_by IS NULL) = (resolved IS NULL))
);
CREATE INDEX draft_conflicts_open ON draft_conflicts (inspection_id) WHERE resolved IS NULL;
