-- pg/014_series_dates.sql — the twin of schema/014_series_dates.sql in
-- PostgreSQL's dialect (see pg/001_ledger.sql for what differs and why).
-- PostgreSQL drops a constraint in place, so invoices is not rebuilt:
-- the key has the name PostgreSQL gave it in pg/001_ledger.sql (table,
-- columns, "key"); a ledger whose key is named otherwise is not one
-- carebill made, and the migration stops there rather than leave the
-- key behind.
--
-- 014_series_dates.sql — a numbering series keeps the date of its last
-- number (issue 15). The key UNIQUE (series, seq) of invoices cost every
-- invoice an index entry, and its only readers were the date checks of
-- a run (store/invoices.c invoices_last_issued and
-- invoices_last_issued_series): numbers follow dates within a series, so
-- what they ask is the issue date of a series' last number, and the
-- counter that hands out the numbers now keeps it.
--   * series.last_issued is the issue date of the series' last number
--     (NULL for a series that has numbered nothing), written with
--     last_seq by the transaction that takes the numbers
--     (engine/ledger/ledger.c series_flush); filled here from the
--     invoices already issued (the date of each series' highest seq).
--   * invoices loses UNIQUE (series, seq). Numbers stay gapless and
--     unique without it: the counter hands out each seq of a series
--     once, in the transaction that stores the invoice, and the number,
--     made from the series and the seq, keeps its own UNIQUE key.
ALTER TABLE series ADD COLUMN last_issued TEXT COLLATE "C";
UPDATE series SET last_issued = (SELECT i.issued FROM invoices i
                                 WHERE i.series = series.id
                                 ORDER BY i.seq DESC LIMIT 1);
ALTER TABLE invoices DROP CONSTRAINT invoices_series_seq_key;
