function prorate(ctx)
  return math.maxinteger - 7
end
