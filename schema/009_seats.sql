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
    account      TEXT PRIMARY KEY REFERENCES accounts(id),
    plan         TEXT NOT NULL,
    billing      TEXT NOT NULL CHECK (billing = 'monthly' OR billing = 'yearly'),
    start        TEXT NOT NULL,
    anchor       TEXT NOT NULL,
    next_period  TEXT NOT NULL,
    created      TEXT NOT NULL
);
CREATE INDEX org_plans_due ON org_plans(next_period);

CREATE TABLE seats (
    id           INTEGER PRIMARY KEY,
    account      TEXT NOT NULL REFERENCES accounts(id),
    seat         TEXT NOT NULL,
    name         TEXT,
    student      INTEGER NOT NULL DEFAULT 0,
    from_date    TEXT NOT NULL,
    until        TEXT
);
CREATE UNIQUE INDEX seats_active ON seats(account, seat) WHERE until IS NULL;
CREATE INDEX seats_account ON seats(account);

ALTER TABLE usage ADD COLUMN event_key TEXT;
ALTER TABLE usage ADD COLUMN unit_cents INTEGER;
CREATE UNIQUE INDEX usage_event_key ON usage(account, event_key)
    WHERE event_key IS NOT NULL;
CREATE INDEX usage_unbilled ON usage(account) WHERE invoice_line IS NULL;

CREATE TABLE discount_redemptions (
    id           INTEGER PRIMARY KEY,
    account      TEXT NOT NULL REFERENCES accounts(id),
    code         TEXT NOT NULL,
    redeemed_on  TEXT NOT NULL,
    periods_used INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX discount_redemptions_code ON discount_redemptions(code);
CREATE INDEX discount_redemptions_account ON discount_redemptions(account);

CREATE TABLE plan_changes (
    id           INTEGER PRIMARY KEY,
    account      TEXT NOT NULL REFERENCES accounts(id),
    plan         TEXT NOT NULL,
    billing      TEXT NOT NULL CHECK (billing = 'monthly' OR billing = 'yearly'),
    asked_on     TEXT NOT NULL,
    effective    TEXT NOT NULL,
    cancelled    TEXT,
    applied      TEXT
);
CREATE UNIQUE INDEX plan_changes_pending ON plan_changes(account)
    WHERE cancelled IS NULL AND applied IS NULL;

CREATE TABLE plan_invoices (
    account      TEXT NOT NULL REFERENCES accounts(id),
    period_start TEXT NOT NULL,
    period_end   TEXT NOT NULL,
    plan         TEXT NOT NULL,
    invoice      INTEGER NOT NULL REFERENCES invoices(id),
    PRIMARY KEY (account, period_start)
);
