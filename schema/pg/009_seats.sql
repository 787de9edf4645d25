-- pg/009_seats.sql — the twin of schema/009_seats.sql in PostgreSQL's dialect
-- (see pg/001_ledger.sql for what differs and why).
--
-- 009_seats.sql — seat plans for organisations (seed 003, issue 9). An
-- organisation has at most one plan at a time (org_plans, one row per
-- account): the plan and billing cycle in force, the anchor its periods
-- are counted from (the first billed day, then the day a change took
-- effect) and next_period, the first period not billed yet. Seats are
-- rows with the days they are active (until: the last day, NULL while
-- active); a seat id is in use once at a time. Usage keeps the price
-- in force when it was recorded and the caller's event key, so the same
-- event sent twice is one row. A discount code redeemed by an
-- organisation is a redemption with the invoices it has discounted so
-- far. A plan change waits in plan_changes until the period it takes
-- effect with (applied) or is cancelled before. plan_invoices holds one
-- row per organisation and period billed: a period is invoiced once.
CREATE TABLE org_plans (
    account      TEXT COLLATE "C" PRIMARY KEY REFERENCES accounts(id) DEFERRABLE,
    plan         TEXT COLLATE "C" NOT NULL,
    billing      TEXT COLLATE "C" NOT NULL CHECK (billing = 'monthly' OR billing = 'yearly'),
    start        TEXT COLLATE "C" NOT NULL,
    anchor       TEXT COLLATE "C" NOT NULL,
    next_period  TEXT COLLATE "C" NOT NULL,
    created      TEXT COLLATE "C" NOT NULL
);
CREATE INDEX org_plans_due ON org_plans(next_period);

CREATE TABLE seats (
    id           BIGINT PRIMARY KEY,
    account      TEXT COLLATE "C" NOT NULL REFERENCES accounts(id) DEFERRABLE,
    seat         TEXT COLLATE "C" NOT NULL,
    name         TEXT COLLATE "C",
    student      BIGINT NOT NULL DEFAULT 0,
    from_date    TEXT COLLATE "C" NOT NULL,
    until        TEXT COLLATE "C"
);
CREATE FUNCTION seats_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.id IS NULL THEN
        NEW.id := (SELECT COALESCE(MAX(id), 0) + 1 FROM seats);
    END IF;
    PERFORM set_config('carebill.last_id', NEW.id::text, false);
    RETURN NEW;
END $$;
CREATE TRIGGER seats_id BEFORE INSERT ON seats FOR EACH ROW EXECUTE FUNCTION seats_id();
CREATE UNIQUE INDEX seats_active ON seats(account, seat) WHERE until IS NULL;
CREATE INDEX seats_account ON seats(account);

ALTER TABLE usage ADD COLUMN event_key TEXT COLLATE "C";
ALTER TABLE usage ADD COLUMN unit_cents BIGINT;
CREATE UNIQUE INDEX usage_event_key ON usage(account, event_key)
    WHERE event_key IS NOT NULL;
CREATE INDEX usage_unbilled ON usage(account) WHERE invoice_line IS NULL;

CREATE TABLE discount_redemptions (
    id           BIGINT PRIMARY KEY,
    account      TEXT COLLATE "C" NOT NULL REFERENCES accounts(id) DEFERRABLE,
    code         TEXT COLLATE "C" NOT NULL,
    redeemed_on  TEXT COLLATE "C" NOT NULL,
    periods_used BIGINT NOT NULL DEFAULT 0
);
CREATE FUNCTION discount_redemptions_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.id IS NULL THEN
        NEW.id := (SELECT COALESCE(MAX(id), 0) + 1 FROM discount_redemptions);
    END IF;
    PERFORM set_config('carebill.last_id', NEW.id::text, false);
    RETURN NEW;
END $$;
CREATE TRIGGER discount_redemptions_id BEFORE INSERT ON discount_redemptions FOR EACH ROW EXECUTE FUNCTION discount_redemptions_id();
CREATE INDEX discount_redemptions_code ON discount_redemptions(code);
CREATE INDEX discount_redemptions_account ON discount_redemptions(account);

CREATE TABLE plan_changes (
    id           BIGINT PRIMARY KEY,
    account      TEXT COLLATE "C" NOT NULL REFERENCES accounts(id) DEFERRABLE,
    plan         TEXT COLLATE "C" NOT NULL,
    billing      TEXT COLLATE "C" NOT NULL CHECK (billing = 'monthly' OR billing = 'yearly'),
    asked_on     TEXT COLLATE "C" NOT NULL,
    effective    TEXT COLLATE "C" NOT NULL,
    cancelled    TEXT COLLATE "C",
    applied      TEXT COLLATE "C"
);
CREATE FUNCTION plan_changes_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.id IS NULL THEN
        NEW.id := (SELECT COALESCE(MAX(id), 0) + 1 FROM plan_changes);
    END IF;
    PERFORM set_config('carebill.last_id', NEW.id::text, false);
    RETURN NEW;
END $$;
CREATE TRIGGER plan_changes_id BEFORE INSERT ON plan_changes FOR EACH ROW EXECUTE FUNCTION plan_changes_id();
CREATE UNIQUE INDEX plan_changes_pending ON plan_changes(account)
    WHERE cancelled IS NULL AND applied IS NULL;

CREATE TABLE plan_invoices (
    account      TEXT COLLATE "C" NOT NULL REFERENCES accounts(id) DEFERRABLE,
    period_start TEXT COLLATE "C" NOT NULL,
    period_end   TEXT COLLATE "C" NOT NULL,
    plan         TEXT COLLATE "C" NOT NULL,
    invoice      BIGINT NOT NULL REFERENCES invoices(id) DEFERRABLE,
    PRIMARY KEY (account, period_start)
);
