-- pg/004_peppol.sql — the twin of schema/004_peppol.sql in PostgreSQL's dialect
-- (see pg/001_ledger.sql for what differs and why).
--
-- 004_peppol.sql — an account's electronic address for e-invoices: the
-- Peppol participant id as "SCHEME:ID" (0208:0123456749, 0106:12345678,
-- 9944:NL123456789B01, ...), checked when the account is added; NULL
-- when the account has none.
ALTER TABLE accounts ADD COLUMN peppol TEXT COLLATE "C";
