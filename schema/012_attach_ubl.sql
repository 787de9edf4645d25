-- 012_attach_ubl.sql — a message may carry the invoice's UBL file beside
-- its PDF (issue 10, item 3): attach_ubl is the template's attach_ubl as
-- the message was queued, as attach_pdf is its attach_pdf. Whether the
-- invoice gets a UBL file is the practice's einvoice setting when the
-- message is sent. Messages queued before stay as they were (0).
ALTER TABLE outbox ADD COLUMN attach_ubl INTEGER NOT NULL DEFAULT 0;
