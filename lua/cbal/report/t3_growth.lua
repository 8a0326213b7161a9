-- t3: provincial growth of C, N and Q per growth period.
local aggregate = require "cbal.aggregate"

return {
  kind = "table",
  inputs = { "panel", "years", "growth_periods" },
  build = function(I)
    local _, pser = aggregate.series(I.panel, "province", I.years)
    local rows = {}
    for _, pr in ipairs(I.growth_periods) do
      for _, v in ipairs({ "C", "N", "Q" }) do
        local g = aggregate.growth(pser, v, pr[1], pr[2])
        for _, r in pairs(g) do
          rows[#rows + 1] = { v, pr[1] .. "-" .. pr[2], r.from, r.to, r.total * 100, r.aagr * 100 }
        end
      end
    end
    return { title = "Provincial growth: total (%) and average annual growth rate (%)",
      columns = { "variable", "period", "from", "to", "total_pct", "aagr_pct" }, rows = rows }
  end,
}
