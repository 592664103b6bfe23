-- The first schema, as it shipped; 002 rebuilds it with typed states.
CREATE TABLE accounts (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    admin INTEGER NOT NULL DEFAULT 0,
    created TEXT NOT NULL
);
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    csrf TEXT NOT NULL,
    expires TEXT NOT NULL
);
CREATE TABLE setup_tokens (
    token_hash TEXT PRIMARY KEY,
    expires TEXT NOT NULL
);
CREATE TABLE login_failures (
    email TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE TABLE inspections (
    id INTEGER PRIMARY KEY,
    created_by INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
    created TEXT NOT NULL,
    plan_state TEXT NOT NULL DEFAULT 'open',
    plan_received TEXT
);
CREATE TABLE members (
    inspection_id INTEGER NOT NULL REFERENCES inspections(id) ON DELETE CASCADE,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    PRIMARY KEY (inspection_id, account_id)
);
CREATE TABLE questionnaires (
    id INTEGER PRIMARY KEY,
    inspection_id INTEGER NOT NULL REFERENCES inspections(id) ON DELETE CASCADE,
    text TEXT NOT NULL,
    saved_by TEXT NOT NULL,
    saved TEXT NOT NULL
);
CREATE TABLE plan_saves (
    id INTEGER PRIMARY KEY,
    inspection_id INTEGER NOT NULL REFERENCES inspections(id) ON DELETE CASCADE,
    text TEXT NOT NULL,
    based_on INTEGER,
    kind TEXT NOT NULL,
    saved_by TEXT NOT NULL,
    saved TEXT NOT NULL
);
CREATE TABLE links (
    id INTEGER PRIMARY KEY,
    inspection_id INTEGER NOT NULL REFERENCES inspections(id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    valid_until TEXT NOT NULL,
    revoked INTEGER NOT NULL DEFAULT 0,
    created TEXT NOT NULL
);
CREATE TABLE reviews (
    id INTEGER PRIMARY KEY,
    inspection_id INTEGER NOT NULL REFERENCES inspections(id) ON DELETE CASCADE,
    indicator TEXT NOT NULL,
    accepted INTEGER NOT NULL,
    reason TEXT NOT NULL,
    reviewed_by TEXT NOT NULL,
    saved TEXT NOT NULL
);
CREATE TABLE access_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    who TEXT NOT NULL,
    action TEXT NOT NULL,
    inspection_id INTEGER
);
