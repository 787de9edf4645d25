-- daily_proration.lua — prorate(ctx): bill a partly active period by the
-- day. A subscription that runs 10 of a period's 30 days pays 10/30 of the
-- price, rounded to the nearest cent (halves up), in whole integer cents.
--
-- Bind it in YAML as the `prorate` hook of a practice or subscription type.
--
-- ctx fields used:
--   ctx.price        cents for the whole period: the unit price in force on
--                    the period's first day times ctx.quantity
--   ctx.active_days  days of the period the subscription runs
--   ctx.period_days  days in the period
-- Also passed (unused here): ctx.unit_price, ctx.quantity, ctx.period_start,
-- ctx.period_end, ctx.paused_days, ctx.run_date, ctx.account.id,
-- ctx.account.name, ctx.subscription.id, ctx.subscription.type,
-- ctx.subscription.start.
--
-- Returns the cents the period is billed at (for all units).

function prorate(ctx)
  if ctx.active_days <= 0 then
    return 0
  end
  if ctx.active_days >= ctx.period_days then
    return ctx.price
  end
  return cb.muldiv(ctx.price, ctx.active_days, ctx.period_days)
end
