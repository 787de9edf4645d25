-- 015_cursors.sql — one billing cursor per cohort of subscriptions
-- (issue 15). Each subscription kept its cursor (next_period, the first
-- period not yet decided, and next_due, the date it comes due) in its own
-- row, so a run rewrote every billed subscription and moved its entry in
-- the index subscriptions_due, although most subscriptions move in step:
-- the same cursor before a run, the same after it.
--   * cursors holds each cursor value once; a subscription points at the
--     row of its value (subscriptions.cursor), NULL when nothing is left
--     to bill (next_period was NULL). The run walks the due cursors by
--     next_due and each one's members by id (subscriptions_cursor), and
--     moves a whole cohort with one write to its cursors row; only a
--     subscription whose billing goes another way (a stop, a pause, the
--     end of billing) is pointed at another row (engine/usecase/tick.c).
--   * A row with next_period set and next_due NULL was never made by
--     carebill and was never billed by a run (the run read next_due): it
--     gets no cursor, as one with next_period NULL.
--   * next_period, next_due and subscriptions_due go; the store reads a
--     subscription's cursor through the join (store/subscriptions.c).
CREATE TABLE cursors (
    id           INTEGER PRIMARY KEY,
    next_period  TEXT NOT NULL,
    next_due     TEXT NOT NULL,
    UNIQUE (next_period, next_due)
);
CREATE INDEX cursors_due ON cursors(next_due);
INSERT INTO cursors(id, next_period, next_due)
SELECT ROW_NUMBER() OVER (ORDER BY next_due, next_period), next_period,
       next_due
FROM (SELECT DISTINCT next_period, next_due FROM subscriptions
      WHERE next_period IS NOT NULL AND next_due IS NOT NULL);
ALTER TABLE subscriptions ADD COLUMN cursor INTEGER REFERENCES cursors(id);
UPDATE subscriptions SET cursor = (SELECT c.id FROM cursors c
    WHERE c.next_period = subscriptions.next_period
      AND c.next_due = subscriptions.next_due);
DROP INDEX subscriptions_due;
ALTER TABLE subscriptions DROP COLUMN next_period;
ALTER TABLE subscriptions DROP COLUMN next_due;
CREATE INDEX subscriptions_cursor ON subscriptions(cursor, id);
