-- The unit's plan held as typed data: each save keeps what was typed, field by field,
-- as JSON (`entries`); the plan file (`text`, YAML) is written only when the plan is
-- submitted, or came in a file. Saves made before keep their file and no entries.
CREATE TABLE plan_saves_new (
    id INTEGER PRIMARY KEY,
    inspection_id INTEGER NOT NULL REFERENCES inspections(id) ON DELETE CASCADE,
    text TEXT,
    entries TEXT,
    based_on INTEGER,
    kind TEXT NOT NULL CHECK (kind IN ('saved', 'submitted', 'refused')),
    saved_by TEXT NOT NULL,
    saved TEXT NOT NULL,
    CHECK (text IS NOT NULL OR entries IS NOT NULL),
    CHECK (kind != 'submitted' OR text IS NOT NULL)
);
INSERT INTO plan_saves_new (id, inspection_id, text, based_on, kind, saved_by, saved)
    SELECT id, inspection_id, text, based_on, kind, saved_by, saved FROM plan_saves;
DROP TABLE plan_saves;
ALTER TABLE plan_saves_new RENAME TO plan_saves;
CREATE INDEX plan_saves_by_inspection ON plan_saves (inspection_id, id);
