-- tiered.lua — commission(ctx): the supplier pays 10% of the first
-- 1000.00 of a month's hours and 5% above, at least 25.00; the client's
-- commission stays the placement's rule (nil). A test case also makes it
-- answer more than the hours are worth for bram-oost, which is refused.
function commission(ctx)
  if ctx.party ~= "supplier" then
    return nil
  end
  if ctx.placement.id == "bram-oost" then
    return ctx.value + 1
  end
  local v = ctx.value
  local c
  if v <= 100000 then
    c = cb.muldiv(v, 10, 100)
  else
    c = 10000 + cb.muldiv(v - 100000, 5, 100)
  end
  if c < 2500 then
    c = 2500
  end
  return c
end
