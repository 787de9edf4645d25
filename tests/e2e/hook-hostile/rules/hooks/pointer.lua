function prorate(ctx)
  return #string.format("%p", {})
end
