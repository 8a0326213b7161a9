-- Class edges shared by a table and its figure (t2 and Fig. 2): computed
-- from the data by one function, so neither depends on the other.
local common = require "cbal.report.common"

local M = {}

-- Edges of the sequestration classes: Jenks (5 classes) on N pooled over
-- the map years.
function M.sequestration(panel, map_years)
  return common.pooled_breaks(panel, map_years, "N", 5)
end

-- The Q classes of t5 and Fig. 5: {label, from, to} with from <= Q < to.
M.Q = { { "Q < 1", -math.huge, 1 }, { "1 <= Q < 10", 1, 10 },
        { "10 <= Q < 40", 10, 40 }, { "Q >= 40", 40, math.huge } }

return M
