-- pg/011_money.sql — the twin of schema/011_money.sql in PostgreSQL's dialect
-- (see pg/001_ledger.sql for what differs and why).
--
-- 011_money.sql — every euro has a place (issue 11, item 3).
-- A payment is undone by a new payments row (method 'undo', the negative
-- of what it undoes, undoes = its id), never by deleting it; a payment is
-- undone at most once. Money that belongs to no invoice (an overpayment,
-- a credit note's rest, an undone balance application) sits on the
-- account's credit balance: balance_moves holds every movement in (+)
-- and out (-) of it, with the invoice and payments row it came from or
-- went to, and the bank entry it was booked from (an import stays
-- idempotent). The balance of an account is the sum of its moves.
ALTER TABLE payments ADD COLUMN undoes BIGINT REFERENCES payments(id) DEFERRABLE;
CREATE UNIQUE INDEX payments_undoes ON payments(undoes) WHERE undoes IS NOT NULL;

CREATE TABLE balance_moves (
    id            BIGINT PRIMARY KEY,
    account       TEXT COLLATE "C" NOT NULL REFERENCES accounts(id) DEFERRABLE,
    amount_cents  BIGINT NOT NULL CHECK (amount_cents <> 0),
    on_date       TEXT COLLATE "C" NOT NULL,
    kind          TEXT COLLATE "C" NOT NULL CHECK (kind = 'overpayment' OR kind = 'applied' OR kind = 'refund' OR kind = 'undo' OR kind = 'credit_note'),
    invoice       BIGINT REFERENCES invoices(id) DEFERRABLE,
    payment       BIGINT REFERENCES payments(id) DEFERRABLE,
    bank_ref      TEXT COLLATE "C" UNIQUE,
    created       TEXT COLLATE "C" NOT NULL
);
CREATE FUNCTION balance_moves_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.id IS NULL THEN
        NEW.id := (SELECT COALESCE(MAX(id), 0) + 1 FROM balance_moves);
    END IF;
    PERFORM set_config('carebill.last_id', NEW.id::text, false);
    RETURN NEW;
END $$;
CREATE TRIGGER balance_moves_id BEFORE INSERT ON balance_moves FOR EACH ROW EXECUTE FUNCTION balance_moves_id();
CREATE INDEX balance_moves_account ON balance_moves(account);
