-- pg/016_mail_at_send.sql — the twin of schema/016_mail_at_send.sql in
-- PostgreSQL's dialect (see pg/001_ledger.sql for what differs and why).
--
-- 016_mail_at_send.sql — the daily run's invoice e-mails become outbox
-- rows when the outbox is next used, not in the run (issue 15). Writing
-- an outbox row per invoice (its row, its unique key, its entry in
-- outbox_due and two foreign keys) was a quarter of a run's work, while
-- the message it queued had no text yet (migration 013).
--   * invoices.mail is the id of the template the invoice's e-mail is
--     written with, when the run left the message to be made later (NULL:
--     the message, if any, was queued as a row at once). It is bound in
--     the invoice's own INSERT, so it costs the run a few bytes.
--   * outbox_made.invoice is the highest invoice id whose deferred e-mail
--     is an outbox row already (its one row; none is 0, as in a new
--     ledger, which a copy into it (migrate-ledger, simulate) needs empty). Every command that reads or changes
--     outbox rows first turns the invoices after it that name a template
--     into queued rows, in invoice order, in its own transaction
--     (usecase/outbox.c outbox_make_deferred), from the invoice's stored
--     rule set (event, attachments, send time) and account; then moves
--     the mark. No index is needed: the invoices after the mark are the
--     last rows of their table.
--   * The unique key of outbox rows keeps a message from being made
--     twice; the mark moves in the transaction that made them.
-- Invoices issued before this migration have mail NULL: their messages
-- are rows already, and the mark starts after them.
ALTER TABLE invoices ADD COLUMN mail TEXT COLLATE "C";
CREATE TABLE outbox_made (
    id       BIGINT PRIMARY KEY CHECK (id = 1),
    invoice  BIGINT NOT NULL
);
INSERT INTO outbox_made(id, invoice)
    SELECT 1, MAX(id) FROM invoices HAVING MAX(id) IS NOT NULL;
