function prorate(ctx)
  return ctx.price / 2 + 0.5
end
