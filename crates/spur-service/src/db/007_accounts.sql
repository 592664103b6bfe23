-- Accounts managed in the browser: an account can be deactivated (its sessions end,
-- it cannot log in, its history stays), and a one-time link sets its password.
ALTER TABLE accounts ADD COLUMN active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1));
CREATE TABLE password_links (
    token_hash TEXT PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    expires TEXT NOT NULL,
    made_by TEXT NOT NULL,
    made TEXT NOT NULL
);
-- Each inspector's personal calendar feed: one revocable token at a time.
CREATE TABLE calendar_feeds (
    account_id INTEGER PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    made TEXT NOT NULL
);
