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
-- SQLite cannot drop a constraint of a table, so invoices is rebuilt as
-- SQLite documents for such a change: a copy made without the key, the
-- rows moved into it, the old table dropped, the copy renamed, and its
-- indexes made again. The columns keep their order and every other
-- constraint. Foreign keys are not enforced while it runs (the tables
-- that refer to invoices would stop the drop); the migration runner
-- (engine/ledger/ledger.c migrate) checks every one of them before it
-- commits, and turns them back on after.
ALTER TABLE series ADD COLUMN last_issued TEXT;
UPDATE series SET last_issued = (SELECT i.issued FROM invoices i
                                 WHERE i.series = series.id
                                 ORDER BY i.seq DESC LIMIT 1);

CREATE TABLE invoices_new (
    id                  INTEGER PRIMARY KEY,
    number              TEXT NOT NULL UNIQUE,
    series              TEXT NOT NULL,
    seq                 INTEGER NOT NULL,
    kind                TEXT NOT NULL,
    account             TEXT NOT NULL REFERENCES accounts(id),
    supplier            TEXT REFERENCES accounts(id),
    issued              TEXT NOT NULL,
    due                 TEXT NOT NULL,
    locale              TEXT NOT NULL,
    prices_include_vat  INTEGER NOT NULL,
    net_cents           INTEGER NOT NULL,
    vat_cents           INTEGER NOT NULL,
    total_cents         INTEGER NOT NULL,
    paid_cents          INTEGER NOT NULL DEFAULT 0,
    status              TEXT NOT NULL DEFAULT 'open' CHECK (status = 'open' OR status = 'paid' OR status = 'credited'),
    credit_of           INTEGER REFERENCES invoices(id),
    direct_debit        INTEGER NOT NULL DEFAULT 0,
    payment_reference   TEXT NOT NULL,
    rules_hash          TEXT NOT NULL,
    practitioner        TEXT,
    run                 INTEGER REFERENCES runs(id)
);
INSERT INTO invoices_new SELECT * FROM invoices;
DROP TABLE invoices;
ALTER TABLE invoices_new RENAME TO invoices;
CREATE INDEX invoices_account ON invoices(account);
CREATE INDEX invoices_payment_reference
    ON invoices(payment_reference);
CREATE INDEX invoices_open_dd ON invoices(status)
    WHERE status = 'open' AND direct_debit = 1;
