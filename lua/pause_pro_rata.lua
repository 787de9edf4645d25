-- pause_pro_rata.lua — pause(ctx): bill a partly paused period for the
-- days it was not paused: price x (period_days - paused_days) /
-- period_days, rounded to the nearest cent (halves up). A wholly paused
-- period costs nothing.
--
-- Bind it in YAML as the `pause` hook of a practice or subscription type.
--
-- ctx fields used:
--   ctx.price        cents for the whole period: the unit price in force on
--                    the period's first day times ctx.quantity
--   ctx.paused_days  days of the period the subscription is paused
--   ctx.period_days  days in the period
-- Also passed (unused here): ctx.unit_price, ctx.quantity, ctx.period_start,
-- ctx.period_end, ctx.active_days, ctx.run_date, ctx.account.id,
-- ctx.account.name, ctx.subscription.id, ctx.subscription.type,
-- ctx.subscription.start.
--
-- Returns the cents the period is billed at (for all units).

function pause(ctx)
  local billed = ctx.period_days - ctx.paused_days
  if billed <= 0 then
    return 0
  end
  return cb.muldiv(ctx.price, billed, ctx.period_days)
end
