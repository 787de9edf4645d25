-- pg/001_ledger.sql — the practice's ledger in PostgreSQL's dialect, the
-- twin of schema/001_ledger.sql (same tables, columns in the same order,
-- same constraints and indexes). The practice lives in its own schema;
-- the ledger backend (engine/ledger/postgres.c) sets search_path to it.
-- What differs from SQLite and why:
--   * INTEGER is BIGINT: SQLite's integers are 64-bit, money is cents.
--   * TEXT is TEXT COLLATE "C": SQLite compares text byte by byte, so
--     every ORDER BY and comparison gives the same order on both engines
--     whatever the database's locale.
--   * An INTEGER PRIMARY KEY is a BIGINT filled, when the INSERT leaves it
--     out, with MAX(id) + 1 by a trigger, as SQLite assigns its rowid: a
--     rolled-back insert gives its id back, so ids match SQLite's exactly.
--     The trigger keeps the id in the session setting carebill.last_id,
--     which ledger_last_id reads (SQLite's last_insert_rowid).
--   * appointments has a TEXT key; SQLite's implicit rowid (insertion
--     order, which the credit statements sort by) is spelled out as a
--     rowid column filled the same way. A dump leaves it out.
--   * Foreign keys are DEFERRABLE (initially immediate, as in SQLite) so
--     that carebill migrate-ledger can copy tables in any order.

CREATE TABLE runs (
    id          BIGINT PRIMARY KEY,
    as_of       TEXT COLLATE "C" NOT NULL,
    started_at  TEXT COLLATE "C" NOT NULL,
    rules_hash  TEXT COLLATE "C" NOT NULL,
    invoices    BIGINT NOT NULL DEFAULT 0,
    messages    BIGINT NOT NULL DEFAULT 0
);
CREATE FUNCTION runs_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.id IS NULL THEN
        NEW.id := (SELECT COALESCE(MAX(id), 0) + 1 FROM runs);
    END IF;
    PERFORM set_config('carebill.last_id', NEW.id::text, false);
    RETURN NEW;
END $$;
CREATE TRIGGER runs_id BEFORE INSERT ON runs FOR EACH ROW EXECUTE FUNCTION runs_id();

CREATE TABLE accounts (
    id            TEXT COLLATE "C" PRIMARY KEY,
    name          TEXT COLLATE "C" NOT NULL,
    email         TEXT COLLATE "C" NOT NULL,
    kind          TEXT COLLATE "C" NOT NULL CHECK (kind = 'patient' OR kind = 'organisation' OR kind = 'client' OR kind = 'supplier'),
    address       TEXT COLLATE "C",
    locale        TEXT COLLATE "C",
    vat_number    TEXT COLLATE "C",
    iban          TEXT COLLATE "C",
    bic           TEXT COLLATE "C",
    mandate_id    TEXT COLLATE "C",
    mandate_date  TEXT COLLATE "C",
    mandate_used  BIGINT NOT NULL DEFAULT 0,   -- 1 after the first collection (FRST -> RCUR)
    reminders     BIGINT NOT NULL DEFAULT 1,   -- 0: opted out of payment reminders
    created       TEXT COLLATE "C" NOT NULL
);

-- Subscriptions (seed 000) and seat plans (seed 003). next_period is the
-- first period not yet decided; next_due the date it comes due (its
-- invoice date). Both are NULL once the subscription is finished.
CREATE TABLE subscriptions (
    id            BIGINT PRIMARY KEY,
    account       TEXT COLLATE "C" NOT NULL REFERENCES accounts(id) DEFERRABLE,
    type          TEXT COLLATE "C" NOT NULL,
    start         TEXT COLLATE "C" NOT NULL,
    end_on        TEXT COLLATE "C",            -- last active day (stop), NULL: open-ended
    stop_note     TEXT COLLATE "C",
    direct_debit  BIGINT NOT NULL DEFAULT 0,
    quantity      BIGINT NOT NULL DEFAULT 1,
    next_period   TEXT COLLATE "C",
    next_due      TEXT COLLATE "C",
    created       TEXT COLLATE "C" NOT NULL
);
CREATE FUNCTION subscriptions_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.id IS NULL THEN
        NEW.id := (SELECT COALESCE(MAX(id), 0) + 1 FROM subscriptions);
    END IF;
    PERFORM set_config('carebill.last_id', NEW.id::text, false);
    RETURN NEW;
