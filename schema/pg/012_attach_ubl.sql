-- pg/012_attach_ubl.sql — the twin of schema/012_attach_ubl.sql in
-- PostgreSQL's dialect (see pg/001_ledger.sql for what differs and why).
--
-- 012_attach_ubl.sql — a message may carry the invoice's UBL file beside
-- its PDF (issue 10, item 3): attach_ubl is the template's attach_ubl as
-- the message was queued, as attach_pdf is its attach_pdf. Whether the
-- invoice gets a UBL file is the practice's einvoice setting when the
-- message is sent. Messages queued before stay as they were (0).
ALTER TABLE outbox ADD COLUMN attach_ubl BIGINT NOT NULL DEFAULT 0;
