-- t2: counties per sequestration class in the map years (the classes of
-- Fig. 2's legend).
local cbal = require "cbal"
local common = require "cbal.report.common"
local classes = require "cbal.report.classes"

return {
  kind = "table",
  inputs = { "panel", "map_years" },
  build = function(I)
    local edges = classes.sequestration(I.panel, I.map_years)
    local head, rows = { "year" }, {}
    for k = 1, #edges - 1 do
      head[#head + 1] = ("N_%s_%s"):format(common.fmt(edges[k]), common.fmt(edges[k + 1]))
    end
    for _, y in ipairs(I.map_years) do
      local _, counts = cbal.classify_breaks(I.panel:get("N", y), edges)
      local r = { y }
      for k = 1, #edges - 1 do r[#r + 1] = counts[k] or 0 end
      rows[#rows + 1] = r
    end
    return { title = "Counties per sequestration class (N in Mt CO2; " ..
      "Jenks breaks shared by the map years)", columns = head, rows = rows }
  end,
}
