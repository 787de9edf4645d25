-- A syntax error: reported by `check` together with the YAML errors.
function prorate(ctx)
  return ctx.price +
end
