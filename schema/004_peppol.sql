-- 004_peppol.sql — an account's electronic address for e-invoices: the
-- Peppol participant id as "SCHEME:ID" (0208:0123456749, 0106:12345678,
-- 9944:NL123456789B01, ...), checked when the account is added; NULL
-- when the account has none.
ALTER TABLE accounts ADD COLUMN peppol TEXT;
