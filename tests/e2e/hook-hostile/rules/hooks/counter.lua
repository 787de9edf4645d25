-- Tries to remember between calls, through a file-level local and
-- through _ENV; every call must start afresh and bill the same.
local calls = 0
function prorate(ctx)
  calls = calls + 1
  rawset(_ENV, "seen", (rawget(_ENV, "seen") or 0) + 1)
  return ctx.price - calls * 100 - seen * 10
end