END $$;
CREATE TRIGGER subscriptions_id BEFORE INSERT ON subscriptions FOR EACH ROW EXECUTE FUNCTION subscriptions_id();
CREATE INDEX subscriptions_due ON subscriptions(next_due) WHERE next_due IS NOT NULL;
CREATE INDEX subscriptions_account ON subscriptions(account);

CREATE TABLE pauses (
    id            BIGINT PRIMARY KEY,
    subscription  BIGINT NOT NULL REFERENCES subscriptions(id) DEFERRABLE,
    from_date     TEXT COLLATE "C" NOT NULL,
    until         TEXT COLLATE "C" NOT NULL,   -- last paused day; resumes the day after
    note          TEXT COLLATE "C"
);
CREATE FUNCTION pauses_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.id IS NULL THEN
        NEW.id := (SELECT COALESCE(MAX(id), 0) + 1 FROM pauses);
    END IF;
    PERFORM set_config('carebill.last_id', NEW.id::text, false);
    RETURN NEW;
END $$;
CREATE TRIGGER pauses_id BEFORE INSERT ON pauses FOR EACH ROW EXECUTE FUNCTION pauses_id();
CREATE INDEX pauses_subscription ON pauses(subscription);

-- Price changes scheduled from the command line; they override the rule
-- files' schedule on the same date.
CREATE TABLE price_changes (
    id            BIGINT PRIMARY KEY,
    type          TEXT COLLATE "C" NOT NULL,
    from_date     TEXT COLLATE "C" NOT NULL,
    price_cents   BIGINT NOT NULL CHECK (price_cents >= 0),
    created       TEXT COLLATE "C" NOT NULL,
    cancelled     TEXT COLLATE "C"
);
CREATE FUNCTION price_changes_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.id IS NULL THEN
        NEW.id := (SELECT COALESCE(MAX(id), 0) + 1 FROM price_changes);
    END IF;
    PERFORM set_config('carebill.last_id', NEW.id::text, false);
    RETURN NEW;
END $$;
CREATE TRIGGER price_changes_id BEFORE INSERT ON price_changes FOR EACH ROW EXECUTE FUNCTION price_changes_id();
CREATE UNIQUE INDEX price_changes_live ON price_changes(type, from_date) WHERE cancelled IS NULL;

-- Gapless numbering: one row per series (per year when the format has
-- {year}); last_seq only grows, inside the transaction that issues.
CREATE TABLE series (
    id            TEXT COLLATE "C" PRIMARY KEY,
    last_seq      BIGINT NOT NULL
);

CREATE TABLE invoices (
    id                  BIGINT PRIMARY KEY,
    number              TEXT COLLATE "C" NOT NULL UNIQUE,
    series              TEXT COLLATE "C" NOT NULL,
    seq                 BIGINT NOT NULL,
    kind                TEXT COLLATE "C" NOT NULL,
    account             TEXT COLLATE "C" NOT NULL REFERENCES accounts(id) DEFERRABLE,
    supplier            TEXT COLLATE "C" REFERENCES accounts(id) DEFERRABLE,
    issued              TEXT COLLATE "C" NOT NULL,
    due                 TEXT COLLATE "C" NOT NULL,
    locale              TEXT COLLATE "C" NOT NULL,
    prices_include_vat  BIGINT NOT NULL,
    net_cents           BIGINT NOT NULL,
    vat_cents           BIGINT NOT NULL,
    total_cents         BIGINT NOT NULL,
    paid_cents          BIGINT NOT NULL DEFAULT 0,
    status              TEXT COLLATE "C" NOT NULL DEFAULT 'open' CHECK (status = 'open' OR status = 'paid' OR status = 'credited'),
    credit_of           BIGINT REFERENCES invoices(id) DEFERRABLE,
    direct_debit        BIGINT NOT NULL DEFAULT 0,
    payment_reference   TEXT COLLATE "C" NOT NULL,
    rules_hash          TEXT COLLATE "C" NOT NULL,
    practitioner        TEXT COLLATE "C",
    run                 BIGINT REFERENCES runs(id) DEFERRABLE,
    UNIQUE (series, seq)
);
CREATE FUNCTION invoices_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.id IS NULL THEN
        NEW.id := (SELECT COALESCE(MAX(id), 0) + 1 FROM invoices);
    END IF;
    PERFORM set_config('carebill.last_id', NEW.id::text, false);
    RETURN NEW;
