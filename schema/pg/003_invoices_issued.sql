-- pg/003_invoices_issued.sql — the twin of schema/003_invoices_issued.sql in PostgreSQL's dialect
-- (see pg/001_ledger.sql for what differs and why).
--
-- 003_invoices_issued.sql — every run checks that no invoice is dated
-- after its date (numbers follow dates); an index answers MAX(issued)
-- without reading every invoice the practice ever issued.
CREATE INDEX invoices_issued ON invoices(issued);
