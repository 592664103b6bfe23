-- No link's token is kept (SPEC §8.2; issue 25): the sender makes a link when it hands
-- an e-mail to the SMTP server, stores its hash as for any link, and revokes it if the
-- server refuses; the token is only in memory and in the e-mail. A body is kept in typed
-- parts, the text before the link (`body`) and after it (`after`), so no placeholder is
-- ever looked for in a text that holds what someone typed. `link_hours` is how long a
-- password link is valid. A password e-mail still waiting had its token in `secret`,
-- which is dropped here: it is given up, and its link with it.
CREATE TABLE outbox_new (
    id INTEGER PRIMARY KEY,
    inspection_id INTEGER REFERENCES inspections(id) ON DELETE CASCADE,
    event TEXT NOT NULL,
    recipient TEXT NOT NULL,
    link TEXT NOT NULL CHECK (link IN ('none', 'unit', 'password', 'inspection')),
    link_hours INTEGER CHECK (link_hours IS NULL OR (link = 'password' AND link_hours > 0)),
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    after TEXT CHECK ((link = 'none') = (after IS NULL)),
    state TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'uncertain', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_try TEXT NOT NULL,
    last_error TEXT,
    created TEXT NOT NULL,
    sent TEXT,
    UNIQUE (event, recipient)
);
INSERT INTO outbox_new (id, inspection_id, event, recipient, link, link_hours, subject, body, after,
                        state, attempts, next_try, last_error, created, sent)
    SELECT id, inspection_id, event, recipient,
           CASE WHEN link = 'none' AND instr(body, '[granskningens adress i spur]') > 0
                THEN 'inspection' ELSE link END,
           NULL, subject,
           CASE
               WHEN link != 'none' AND instr(body, '[länken, som bara står i själva e-postbrevet]') > 0
                   THEN substr(body, 1, instr(body, '[länken, som bara står i själva e-postbrevet]') - 1)
               WHEN link = 'none' AND instr(body, '[granskningens adress i spur]') > 0
                   THEN substr(body, 1, instr(body, '[granskningens adress i spur]') - 1)
               ELSE body END,
           CASE
               WHEN link != 'none' AND instr(body, '[länken, som bara står i själva e-postbrevet]') > 0
                   THEN substr(body, instr(body, '[länken, som bara står i själva e-postbrevet]')
                                     + length('[länken, som bara står i själva e-postbrevet]'))
               WHEN link = 'none' AND instr(body, '[granskningens adress i spur]') > 0
                   THEN substr(body, instr(body, '[granskningens adress i spur]')
                                     + length('[granskningens adress i spur]'))
               WHEN link != 'none' THEN ''
               ELSE NULL END,
           CASE WHEN link = 'password' AND state = 'queued' THEN 'failed' ELSE state END,
           attempts, next_try,
           CASE WHEN link = 'password' AND state = 'queued'
                THEN 'inte skickat: spur uppdaterades medan det väntade; be om en ny länk'
                ELSE last_error END,
           created, sent
    FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_due ON outbox (state, next_try);
CREATE INDEX outbox_inspection ON outbox (inspection_id, id);
