-- 001_ledger.sql — the practice's ledger. Dates are civil dates
-- 'YYYY-MM-DD' in the practice's time zone; money is INTEGER cents;
-- quantities are INTEGER hundredths (qty100). Issued invoices and their
-- lines are never updated except for status and paid_cents. CHECKs list
-- their values with OR rather than IN: SQLite evaluates an IN list in a
-- CHECK through a temporary table on every insert, which the tick pays
-- once per invoice.

CREATE TABLE runs (
    id          INTEGER PRIMARY KEY,
    as_of       TEXT NOT NULL,
    started_at  TEXT NOT NULL,
    rules_hash  TEXT NOT NULL,
    invoices    INTEGER NOT NULL DEFAULT 0,
    messages    INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE accounts (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    email         TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind = 'patient' OR kind = 'organisation' OR kind = 'client' OR kind = 'supplier'),
    address       TEXT,
    locale        TEXT,
    vat_number    TEXT,
    iban          TEXT,
    bic           TEXT,
    mandate_id    TEXT,
    mandate_date  TEXT,
    mandate_used  INTEGER NOT NULL DEFAULT 0,   -- 1 after the first collection (FRST -> RCUR)
    reminders     INTEGER NOT NULL DEFAULT 1,   -- 0: opted out of payment reminders
    created       TEXT NOT NULL
);

-- Subscriptions (seed 000) and seat plans (seed 003). next_period is the
-- first period not yet decided; next_due the date it comes due (its
-- invoice date). Both are NULL once the subscription is finished.
CREATE TABLE subscriptions (
    id            INTEGER PRIMARY KEY,
    account       TEXT NOT NULL REFERENCES accounts(id),
    type          TEXT NOT NULL,
    start         TEXT NOT NULL,
    end_on        TEXT,            -- last active day (stop), NULL: open-ended
    stop_note     TEXT,
    direct_debit  INTEGER NOT NULL DEFAULT 0,
    quantity      INTEGER NOT NULL DEFAULT 1,
    next_period   TEXT,
    next_due      TEXT,
    created       TEXT NOT NULL
);
CREATE INDEX subscriptions_due ON subscriptions(next_due) WHERE next_due IS NOT NULL;
CREATE INDEX subscriptions_account ON subscriptions(account);

CREATE TABLE pauses (
    id            INTEGER PRIMARY KEY,
    subscription  INTEGER NOT NULL REFERENCES subscriptions(id),
    from_date     TEXT NOT NULL,
    until         TEXT NOT NULL,   -- last paused day; resumes the day after
    note          TEXT
);
CREATE INDEX pauses_subscription ON pauses(subscription);

-- Price changes scheduled from the command line; they override the rule
-- files' schedule on the same date.
CREATE TABLE price_changes (
    id            INTEGER PRIMARY KEY,
    type          TEXT NOT NULL,
    from_date     TEXT NOT NULL,
    price_cents   INTEGER NOT NULL CHECK (price_cents >= 0),
    created       TEXT NOT NULL,
    cancelled     TEXT
);
CREATE UNIQUE INDEX price_changes_live ON price_changes(type, from_date) WHERE cancelled IS NULL;

-- Gapless numbering: one row per series (per year when the format has
-- {year}); last_seq only grows, inside the transaction that issues.
CREATE TABLE series (
    id            TEXT PRIMARY KEY,
    last_seq      INTEGER NOT NULL
);

CREATE TABLE invoices (
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
    run                 INTEGER REFERENCES runs(id),
    UNIQUE (series, seq)
);
CREATE INDEX invoices_account ON invoices(account);
CREATE INDEX invoices_open ON invoices(status) WHERE status = 'open';

-- Each line keeps its own price, VAT and amounts and what produced it.
-- A subscription period can be charged once: the unique index below.
CREATE TABLE invoice_lines (
    id            INTEGER PRIMARY KEY,
    invoice       INTEGER NOT NULL REFERENCES invoices(id),
    position      INTEGER NOT NULL,
    description   TEXT NOT NULL,
    qty100        INTEGER NOT NULL,
    unit_cents    INTEGER NOT NULL,
    amount_cents  INTEGER NOT NULL,
    vat_id        TEXT NOT NULL,
    vat_bp        INTEGER NOT NULL,
    vat_exempt    INTEGER NOT NULL,
    vat_text      TEXT,
    source        TEXT NOT NULL,
    subscription  INTEGER REFERENCES subscriptions(id),
    period_start  TEXT,
    period_end    TEXT,
    ref           TEXT,
    why           TEXT,
    credits_line  INTEGER REFERENCES invoice_lines(id)
);
CREATE INDEX invoice_lines_invoice ON invoice_lines(invoice);
CREATE UNIQUE INDEX invoice_lines_period ON invoice_lines(subscription, period_start)
    WHERE subscription IS NOT NULL AND credits_line IS NULL;

