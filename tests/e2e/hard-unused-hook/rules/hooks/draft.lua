-- A hook still being written: nothing binds it yet.
function prorate(ctx)
  return ctx.price * ctx.active_days //
end
