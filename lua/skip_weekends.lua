-- skip_weekends.lua — reminder_at(ctx): send a payment reminder on the
-- date the reminder schedule gives, but never on a weekend: a Saturday or
-- Sunday moves to the following Monday.
--
-- Bind it in YAML as the `reminder_at` hook of a practice.
--
-- ctx fields used:
--   ctx.due_at       "YYYY-MM-DD", the date the YAML schedule gives
-- Also passed (unused here): ctx.invoice.number, ctx.invoice.issued,
-- ctx.invoice.due, ctx.invoice.open_cents, ctx.step (1-based),
-- ctx.run_date, ctx.account.id.
--
-- Returns the date the reminder is due, as "YYYY-MM-DD".

function reminder_at(ctx)
  local wd = cb.weekday(ctx.due_at)
  if wd == 6 then
    return cb.add_days(ctx.due_at, 2)
  elseif wd == 7 then
    return cb.add_days(ctx.due_at, 1)
  end
  return ctx.due_at
end
