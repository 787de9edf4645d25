-- pg/005_accounts.sql — the twin of schema/005_accounts.sql in PostgreSQL's dialect
-- (see pg/001_ledger.sql for what differs and why).
--
-- 005_accounts.sql — accounts change after they are added (issue 11,
-- item 4). An account can be deactivated (no new subscriptions or product
-- invoices; open items stay collectable). Every change made by `account
-- update` or `account deactivate` is kept in account_changes (what, old,
-- new, when); a replaced direct-debit mandate is kept in
-- account_mandates, with whether it had been collected on, and the
-- account's mandate_used goes back to 0 so the new mandate's first
-- collection is a FRST.
ALTER TABLE accounts ADD COLUMN active BIGINT NOT NULL DEFAULT 1;

CREATE TABLE account_changes (
    id          BIGINT PRIMARY KEY,
    account     TEXT COLLATE "C" NOT NULL REFERENCES accounts(id) DEFERRABLE,
    field       TEXT COLLATE "C" NOT NULL,
    old_value   TEXT COLLATE "C",
    new_value   TEXT COLLATE "C",
    changed_on  TEXT COLLATE "C" NOT NULL
);
CREATE FUNCTION account_changes_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.id IS NULL THEN
        NEW.id := (SELECT COALESCE(MAX(id), 0) + 1 FROM account_changes);
    END IF;
    PERFORM set_config('carebill.last_id', NEW.id::text, false);
    RETURN NEW;
END $$;
CREATE TRIGGER account_changes_id BEFORE INSERT ON account_changes FOR EACH ROW EXECUTE FUNCTION account_changes_id();
CREATE INDEX account_changes_account ON account_changes(account);

CREATE TABLE account_mandates (
    id            BIGINT PRIMARY KEY,
    account       TEXT COLLATE "C" NOT NULL REFERENCES accounts(id) DEFERRABLE,
    mandate_id    TEXT COLLATE "C" NOT NULL,
    mandate_date  TEXT COLLATE "C",
    iban          TEXT COLLATE "C",
    bic           TEXT COLLATE "C",
    mandate_used  BIGINT NOT NULL,
    replaced_on   TEXT COLLATE "C" NOT NULL
);
CREATE FUNCTION account_mandates_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.id IS NULL THEN
        NEW.id := (SELECT COALESCE(MAX(id), 0) + 1 FROM account_mandates);
    END IF;
    PERFORM set_config('carebill.last_id', NEW.id::text, false);
    RETURN NEW;
END $$;
CREATE TRIGGER account_mandates_id BEFORE INSERT ON account_mandates FOR EACH ROW EXECUTE FUNCTION account_mandates_id();
