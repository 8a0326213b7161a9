-- t8: the allocated emissions against independent inventories (study
-- option validation): metrics per reference, level and year.
return {
  kind = "table",
  optional = true, -- only when the study has validation = {...}
  inputs = { "validation" },
  build = function(I)
    local rows = {}
    for _, r in ipairs(I.validation.rows) do
      local m = r.m
      local dropped = {}
      for k, d in ipairs(m.dropped) do
        if k > 8 then dropped[#dropped + 1] = "..."; break end
        dropped[#dropped + 1] = tostring(d)
      end
      rows[#rows + 1] = { r.reference, r.level, r.year, m.n, m.r, m.r2, m.slope,
        m.intercept, m.rmse, m.mae, m.mape, m.bias, #m.dropped,
        table.concat(dropped, " ") }
    end
    return { title = "Table 8  Allocated emissions against independent inventories (Mt CO2)",
      columns = { "reference", "level", "year", "n", "r", "R2", "slope", "intercept", "RMSE",
        "MAE", "MAPE_pct", "bias", "missing", "missing_units" },
      rows = rows,
      note = "Pearson r, R² = r², slope and intercept of the least-squares fit of allocated on "
        .. "reference; RMSE, MAE and bias (allocated − reference) in Mt CO2; MAPE in percent. "
        .. "Units without a reference value are left out and listed." }
  end,
}