CREATE TABLE payments (
    id            INTEGER PRIMARY KEY,
    invoice       INTEGER NOT NULL REFERENCES invoices(id),
    amount_cents  INTEGER NOT NULL,
    on_date       TEXT NOT NULL,
    method        TEXT NOT NULL,   -- manual, bank, direct_debit, credit_note
    bank_ref      TEXT UNIQUE,     -- statement entry, so an import is idempotent
    note          TEXT,
    created       TEXT NOT NULL
);
CREATE INDEX payments_invoice ON payments(invoice);

-- Packages and credits (seed 001).
CREATE TABLE credit_grants (
    id            INTEGER PRIMARY KEY,
    account       TEXT NOT NULL REFERENCES accounts(id),
    package       TEXT NOT NULL,
    credits       INTEGER NOT NULL CHECK (credits > 0),
    rate_cents    INTEGER NOT NULL,
    granted_on    TEXT NOT NULL,
    source        TEXT NOT NULL CHECK (source = 'invoice' OR source = 'import'),
    invoice_line  INTEGER UNIQUE REFERENCES invoice_lines(id),
    withdrawn     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX credit_grants_account ON credit_grants(account, package);

CREATE TABLE appointments (
    id            TEXT PRIMARY KEY,
    account       TEXT NOT NULL REFERENCES accounts(id),
    type          TEXT NOT NULL,
    at            TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status = 'booked' OR status = 'cancelled'),
    invoice       INTEGER REFERENCES invoices(id),
    created       TEXT NOT NULL
);

CREATE TABLE credit_uses (
    id            INTEGER PRIMARY KEY,
    grant_id      INTEGER NOT NULL REFERENCES credit_grants(id),
    appointment   TEXT NOT NULL REFERENCES appointments(id),
    credits       INTEGER NOT NULL CHECK (credits > 0),
    returned      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX credit_uses_appointment ON credit_uses(appointment);

CREATE TABLE journal (
    id            INTEGER PRIMARY KEY,
    on_date       TEXT NOT NULL,
    account_code  TEXT NOT NULL,
    debit_cents   INTEGER NOT NULL DEFAULT 0,
    credit_cents  INTEGER NOT NULL DEFAULT 0,
    description   TEXT NOT NULL,
    source        TEXT NOT NULL
);

-- Seat plans (seed 003): usage charged on the next invoice.
CREATE TABLE usage (
    id            INTEGER PRIMARY KEY,
    account       TEXT NOT NULL REFERENCES accounts(id),
    metric        TEXT NOT NULL,
    quantity      INTEGER NOT NULL CHECK (quantity > 0),
    on_date       TEXT NOT NULL,
    invoice_line  INTEGER REFERENCES invoice_lines(id)
);

-- Mediation (seed 002).
CREATE TABLE hours (
    id            INTEGER PRIMARY KEY,
    placement     TEXT NOT NULL,
    work_date     TEXT NOT NULL,
    hours100      INTEGER NOT NULL CHECK (hours100 > 0),
    status        TEXT NOT NULL CHECK (status = 'draft' OR status = 'submitted' OR status = 'approved' OR status = 'invoiced'),
    invoice       INTEGER REFERENCES invoices(id),
    created       TEXT NOT NULL
);

-- The outbox: one message per (event, key, step), whatever reruns.
CREATE TABLE outbox (
    id            INTEGER PRIMARY KEY,
    event         TEXT NOT NULL,
    key           TEXT NOT NULL,
    step          INTEGER NOT NULL DEFAULT 0,
    invoice       INTEGER REFERENCES invoices(id),
    account       TEXT REFERENCES accounts(id),
    template      TEXT NOT NULL,
    to_addr       TEXT NOT NULL,
    to_name       TEXT NOT NULL,
    subject       TEXT,
    body          TEXT,
    attach_pdf    INTEGER NOT NULL DEFAULT 0,
    status        TEXT NOT NULL CHECK (status = 'scheduled' OR status = 'queued' OR status = 'sending' OR status = 'sent' OR status = 'failed' OR status = 'cancelled'),
    send_at       TEXT NOT NULL,   -- 'YYYY-MM-DD HH:MM'
    attempts      INTEGER NOT NULL DEFAULT 0,
    next_try      TEXT,
    last_reply    TEXT,
    sent_at       TEXT,
    UNIQUE (event, key, step)
);
CREATE INDEX outbox_due ON outbox(status, send_at);
