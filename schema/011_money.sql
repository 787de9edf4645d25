-- 011_money.sql — every euro has a place (issue 11, item 3).
-- A payment is undone by a new payments row (method 'undo', the negative
-- of what it undoes, undoes = its id), never by deleting it; a payment is
-- undone at most once. Money that belongs to no invoice (an overpayment,
-- a credit note's rest, an undone balance application) sits on the
-- account's credit balance: balance_moves holds every movement in (+)
-- and out (-) of it, with the invoice and payments row it came from or
-- went to, and the bank entry it was booked from (an import stays
-- idempotent). The balance of an account is the sum of its moves.
ALTER TABLE payments ADD COLUMN undoes INTEGER REFERENCES payments(id);
CREATE UNIQUE INDEX payments_undoes ON payments(undoes) WHERE undoes IS NOT NULL;

CREATE TABLE balance_moves (
    id            INTEGER PRIMARY KEY,
    account       TEXT NOT NULL REFERENCES accounts(id),
    amount_cents  INTEGER NOT NULL CHECK (amount_cents <> 0),
    on_date       TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind = 'overpayment' OR kind = 'applied' OR kind = 'refund' OR kind = 'undo' OR kind = 'credit_note'),
    invoice       INTEGER REFERENCES invoices(id),
    payment       INTEGER REFERENCES payments(id),
    bank_ref      TEXT UNIQUE,
    created       TEXT NOT NULL
);
CREATE INDEX balance_moves_account ON balance_moves(account);
