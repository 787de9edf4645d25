function prorate(ctx)
  error("seen: " .. tostring({}) .. ", " .. tostring(prorate) .. ", " ..
        string.format("%s", {}))
end
