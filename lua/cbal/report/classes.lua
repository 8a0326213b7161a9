-- The classes shared by a table and its figure (t2 and Fig. 2 for
-- sequestration N, t5 and Fig. 5 for Q), computed by one function both
-- call, so neither depends on the other. By default the study's own
-- classes: N < 1, 1-2, >= 2 Mt (the paper's "less than 100, 100-200 and
-- exceeding 200" 10^4 t) and Q < 1, 1-10, 10-40, >= 40; a list of cuts or
-- "jenks" (description field classes) instead.
local cbal = require "cbal"
local common = require "cbal.report.common"

local M = {}

M.DEFAULT = { sequestration = { 1, 2 }, Q = { 1, 10, 40 } }
local VAR = { sequestration = "N", Q = "Q" }

local function g(x) return ("%.4g"):format(x) end

-- Classes of fixed cuts c1 < ... < cm: x < c1, c1 <= x < c2, ..., x >= cm.
local function fixed(var, cuts)
  local edges, columns, labels = { -math.huge }, {}, {}
  for _, c in ipairs(cuts) do edges[#edges + 1] = c end
  edges[#edges + 1] = math.huge
  for k = 1, #edges - 1 do
    local a, b = edges[k], edges[k + 1]
    if k == 1 then
      columns[k], labels[k] = ("%s_lt_%s"):format(var, g(b)), ("%s < %s"):format(var, g(b))
    elseif k == #edges - 1 then
      columns[k], labels[k] = ("%s_ge_%s"):format(var, g(a)), ("%s >= %s"):format(var, g(a))
    else
      columns[k], labels[k] = ("%s_%s_%s"):format(var, g(a), g(b)), ("%s <= %s < %s"):format(g(a), var, g(b))
    end
  end
  return { var = var, method = "fixed", edges = edges, columns = columns, labels = labels }
end

-- Jenks classes (5) of the finite values pooled over the map years.
local function jenks(var, panel, map_years)
  local edges = common.pooled_breaks(panel, map_years, var, 5)
  local columns, labels = {}, {}
  for k = 1, #edges - 1 do
    columns[k] = ("%s_%s_%s"):format(var, common.fmt(edges[k]), common.fmt(edges[k + 1]))
    labels[k] = ("%s <= %s < %s"):format(common.fmt(edges[k]), var, common.fmt(edges[k + 1]))
  end
  return { var = var, method = "jenks", edges = edges, columns = columns, labels = labels }
end

-- The classes of kind ("sequestration" or "Q") by spec (a list of cuts,
-- "jenks", or nil for the default): {var, method, edges, columns,
-- labels}. A value below the first edge falls in the first class, one at
-- or above the last in the last (+inf: the top class).
function M.of(kind, spec, panel, map_years)
  spec = spec or M.DEFAULT[kind]
  if spec == "jenks" then return jenks(VAR[kind], panel, map_years) end
  return fixed(VAR[kind], spec)
end

-- Counts per class of the values of a (missing values in none).
function M.counts(cl, a)
  local e, out = cl.edges, {}
  for k = 1, #e - 1 do
    local m
    if k > 1 then m = cbal.mask(a, ">=", e[k]) end
    if k < #e - 1 then m = cbal.mask(a, "<", e[k + 1], m) end
    out[k] = (m or a:isnan():eq(0)):sum() -- one class: every value present
  end
  return out
end

-- What the classes are, for a table's note.
function M.describe(cl)
  return table.concat(cl.labels, ", ")
end

return M
