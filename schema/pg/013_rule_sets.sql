-- pg/013_rule_sets.sql — the twin of schema/013_rule_sets.sql in
-- PostgreSQL's dialect (see pg/001_ledger.sql for what differs and why).
--
-- 013_rule_sets.sql — invoice e-mails are rendered when they are sent
-- (issue 15). The daily run queued every invoice's e-mail with its whole
-- rendered text; it now queues the message without subject and body, and
-- `outbox send` renders it from the template, the invoice and the message
-- row. What is sent stays reproducible:
--   * rule_sets keeps every rule set a run issued invoices under, once:
--     its hash (invoices.rules_hash) and the files that hash covers, as
--     the rules loader read them (engine/store/rule_sets.c packs them).
--     A message is rendered by its invoice's rule set, never by today's
--     files when they changed since; the loaded set must hash to the
--     stored hash, or the message fails with the reason.
--   * sub_name is the subscription name the message names when the
--     invoice's lines do not give it (NULL: they do, or it names none);
--     paid_cents the invoice's paid amount when it was queued (payments
--     after that do not change its text).
--   * When a message is sent its rendered subject and body are written
--     into its row, in the statement that marks it sent: the ledger keeps
--     exactly what went out. Rows queued before this migration keep the
--     text they were queued with and are sent as stored.
CREATE TABLE rule_sets (
    hash   TEXT COLLATE "C" PRIMARY KEY,
    files  TEXT COLLATE "C" NOT NULL
);
ALTER TABLE outbox ADD COLUMN sub_name TEXT COLLATE "C";
ALTER TABLE outbox ADD COLUMN paid_cents BIGINT;
