function prorate(ctx)
  local s = string.rep("a", 40)
  if s:find(string.rep("a-", 20) .. "b") then return 0 end
  return ctx.price
end
