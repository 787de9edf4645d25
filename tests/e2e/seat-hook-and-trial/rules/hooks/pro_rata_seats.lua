-- Seats billed pro rata: the days each seat was active in the period,
-- summed, over the period's days, in hundredths of a seat. A seat added
-- on the 16th of a 31-day month counts as 0.52 of a seat.
function seats(ctx)
  return cb.muldiv(ctx.seat_days, 100, ctx.period_days)
end
