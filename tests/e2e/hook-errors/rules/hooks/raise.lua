function prorate(ctx)
  if ctx.active_days < ctx.period_days then
    error("no partial periods for " .. ctx.account.id)
  end
  return ctx.price
end
