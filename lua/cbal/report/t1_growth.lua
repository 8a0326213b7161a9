-- t1: growth of per-capita emissions and of emission intensity per period
-- (by default the paper's 2000-2010 and 2010-2021), total and average
-- annual, for the aggregate ratio and for the mean of county ratios.
local cbal = require "cbal"

local WHAT = { { "per_capita", "per-capita emissions" }, { "intensity", "emission intensity" } }

return {
  kind = "table",
  inputs = { "ind", "per_capita_periods" },
  build = function(I)
    local rows = {}
    for _, pr in ipairs(I.per_capita_periods) do
      local a, b = I.ind[pr[1]], I.ind[pr[2]]
      for _, w in ipairs(WHAT) do
        for _, m in ipairs({ "aggregate", "mean_of_counties" }) do
          local x0, x1 = a[w[1]][m], b[w[1]][m]
          local total, aagr = cbal.growth(x0, x1, pr[2] - pr[1])
          rows[#rows + 1] = { w[1], m, pr[1] .. "-" .. pr[2], x0 * 100, x1 * 100, total * 100, aagr * 100 }
        end
      end
    end
    return { title = "Growth of per-capita emissions (t CO2 per person) and emission intensity " ..
      "(t CO2 per 10k yuan): total (%) and average annual growth rate (%), for the aggregate ratio " ..
      "and the mean of county ratios",
      columns = { "variable", "measure", "period", "from", "to", "total_pct", "aagr_pct" }, rows = rows }
  end,
}
