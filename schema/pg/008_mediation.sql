-- pg/008_mediation.sql — the twin of schema/008_mediation.sql in PostgreSQL's dialect
-- (see pg/001_ledger.sql for what differs and why).
--
-- 008_mediation.sql — a mediation agency (seed 002, issue 8): the hours
-- suppliers register, their review, the invoices made from them, what the
-- agency knows of its suppliers and clients, and the payouts to suppliers.
--
-- hours is made anew: a duration is whole minutes (never a fraction of
-- an hour), each row has its month ('YYYY-MM'), rate kind and note, and
-- the status 'rejected' joins the life draft -> submitted -> approved |
-- rejected -> invoiced. No carebill before this migration wrote the old
-- table (it had no hours commands), so it holds nothing to keep. The id
-- trigger's function (pg/001) names the table and serves the new one.
DROP TABLE hours;
CREATE TABLE hours (
    id            BIGINT PRIMARY KEY,
    placement     TEXT COLLATE "C" NOT NULL,
    work_date     TEXT COLLATE "C" NOT NULL,
    month         TEXT COLLATE "C" NOT NULL,
    minutes       BIGINT NOT NULL CHECK (minutes > 0 AND minutes <= 1440),
    rate_kind     TEXT COLLATE "C" NOT NULL DEFAULT 'weekday' CHECK (rate_kind = 'weekday' OR rate_kind = 'evening' OR rate_kind = 'weekend' OR rate_kind = 'holiday'),
    note          TEXT COLLATE "C",
    status        TEXT COLLATE "C" NOT NULL CHECK (status = 'draft' OR status = 'submitted' OR status = 'approved' OR status = 'rejected' OR status = 'invoiced'),
    invoice       BIGINT REFERENCES invoices(id) DEFERRABLE,
    created       TEXT COLLATE "C" NOT NULL
);
CREATE TRIGGER hours_id BEFORE INSERT ON hours FOR EACH ROW EXECUTE FUNCTION hours_id();
CREATE INDEX hours_placement_month ON hours(placement, month);

-- Every submit, approval and rejection of a placement's month, with the
-- day it happened and the reason of a rejection.
CREATE TABLE hours_reviews (
    id            BIGINT PRIMARY KEY,
    placement     TEXT COLLATE "C" NOT NULL,
    month         TEXT COLLATE "C" NOT NULL,
    action        TEXT COLLATE "C" NOT NULL CHECK (action = 'submit' OR action = 'approve' OR action = 'reject'),
    on_date       TEXT COLLATE "C" NOT NULL,
    reason        TEXT COLLATE "C"
);
CREATE FUNCTION hours_reviews_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.id IS NULL THEN
        NEW.id := (SELECT COALESCE(MAX(id), 0) + 1 FROM hours_reviews);
    END IF;
    PERFORM set_config('carebill.last_id', NEW.id::text, false);
    RETURN NEW;
END $$;
CREATE TRIGGER hours_reviews_id BEFORE INSERT ON hours_reviews FOR EACH ROW EXECUTE FUNCTION hours_reviews_id();
CREATE INDEX hours_reviews_month ON hours_reviews(placement, month);

-- What the agency records of a supplier or client beyond the account:
-- the supplier's KvK number, VAT status and the date the self-billing
-- agreement was signed; a client's privacy mode (an e-mail that the
-- invoice is in the portal, never the invoice).
CREATE TABLE mediation_accounts (
    account             TEXT COLLATE "C" PRIMARY KEY REFERENCES accounts(id) DEFERRABLE,
    kvk                 TEXT COLLATE "C",
    vat_status          TEXT COLLATE "C" CHECK (vat_status IS NULL OR vat_status = 'exempt' OR vat_status = 'kor' OR vat_status = 'standard'),
    selfbill_agreement  TEXT COLLATE "C",
    privacy             BIGINT
);

-- The invoices made from a placement's month, one per role: the hours
-- invoice (in the supplier's series), the agency's own invoice to the
-- client when self-billing, and the commission invoices. The unique key
-- makes a second invoice for the same hours impossible.
CREATE TABLE mediation_invoices (
    id            BIGINT PRIMARY KEY,
    placement     TEXT COLLATE "C" NOT NULL,
    month         TEXT COLLATE "C" NOT NULL,
    role          TEXT COLLATE "C" NOT NULL CHECK (role = 'hours' OR role = 'resale' OR role = 'commission_supplier' OR role = 'commission_client'),
    supplier      TEXT COLLATE "C" NOT NULL REFERENCES accounts(id) DEFERRABLE,
    invoice       BIGINT NOT NULL REFERENCES invoices(id) DEFERRABLE,
    UNIQUE (placement, month, role)
);
CREATE FUNCTION mediation_invoices_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.id IS NULL THEN
        NEW.id := (SELECT COALESCE(MAX(id), 0) + 1 FROM mediation_invoices);
    END IF;
    PERFORM set_config('carebill.last_id', NEW.id::text, false);
    RETURN NEW;
END $$;
CREATE TRIGGER mediation_invoices_id BEFORE INSERT ON mediation_invoices FOR EACH ROW EXECUTE FUNCTION mediation_invoices_id();

-- Credit transfers to suppliers (pain.001), one per supplier per batch;
-- booked when the bank statement shows the debit.
CREATE TABLE payouts (
    id              BIGINT PRIMARY KEY,
    supplier        TEXT COLLATE "C" NOT NULL REFERENCES accounts(id) DEFERRABLE,
    batch           TEXT COLLATE "C" NOT NULL,
    end_to_end_id   TEXT COLLATE "C" NOT NULL UNIQUE,
    amount_cents    BIGINT NOT NULL CHECK (amount_cents > 0),
    iban            TEXT COLLATE "C" NOT NULL,
    exported_on     TEXT COLLATE "C" NOT NULL,
    booked_on       TEXT COLLATE "C"
);
CREATE FUNCTION payouts_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.id IS NULL THEN
        NEW.id := (SELECT COALESCE(MAX(id), 0) + 1 FROM payouts);
    END IF;
    PERFORM set_config('carebill.last_id', NEW.id::text, false);
    RETURN NEW;
END $$;
CREATE TRIGGER payouts_id BEFORE INSERT ON payouts FOR EACH ROW EXECUTE FUNCTION payouts_id();
CREATE INDEX payouts_supplier ON payouts(supplier);
