-- The zoning criteria (a sandboxed file, "default" or a table), loaded and
-- run once, before the zonal work, so a broken file fails at once.
local zoning = require "cbal.zoning"
local util = require "cbal.study.util"

local M = { name = "criteria" }

M.fields = { { "criteria" } }

function M.run(S, d)
  S.criteria = d.criteria or "default"
  S.params.criteria = S.criteria
  S.criteria_table, S.criteria_source = zoning.load(S.criteria)
  if type(S.criteria) == "string" then
    util.input(S, "criteria", S.criteria == "default" and zoning.builtin("default") or S.criteria)
  end
end

return M
