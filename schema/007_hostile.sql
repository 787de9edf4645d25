-- 007_hostile.sql — mail exactly-once as far as SMTP allows (issue 14):
-- a message taken by `outbox send` stays 'queued' with the sender that
-- took it in claimed_by ("PID:START", see base/proc.h) until it is handed
-- to the server; only then is it 'sending'. A sender killed before the
-- hand-over leaves it queued (its claim is dropped by the next run, once
-- that sender is gone), and a run never settles another live sender's
-- messages.
ALTER TABLE outbox ADD COLUMN claimed_by TEXT;
