-- t4: C, N and Q per prefecture city and year.
local aggregate = require "cbal.aggregate"

return {
  kind = "table", html = "details", summary = "Q per city and year",
  inputs = { "panel", "years" },
  build = function(I)
    local order, ser = aggregate.series(I.panel, "city", I.years)
    local rows = {}
    for _, c in ipairs(order) do
      for _, y in ipairs(I.years) do
        rows[#rows + 1] = { c, y, ser[c][y].C, ser[c][y].N, ser[c][y].Q }
      end
    end
    return { title = "Q per prefecture city and year (C, N in Mt CO2)",
      columns = { "city", "year", "C_Mt", "N_Mt", "Q" }, rows = rows }
  end,
}
