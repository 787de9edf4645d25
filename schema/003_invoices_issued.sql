-- 003_invoices_issued.sql — every run checks that no invoice is dated
-- after its date (numbers follow dates); an index answers MAX(issued)
-- without reading every invoice the practice ever issued.
CREATE INDEX invoices_issued ON invoices(issued);
