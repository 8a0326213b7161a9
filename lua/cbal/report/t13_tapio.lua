-- t13: Tapio's decoupling of emissions C from GDP G for each county and
-- period (study option spatial).
local sc = require "cbal.report.spatial_common"

return {
  kind = "table", html = "details", summary = "Tapio state of each county",
  optional = true,
  inputs = { "spatial" },
  build = function(I)
    local s = I.spatial
    local p = s.panel
    local columns = { "code", "name", "city", "region" }
    for _, t in ipairs(s.tapio) do
      local pl = ("%d_%d"):format(t.from, t.to)
      for _, c in ipairs({ "dC_pct_", "dG_pct_", "e_", "state_" }) do columns[#columns + 1] = c .. pl end
    end
    local rows = {}
    for i = 1, p.n do
      local r = { sc.county(p, i) }
      for _, t in ipairs(s.tapio) do
        local c0, c1 = p:get("C", t.from)[i], p:get("C", t.to)[i]
        local g0, g1 = p:get("G", t.from)[i], p:get("G", t.to)[i]
        r[#r + 1] = 100 * (c1 - c0) / c0
        r[#r + 1] = 100 * (g1 - g0) / g0
        r[#r + 1] = t.e[i]
        r[#r + 1] = t.labels[math.tointeger(t.state[i])]
      end
      rows[i] = r
    end
    return { title = "Table 13  Tapio decoupling of emissions from GDP per county and period",
      columns = columns, rows = rows,
      note = "e = (ΔC/C) / (ΔG/G) (Tapio 2005); cuts at 0.8 and 1.2." }
  end,
}