END $$;
CREATE TRIGGER invoices_id BEFORE INSERT ON invoices FOR EACH ROW EXECUTE FUNCTION invoices_id();
CREATE INDEX invoices_account ON invoices(account);
CREATE INDEX invoices_open ON invoices(status) WHERE status = 'open';

-- Each line keeps its own price, VAT and amounts and what produced it.
-- A subscription period can be charged once: the unique index below.
CREATE TABLE invoice_lines (
    id            BIGINT PRIMARY KEY,
    invoice       BIGINT NOT NULL REFERENCES invoices(id) DEFERRABLE,
    position      BIGINT NOT NULL,
    description   TEXT COLLATE "C" NOT NULL,
    qty100        BIGINT NOT NULL,
    unit_cents    BIGINT NOT NULL,
    amount_cents  BIGINT NOT NULL,
    vat_id        TEXT COLLATE "C" NOT NULL,
    vat_bp        BIGINT NOT NULL,
    vat_exempt    BIGINT NOT NULL,
    vat_text      TEXT COLLATE "C",
    source        TEXT COLLATE "C" NOT NULL,
    subscription  BIGINT REFERENCES subscriptions(id) DEFERRABLE,
    period_start  TEXT COLLATE "C",
    period_end    TEXT COLLATE "C",
    ref           TEXT COLLATE "C",
    why           TEXT COLLATE "C",
    credits_line  BIGINT REFERENCES invoice_lines(id) DEFERRABLE
);
CREATE FUNCTION invoice_lines_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.id IS NULL THEN
        NEW.id := (SELECT COALESCE(MAX(id), 0) + 1 FROM invoice_lines);
    END IF;
    PERFORM set_config('carebill.last_id', NEW.id::text, false);
    RETURN NEW;
END $$;
CREATE TRIGGER invoice_lines_id BEFORE INSERT ON invoice_lines FOR EACH ROW EXECUTE FUNCTION invoice_lines_id();
CREATE INDEX invoice_lines_invoice ON invoice_lines(invoice);
CREATE UNIQUE INDEX invoice_lines_period ON invoice_lines(subscription, period_start)
    WHERE subscription IS NOT NULL AND credits_line IS NULL;

CREATE TABLE payments (
    id            BIGINT PRIMARY KEY,
    invoice       BIGINT NOT NULL REFERENCES invoices(id) DEFERRABLE,
    amount_cents  BIGINT NOT NULL,
    on_date       TEXT COLLATE "C" NOT NULL,
    method        TEXT COLLATE "C" NOT NULL,   -- manual, bank, direct_debit, credit_note
    bank_ref      TEXT COLLATE "C" UNIQUE,     -- statement entry, so an import is idempotent
    note          TEXT COLLATE "C",
    created       TEXT COLLATE "C" NOT NULL
);
CREATE FUNCTION payments_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.id IS NULL THEN
        NEW.id := (SELECT COALESCE(MAX(id), 0) + 1 FROM payments);
    END IF;
    PERFORM set_config('carebill.last_id', NEW.id::text, false);
    RETURN NEW;
END $$;
CREATE TRIGGER payments_id BEFORE INSERT ON payments FOR EACH ROW EXECUTE FUNCTION payments_id();
CREATE INDEX payments_invoice ON payments(invoice);

