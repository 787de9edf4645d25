-- 008_mediation.sql — a mediation agency (seed 002, issue 8): the hours
-- suppliers register, their review, the invoices made from them, what the
-- agency knows of its suppliers and clients, and the payouts to suppliers.
--
-- hours is made anew: a duration is whole minutes (never a fraction of
-- an hour), each row has its month ('YYYY-MM'), rate kind and note, and
-- the status 'rejected' joins the life draft -> submitted -> approved |
-- rejected -> invoiced. No carebill before this migration wrote the old
-- table (it had no hours commands), so it holds nothing to keep.
DROP TABLE hours;
CREATE TABLE hours (
    id            INTEGER PRIMARY KEY,
    placement     TEXT NOT NULL,
    work_date     TEXT NOT NULL,
    month         TEXT NOT NULL,
    minutes       INTEGER NOT NULL CHECK (minutes > 0 AND minutes <= 1440),
    rate_kind     TEXT NOT NULL DEFAULT 'weekday' CHECK (rate_kind = 'weekday' OR rate_kind = 'evening' OR rate_kind = 'weekend' OR rate_kind = 'holiday'),
    note          TEXT,
    status        TEXT NOT NULL CHECK (status = 'draft' OR status = 'submitted' OR status = 'approved' OR status = 'rejected' OR status = 'invoiced'),
    invoice       INTEGER REFERENCES invoices(id),
    created       TEXT NOT NULL
);
CREATE INDEX hours_placement_month ON hours(placement, month);

-- Every submit, approval and rejection of a placement's month, with the
-- day it happened and the reason of a rejection.
CREATE TABLE hours_reviews (
    id            INTEGER PRIMARY KEY,
    placement     TEXT NOT NULL,
    month         TEXT NOT NULL,
    action        TEXT NOT NULL CHECK (action = 'submit' OR action = 'approve' OR action = 'reject'),
    on_date       TEXT NOT NULL,
    reason        TEXT
);
CREATE INDEX hours_reviews_month ON hours_reviews(placement, month);

-- What the agency records of a supplier or client beyond the account:
-- the supplier's KvK number, VAT status and the date the self-billing
-- agreement was signed; a client's privacy mode (an e-mail that the
-- invoice is in the portal, never the invoice).
CREATE TABLE mediation_accounts (
    account             TEXT PRIMARY KEY REFERENCES accounts(id),
    kvk                 TEXT,
    vat_status          TEXT CHECK (vat_status IS NULL OR vat_status = 'exempt' OR vat_status = 'kor' OR vat_status = 'standard'),
    selfbill_agreement  TEXT,
    privacy             INTEGER
);

-- The invoices made from a placement's month, one per role: the hours
-- invoice (in the supplier's series), the agency's own invoice to the
-- client when self-billing, and the commission invoices. The unique key
-- makes a second invoice for the same hours impossible.
CREATE TABLE mediation_invoices (
    id            INTEGER PRIMARY KEY,
    placement     TEXT NOT NULL,
    month         TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role = 'hours' OR role = 'resale' OR role = 'commission_supplier' OR role = 'commission_client'),
    supplier      TEXT NOT NULL REFERENCES accounts(id),
    invoice       INTEGER NOT NULL REFERENCES invoices(id),
    UNIQUE (placement, month, role)
);

-- Credit transfers to suppliers (pain.001), one per supplier per batch;
-- booked when the bank statement shows the debit.
CREATE TABLE payouts (
    id              INTEGER PRIMARY KEY,
    supplier        TEXT NOT NULL REFERENCES accounts(id),
    batch           TEXT NOT NULL,
    end_to_end_id   TEXT NOT NULL UNIQUE,
    amount_cents    INTEGER NOT NULL CHECK (amount_cents > 0),
    iban            TEXT NOT NULL,
    exported_on     TEXT NOT NULL,
    booked_on       TEXT
);
CREATE INDEX payouts_supplier ON payouts(supplier);
