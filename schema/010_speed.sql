-- 010_speed.sql — what the daily run maintains per invoice (issue 15).
-- invoices_open indexed every invoice while it was open, which is every
-- invoice a run issues; the one query that walks open invoices without an
-- account (the direct-debit export, store/collections.c) asks for open
-- direct-debit invoices only, so the index keeps those alone and an
-- invoice paid by transfer costs no index entry. subscriptions_type lets
-- a run find the subscription types in use with one probe per type
-- (store/subscriptions.c subscriptions_types_in_use) instead of reading
-- every subscription; the cursor columns a run updates are not in it.
-- invoices_issued answered MAX(issued) for every run's date check; the
-- (series, seq) key answers it as well, since numbers follow dates within
-- a series: the latest date is that of a series' last number
-- (store/invoices.c invoices_last_issued), one probe per series.
DROP INDEX IF EXISTS invoices_open;
DROP INDEX IF EXISTS invoices_issued;
CREATE INDEX IF NOT EXISTS invoices_open_dd ON invoices(status)
    WHERE status = 'open' AND direct_debit = 1;
CREATE INDEX IF NOT EXISTS subscriptions_type ON subscriptions(type);
