-- Checks a study description before any work: unknown fields and keys,
-- required fields, and each step's own checks. The fields are those the
-- steps declare (step.fields), so a new option lives in its step's file.
local opts = require "cbal.opts"
local fail = require("cbal.study.util").fail

local M = {}

-- What a field without its key gets told it needs.
local NEEDS = { path = "a path", table = "a table (a file path)" }

-- A field that is a table of named keys: a misspelt key raises instead of
-- being ignored; f.needs names a key it must have.
local function check_sub(d, f)
  local name, t = f[1], d[f[1]]
  if t == nil then return end
  if type(t) ~= "table" then
    fail("field '%s' must be a table (see docs/study.md), got %s", name, type(t))
  end
  local named = {}
  for k, v in pairs(t) do
    if not (f.year_keys and math.type(k) == "integer") then named[k] = v end
  end
  local msg = opts.unknown(named, f.keys, ("field '%s'"):format(name))
  if msg then fail("%s", msg) end
  if f.needs and t[f.needs] == nil then
    fail("field '%s' needs %s", name, NEEDS[f.needs] or ("'" .. f.needs .. "'"))
  end
end

-- The fields of the steps in their order.
function M.fields(steps)
  local list = {}
  for _, st in ipairs(steps) do
    for _, f in ipairs(st.fields or {}) do list[#list + 1] = f end
  end
  return list
end

-- Raises "study: ..." for the first problem of description d.
function M.check(d, steps)
  if type(d) ~= "table" then fail("the description must be a table") end
  local fields, names = M.fields(steps), {}
  for i, f in ipairs(fields) do names[i] = f[1] end
  local msg = opts.unknown(d, names, "the description")
  if msg then fail("%s", msg) end
  for _, f in ipairs(fields) do
    if f.required and d[f[1]] == nil then fail("field '%s' is missing from the description", f[1]) end
  end
  for _, f in ipairs(fields) do
    if f.keys then check_sub(d, f) end
  end
  for _, st in ipairs(steps) do
    if st.check then st.check(d) end
  end
end

return M
