-- Zoning of the counties by the criteria (loaded once by the criteria step)
-- over ECC, ESC, Q and the inputs.
local zoning = require "cbal.zoning"

local M = { name = "zones" }

function M.run(S)
  local p, vars = S.panel, {}
  for _, v in ipairs({ "ECC", "ESC", "Q", "C", "N", "G", "P", "S" }) do
    vars[v] = {}
    for _, y in ipairs(S.years) do vars[v][y] = p:get(v, y) end
  end
  S.zones, S.zone_counts, S.zone_info = zoning.classify(S.criteria_table, vars,
    { source = S.criteria_source })
end

return M
