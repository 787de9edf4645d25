-- Seats billed at the period's peak: the most seats active on any day.
function seats(ctx)
  return ctx.peak * 100
end
