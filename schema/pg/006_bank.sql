-- pg/006_bank.sql — the twin of schema/006_bank.sql in PostgreSQL's dialect
-- (see pg/001_ledger.sql for what differs and why).
--
-- 006_bank.sql — bank import look-ups by index (issue 14): a statement
-- entry's payment reference (structured, or a check-digit reference in its
-- text) is looked up on invoices.payment_reference. The other look-ups
-- (collections.end_to_end_id, invoices.number, payments.bank_ref,
-- bank_entries.entry_key) are UNIQUE columns and have their index already.
-- bank_entries.entry_key is the per-transaction key (decide/bank_match.h
-- bank_entry_key); no new column is needed.
CREATE INDEX IF NOT EXISTS invoices_payment_reference
    ON invoices(payment_reference);