-- Packages and credits (seed 001).
CREATE TABLE credit_grants (
    id            BIGINT PRIMARY KEY,
    account       TEXT COLLATE "C" NOT NULL REFERENCES accounts(id) DEFERRABLE,
    package       TEXT COLLATE "C" NOT NULL,
    credits       BIGINT NOT NULL CHECK (credits > 0),
    rate_cents    BIGINT NOT NULL,
    granted_on    TEXT COLLATE "C" NOT NULL,
    source        TEXT COLLATE "C" NOT NULL CHECK (source = 'invoice' OR source = 'import'),
    invoice_line  BIGINT UNIQUE REFERENCES invoice_lines(id) DEFERRABLE,
    withdrawn     BIGINT NOT NULL DEFAULT 0
);
CREATE FUNCTION credit_grants_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.id IS NULL THEN
        NEW.id := (SELECT COALESCE(MAX(id), 0) + 1 FROM credit_grants);
    END IF;
    PERFORM set_config('carebill.last_id', NEW.id::text, false);
    RETURN NEW;
END $$;
CREATE TRIGGER credit_grants_id BEFORE INSERT ON credit_grants FOR EACH ROW EXECUTE FUNCTION credit_grants_id();
CREATE INDEX credit_grants_account ON credit_grants(account, package);

CREATE TABLE appointments (
    id            TEXT COLLATE "C" PRIMARY KEY,
    account       TEXT COLLATE "C" NOT NULL REFERENCES accounts(id) DEFERRABLE,
    type          TEXT COLLATE "C" NOT NULL,
    at            TEXT COLLATE "C" NOT NULL,
    status        TEXT COLLATE "C" NOT NULL CHECK (status = 'booked' OR status = 'cancelled'),
    invoice       BIGINT REFERENCES invoices(id) DEFERRABLE,
    created       TEXT COLLATE "C" NOT NULL,
    rowid         BIGINT NOT NULL UNIQUE
);
CREATE FUNCTION appointments_rowid() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.rowid IS NULL THEN
        NEW.rowid := (SELECT COALESCE(MAX(rowid), 0) + 1 FROM appointments);
    END IF;
    PERFORM set_config('carebill.last_id', NEW.rowid::text, false);
    RETURN NEW;
END $$;
CREATE TRIGGER appointments_rowid BEFORE INSERT ON appointments FOR EACH ROW EXECUTE FUNCTION appointments_rowid();

CREATE TABLE credit_uses (
    id            BIGINT PRIMARY KEY,
    grant_id      BIGINT NOT NULL REFERENCES credit_grants(id) DEFERRABLE,
    appointment   TEXT COLLATE "C" NOT NULL REFERENCES appointments(id) DEFERRABLE,
    credits       BIGINT NOT NULL CHECK (credits > 0),
    returned      BIGINT NOT NULL DEFAULT 0
);
CREATE FUNCTION credit_uses_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.id IS NULL THEN
        NEW.id := (SELECT COALESCE(MAX(id), 0) + 1 FROM credit_uses);
    END IF;
    PERFORM set_config('carebill.last_id', NEW.id::text, false);
    RETURN NEW;
END $$;
CREATE TRIGGER credit_uses_id BEFORE INSERT ON credit_uses FOR EACH ROW EXECUTE FUNCTION credit_uses_id();
CREATE INDEX credit_uses_appointment ON credit_uses(appointment);

CREATE TABLE journal (
    id            BIGINT PRIMARY KEY,
    on_date       TEXT COLLATE "C" NOT NULL,
    account_code  TEXT COLLATE "C" NOT NULL,
    debit_cents   BIGINT NOT NULL DEFAULT 0,
    credit_cents  BIGINT NOT NULL DEFAULT 0,
    description   TEXT COLLATE "C" NOT NULL,
    source        TEXT COLLATE "C" NOT NULL
);
CREATE FUNCTION journal_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.id IS NULL THEN
        NEW.id := (SELECT COALESCE(MAX(id), 0) + 1 FROM journal);
    END IF;
    PERFORM set_config('carebill.last_id', NEW.id::text, false);
    RETURN NEW;
