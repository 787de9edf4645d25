-- 002_collections.sql — direct-debit collections exported in pain.008
-- batches, and the bank statement entries already imported. The
-- end-to-end id is carebill's key for matching the bank's answer; an
-- invoice is collected once unless a reversal reopened it.

CREATE TABLE collections (
    id              INTEGER PRIMARY KEY,
    invoice         INTEGER NOT NULL REFERENCES invoices(id),
    end_to_end_id   TEXT NOT NULL UNIQUE,
    batch           TEXT NOT NULL,          -- the pain.008 MsgId
    sequence        TEXT NOT NULL CHECK (sequence = 'FRST' OR sequence = 'RCUR'),
    amount_cents    INTEGER NOT NULL,
    collection_date TEXT NOT NULL,
    exported_on     TEXT NOT NULL,
    reversed        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX collections_invoice ON collections(invoice);

CREATE TABLE bank_entries (
    id              INTEGER PRIMARY KEY,
    entry_key       TEXT NOT NULL UNIQUE,   -- servicer ref, or a digest of the entry
    booking_date    TEXT,
    amount_cents    INTEGER NOT NULL,
    credit          INTEGER NOT NULL,
    reversal        INTEGER NOT NULL,
    end_to_end_id   TEXT,
    reference       TEXT,
    remittance      TEXT,
    invoice         INTEGER REFERENCES invoices(id),
    outcome         TEXT NOT NULL,          -- paid, reversed, unmatched, ...
    imported_on     TEXT NOT NULL
);
