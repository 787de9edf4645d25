function prorate(ctx)
  return ctx.price * 1.0
end
