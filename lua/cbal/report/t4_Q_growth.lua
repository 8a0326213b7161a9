-- t4: growth of Q over the study years by city, region and province.
local aggregate = require "cbal.aggregate"

return {
  kind = "table",
  inputs = { "panel", "years" },
  build = function(I)
    local y0, y1 = I.years[1], I.years[#I.years]
    local rows = {}
    for _, key in ipairs({ "city", "region", "province" }) do
      local order, ser = aggregate.series(I.panel, key, { y0, y1 })
      local g = aggregate.growth(ser, "Q", y0, y1)
      for _, name in ipairs(order) do
        rows[#rows + 1] = { key, name, g[name].from, g[name].to, g[name].total * 100, g[name].aagr * 100 }
      end
    end
    return { title = ("Growth of Q %d-%d by city, region and province (%%)"):format(y0, y1),
      columns = { "level", "group", "Q_from", "Q_to", "total_pct", "aagr_pct" }, rows = rows }
  end,
}
