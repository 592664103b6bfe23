-- The workflow as typed states (src/workflow.rs): each stage and plan status is one
-- of the enum's names, checked here; a review names the plan version it decided on;
-- every change of stage is kept with who, when and why.

CREATE TABLE inspections_new (
    id INTEGER PRIMARY KEY,
    created_by INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
    created TEXT NOT NULL,
    stage TEXT NOT NULL DEFAULT 'draft'
        CHECK (stage IN ('draft', 'fact_check', 'established', 'plan', 'follow_up', 'closed')),
    plan_status TEXT NOT NULL DEFAULT 'open'
        CHECK (plan_status IN ('open', 'submitted', 'returned', 'accepted')),
    plan_version INTEGER,
    submitted_plan INTEGER,
    plan_received TEXT
);
INSERT INTO inspections_new (id, created_by, created, stage, plan_status, plan_version, submitted_plan, plan_received)
SELECT i.id, i.created_by, i.created,
       CASE
         WHEN i.plan_state = 'reviewed' THEN 'follow_up'
         WHEN EXISTS (SELECT 1 FROM plan_saves p WHERE p.inspection_id = i.id)
           OR EXISTS (SELECT 1 FROM links l WHERE l.inspection_id = i.id) THEN 'plan'
         ELSE 'draft'
       END,
       CASE
         WHEN i.plan_state = 'reviewed' THEN 'accepted'
         WHEN i.plan_state = 'submitted' THEN 'submitted'
         WHEN EXISTS (SELECT 1 FROM reviews r WHERE r.inspection_id = i.id AND r.accepted = 0) THEN 'returned'
         ELSE 'open'
       END,
       (SELECT max(p.id) FROM plan_saves p WHERE p.inspection_id = i.id AND p.kind != 'refused'),
       (SELECT max(p.id) FROM plan_saves p WHERE p.inspection_id = i.id AND p.kind = 'submitted'),
       i.plan_received
FROM inspections i;
DROP TABLE inspections;
ALTER TABLE inspections_new RENAME TO inspections;

CREATE TABLE plan_saves_new (
    id INTEGER PRIMARY KEY,
    inspection_id INTEGER NOT NULL REFERENCES inspections(id) ON DELETE CASCADE,
    text TEXT NOT NULL,
    based_on INTEGER,
    kind TEXT NOT NULL CHECK (kind IN ('saved', 'submitted', 'refused')),
    saved_by TEXT NOT NULL,
    saved TEXT NOT NULL
);
INSERT INTO plan_saves_new SELECT id, inspection_id, text, based_on, kind, saved_by, saved FROM plan_saves;
DROP TABLE plan_saves;
ALTER TABLE plan_saves_new RENAME TO plan_saves;
CREATE INDEX plan_saves_by_inspection ON plan_saves (inspection_id, id);

CREATE TABLE reviews_new (
    id INTEGER PRIMARY KEY,
    inspection_id INTEGER NOT NULL REFERENCES inspections(id) ON DELETE CASCADE,
    plan_save_id INTEGER REFERENCES plan_saves(id),
    indicator TEXT NOT NULL,
    verdict TEXT NOT NULL CHECK (verdict IN ('accept', 'reject')),
    reason TEXT NOT NULL,
    reviewed_by TEXT NOT NULL,
    saved TEXT NOT NULL
);
INSERT INTO reviews_new (id, inspection_id, plan_save_id, indicator, verdict, reason, reviewed_by, saved)
SELECT id, inspection_id, NULL, indicator, CASE WHEN accepted THEN 'accept' ELSE 'reject' END, reason, reviewed_by, saved FROM reviews;
DROP TABLE reviews;
ALTER TABLE reviews_new RENAME TO reviews;
CREATE INDEX reviews_by_inspection ON reviews (inspection_id, indicator, id);

CREATE TABLE stage_changes (
    id INTEGER PRIMARY KEY,
    inspection_id INTEGER NOT NULL REFERENCES inspections(id) ON DELETE CASCADE,
    stage TEXT NOT NULL
        CHECK (stage IN ('draft', 'fact_check', 'established', 'plan', 'follow_up', 'closed')),
    plan_status TEXT NOT NULL
        CHECK (plan_status IN ('open', 'submitted', 'returned', 'accepted')),
    reason TEXT NOT NULL DEFAULT '',
    changed_by TEXT NOT NULL,
    changed TEXT NOT NULL
);

CREATE INDEX questionnaires_by_inspection ON questionnaires (inspection_id, id);
CREATE INDEX links_by_inspection ON links (inspection_id, id);
CREATE INDEX access_log_by_time ON access_log (at);
CREATE INDEX access_log_by_inspection ON access_log (inspection_id, id);
CREATE INDEX login_failures_by_email ON login_failures (email, at);
CREATE INDEX members_by_account ON members (account_id);
