-- t13 (counts): counties in each Tapio state per period (study option
-- spatial).
local sc = require "cbal.report.spatial_common"

return {
  kind = "table",
  optional = true,
  inputs = { "spatial" },
  build = function(I)
    local list = I.spatial.tapio
    local labels = list[1].labels
    local columns, rows = { "period" }, {}
    for k = 1, 8 do columns[#columns + 1] = labels[k] end
    columns[#columns + 1] = labels[0]
    for _, t in ipairs(list) do
      local r = { sc.period_label(t) }
      for k = 1, 8 do r[#r + 1] = t.counts[labels[k]] end
      r[#r + 1] = t.counts[labels[0]]
      rows[#rows + 1] = r
    end
    return { title = "Table 13b  Counties per Tapio state and period", columns = columns,
      rows = rows }
  end,
}
