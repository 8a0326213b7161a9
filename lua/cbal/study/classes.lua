-- The class options of the report: classes = {sequestration = cuts or
-- "jenks", Q = cuts or "jenks"} (t2 and Fig. 2, t5 and Fig. 5). By default
-- the study's classes: N < 1, 1-2, >= 2 Mt; Q < 1, 1-10, 10-40, >= 40.
local fail = require("cbal.study.util").fail

local M = { name = "classes" }

M.fields = { { "classes", keys = { "sequestration", "Q" } } }

local function check_spec(k, v)
  if v == nil or v == "jenks" then return end
  if type(v) ~= "table" or #v == 0 then
    fail("classes.%s must be \"jenks\" or a list of increasing cuts, e.g. {1, 2}", k)
  end
  for i, c in ipairs(v) do
    if type(c) ~= "number" or c ~= c or math.abs(c) == math.huge or (i > 1 and not (c > v[i - 1])) then
      fail("classes.%s: cut %d (%s) must be a finite number above the one before", k, i, tostring(c))
    end
  end
end

function M.check(d)
  for k, v in pairs(d.classes or {}) do check_spec(k, v) end
end

function M.run(S, d)
  local c = d.classes or {}
  S.classes = { sequestration = c.sequestration, Q = c.Q }
  S.params.classes = { sequestration = c.sequestration or "study: < 1, 1-2, >= 2 Mt",
                       Q = c.Q or "study: < 1, 1-10, 10-40, >= 40" }
end

return M
