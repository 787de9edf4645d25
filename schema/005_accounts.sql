-- 005_accounts.sql — accounts change after they are added (issue 11,
-- item 4). An account can be deactivated (no new subscriptions or product
-- invoices; open items stay collectable). Every change made by `account
-- update` or `account deactivate` is kept in account_changes (what, old,
-- new, when); a replaced direct-debit mandate is kept in
-- account_mandates, with whether it had been collected on, and the
-- account's mandate_used goes back to 0 so the new mandate's first
-- collection is a FRST.
ALTER TABLE accounts ADD COLUMN active INTEGER NOT NULL DEFAULT 1;

CREATE TABLE account_changes (
    id          INTEGER PRIMARY KEY,
    account     TEXT NOT NULL REFERENCES accounts(id),
    field       TEXT NOT NULL,
    old_value   TEXT,
    new_value   TEXT,
    changed_on  TEXT NOT NULL
);
CREATE INDEX account_changes_account ON account_changes(account);

CREATE TABLE account_mandates (
    id            INTEGER PRIMARY KEY,
    account       TEXT NOT NULL REFERENCES accounts(id),
    mandate_id    TEXT NOT NULL,
    mandate_date  TEXT,
    iban          TEXT,
    bic           TEXT,
    mandate_used  INTEGER NOT NULL,
    replaced_on   TEXT NOT NULL
);
