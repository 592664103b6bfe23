-- The unit's contacts for one inspection, recorded by the inspectors (SPEC §8.7).
CREATE TABLE contacts (
    id INTEGER PRIMARY KEY,
    inspection_id INTEGER NOT NULL REFERENCES inspections(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    email TEXT NOT NULL,
    added_by TEXT NOT NULL,
    added TEXT NOT NULL,
    UNIQUE (inspection_id, email)
);
-- Every e-mail, written in the transaction of the event it tells of; the sender sends
-- from here. `event` names the event, so an event gives each recipient at most one
-- e-mail. `link` says which link the body carries: the unit's is made by the sender
-- when it first sends one of the event's e-mails (one link for all of them), a
-- password link is made with the event. A row is marked `sending` before it is handed to the SMTP server
-- and `sent` after; a row found `sending` at a start may have gone out, so it becomes
-- `uncertain` and is never sent again. `secret` holds a link's token until the row is
-- sent or given up, since links are otherwise stored only as hashes.
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    inspection_id INTEGER REFERENCES inspections(id) ON DELETE CASCADE,
    event TEXT NOT NULL,
    recipient TEXT NOT NULL,
    link TEXT NOT NULL CHECK (link IN ('none', 'unit', 'password')),
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    secret TEXT,
    state TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'uncertain', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_try TEXT NOT NULL,
    last_error TEXT,
    created TEXT NOT NULL,
    sent TEXT,
    UNIQUE (event, recipient)
);
CREATE INDEX outbox_due ON outbox (state, next_try);
CREATE INDEX outbox_inspection ON outbox (inspection_id, id);
