-- pg/002_collections.sql — the twin of schema/002_collections.sql in PostgreSQL's dialect
-- (see pg/001_ledger.sql for what differs and why).
--
-- 002_collections.sql — direct-debit collections exported in pain.008
-- batches, and the bank statement entries already imported. The
-- end-to-end id is carebill's key for matching the bank's answer; an
-- invoice is collected once unless a reversal reopened it.

CREATE TABLE collections (
    id              BIGINT PRIMARY KEY,
    invoice         BIGINT NOT NULL REFERENCES invoices(id) DEFERRABLE,
    end_to_end_id   TEXT COLLATE "C" NOT NULL UNIQUE,
    batch           TEXT COLLATE "C" NOT NULL,          -- the pain.008 MsgId
    sequence        TEXT COLLATE "C" NOT NULL CHECK (sequence = 'FRST' OR sequence = 'RCUR'),
    amount_cents    BIGINT NOT NULL,
    collection_date TEXT COLLATE "C" NOT NULL,
    exported_on     TEXT COLLATE "C" NOT NULL,
    reversed        BIGINT NOT NULL DEFAULT 0
);
CREATE FUNCTION collections_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.id IS NULL THEN
        NEW.id := (SELECT COALESCE(MAX(id), 0) + 1 FROM collections);
    END IF;
    PERFORM set_config('carebill.last_id', NEW.id::text, false);
    RETURN NEW;
END $$;
CREATE TRIGGER collections_id BEFORE INSERT ON collections FOR EACH ROW EXECUTE FUNCTION collections_id();
CREATE INDEX collections_invoice ON collections(invoice);

CREATE TABLE bank_entries (
    id              BIGINT PRIMARY KEY,
    entry_key       TEXT COLLATE "C" NOT NULL UNIQUE,   -- servicer ref, or a digest of the entry
    booking_date    TEXT COLLATE "C",
    amount_cents    BIGINT NOT NULL,
    credit          BIGINT NOT NULL,
    reversal        BIGINT NOT NULL,
    end_to_end_id   TEXT COLLATE "C",
    reference       TEXT COLLATE "C",
    remittance      TEXT COLLATE "C",
    invoice         BIGINT REFERENCES invoices(id) DEFERRABLE,
    outcome         TEXT COLLATE "C" NOT NULL,          -- paid, reversed, unmatched, ...
    imported_on     TEXT COLLATE "C" NOT NULL
);
CREATE FUNCTION bank_entries_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.id IS NULL THEN
        NEW.id := (SELECT COALESCE(MAX(id), 0) + 1 FROM bank_entries);
    END IF;
    PERFORM set_config('carebill.last_id', NEW.id::text, false);
    RETURN NEW;
END $$;
CREATE TRIGGER bank_entries_id BEFORE INSERT ON bank_entries FOR EACH ROW EXECUTE FUNCTION bank_entries_id();