END $$;
CREATE TRIGGER journal_id BEFORE INSERT ON journal FOR EACH ROW EXECUTE FUNCTION journal_id();

-- Seat plans (seed 003): usage charged on the next invoice.
CREATE TABLE usage (
    id            BIGINT PRIMARY KEY,
    account       TEXT COLLATE "C" NOT NULL REFERENCES accounts(id) DEFERRABLE,
    metric        TEXT COLLATE "C" NOT NULL,
    quantity      BIGINT NOT NULL CHECK (quantity > 0),
    on_date       TEXT COLLATE "C" NOT NULL,
    invoice_line  BIGINT REFERENCES invoice_lines(id) DEFERRABLE
);
CREATE FUNCTION usage_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.id IS NULL THEN
        NEW.id := (SELECT COALESCE(MAX(id), 0) + 1 FROM usage);
    END IF;
    PERFORM set_config('carebill.last_id', NEW.id::text, false);
    RETURN NEW;
END $$;
CREATE TRIGGER usage_id BEFORE INSERT ON usage FOR EACH ROW EXECUTE FUNCTION usage_id();

-- Mediation (seed 002).
CREATE TABLE hours (
    id            BIGINT PRIMARY KEY,
    placement     TEXT COLLATE "C" NOT NULL,
    work_date     TEXT COLLATE "C" NOT NULL,
    hours100      BIGINT NOT NULL CHECK (hours100 > 0),
    status        TEXT COLLATE "C" NOT NULL CHECK (status = 'draft' OR status = 'submitted' OR status = 'approved' OR status = 'invoiced'),
    invoice       BIGINT REFERENCES invoices(id) DEFERRABLE,
    created       TEXT COLLATE "C" NOT NULL
);
CREATE FUNCTION hours_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.id IS NULL THEN
        NEW.id := (SELECT COALESCE(MAX(id), 0) + 1 FROM hours);
    END IF;
    PERFORM set_config('carebill.last_id', NEW.id::text, false);
    RETURN NEW;
END $$;
CREATE TRIGGER hours_id BEFORE INSERT ON hours FOR EACH ROW EXECUTE FUNCTION hours_id();

-- The outbox: one message per (event, key, step), whatever reruns.
CREATE TABLE outbox (
    id            BIGINT PRIMARY KEY,
    event         TEXT COLLATE "C" NOT NULL,
    key           TEXT COLLATE "C" NOT NULL,
    step          BIGINT NOT NULL DEFAULT 0,
    invoice       BIGINT REFERENCES invoices(id) DEFERRABLE,
    account       TEXT COLLATE "C" REFERENCES accounts(id) DEFERRABLE,
    template      TEXT COLLATE "C" NOT NULL,
    to_addr       TEXT COLLATE "C" NOT NULL,
    to_name       TEXT COLLATE "C" NOT NULL,
    subject       TEXT COLLATE "C",
    body          TEXT COLLATE "C",
    attach_pdf    BIGINT NOT NULL DEFAULT 0,
    status        TEXT COLLATE "C" NOT NULL CHECK (status = 'scheduled' OR status = 'queued' OR status = 'sending' OR status = 'sent' OR status = 'failed' OR status = 'cancelled'),
    send_at       TEXT COLLATE "C" NOT NULL,   -- 'YYYY-MM-DD HH:MM'
    attempts      BIGINT NOT NULL DEFAULT 0,
    next_try      TEXT COLLATE "C",
    last_reply    TEXT COLLATE "C",
    sent_at       TEXT COLLATE "C",
    UNIQUE (event, key, step)
);
CREATE FUNCTION outbox_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.id IS NULL THEN
        NEW.id := (SELECT COALESCE(MAX(id), 0) + 1 FROM outbox);
    END IF;
    PERFORM set_config('carebill.last_id', NEW.id::text, false);
    RETURN NEW;
END $$;
CREATE TRIGGER outbox_id BEFORE INSERT ON outbox FOR EACH ROW EXECUTE FUNCTION outbox_id();
CREATE INDEX outbox_due ON outbox(status, send_at);
