-- daily_proration.lua — prorate(ctx): bill a partly active period by the
-- day. A subscription that runs 10 of a period's 30 days pays 10/30 of the
-- price, rounded to the nearest cent (halves up), in whole integer cents.
--
-- Bind it in YAML as the `prorate` hook of a practice or subscription type.
--
-- ctx fields used:
--   ctx.price        cents per unit for the period (price in force on the
--                    period's first day)
--   ctx.active_days  days of the period the subscription runs
--   ctx.period_days  days in the period
-- Also passed (unused here): ctx.quantity, ctx.period_start,
-- ctx.period_end, ctx.paused_days, ctx.run_date, ctx.account.id,
-- ctx.account.name, ctx.subscription.id, ctx.subscription.type,
-- ctx.subscription.start.
--
-- Returns cents for one unit; the engine multiplies by ctx.quantity.

function prorate(ctx)
  if ctx.active_days <= 0 then
    return 0
  end
  if ctx.active_days >= ctx.period_days then
    return ctx.price
  end
  return cb.muldiv(ctx.price, ctx.active_days, ctx.period_days)
end
