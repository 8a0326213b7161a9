-- The outputs of a study, in the order of cbal.report.list: each item is a
-- file lua/cbal/report/<name>.lua, {kind = "table" | "figure" | "layer",
-- inputs = {fields of the study state}, build = function(inputs)}. build
-- sees only the inputs it declares (reading another raises), so no item
-- depends on another having run; this module writes what build returns
-- (CSV, PNG and PDF, GeoPackage), then report.html and the summary.
local cbal = require "cbal"
local common = require "cbal.report.common"
local html = require "cbal.report.html"

-- an error message without positions inside the cbal library
local function user_error(msg)
  return require("cbal.study.util").user_error(tostring(msg))
end

local M = {}

M.strict_breaks = common.strict
-- The one number format of the report (tests compare CSV values through it).
M.fmt = common.fmt
M.base64 = html.base64
M.list = require "cbal.report.list"

-- The item `name` (its module cbal.report.<name>).
function M.item(name)
  local ok, it = pcall(require, "cbal.report." .. name)
  if not ok then error(("report: no item '%s' (lua/cbal/report/%s.lua): %s"):format(name, name, it), 0) end
  return it
end

-- The inputs of item `name` from study state S: exactly the fields it
-- declares; it.optional_inputs are passed when the study computed them
-- (and read as nil otherwise).
function M.inputs(S, name, it)
  local I, maybe = {}, {}
  for _, k in ipairs(it.inputs or {}) do
    if S[k] == nil then
      error(("report: %s needs '%s', which the study did not compute"):format(name, k), 0)
    end
    I[k] = S[k]
  end
  for _, k in ipairs(it.optional_inputs or {}) do
    maybe[k] = true
    I[k] = S[k]
  end
  return setmetatable(I, { __index = function(_, k)
    if maybe[k] then return nil end
    error(("report: %s reads '%s', which is not in its inputs"):format(name, tostring(k)), 2)
  end })
end

local function write_table(S, name, t)
  local cols = {}
  for j, c in ipairs(t.columns) do
    cols[c] = {}
    for i, r in ipairs(t.rows) do
      local v = r[j]
      if v ~= v then v = nil end -- missing: an empty cell; inf is written as inf
      cols[c][i] = v == nil and (type(t.rows[1] and t.rows[1][j]) == "string" and "" or 0 / 0) or v
    end
  end
  local path = S.out .. "/" .. name .. ".csv"
  cbal.write_table(path, cols, { order = t.columns })
  S.outputs[#S.outputs + 1] = { path = path, kind = "table", title = t.title }
  t.name, t.path = name, path
  S.tables[name] = t
end

local function write_figure(S, name, f)
  local base = S.out .. "/figures/" .. name
  if #S.figures == 0 then cbal.mkdir(S.out .. "/figures") end
  f.figure:save(base .. ".png")
  f.figure:save(base .. ".pdf")
  S.outputs[#S.outputs + 1] = { path = base .. ".png", kind = "figure", title = f.title }
  S.outputs[#S.outputs + 1] = { path = base .. ".pdf", kind = "figure", title = f.title }
  f.name, f.png = name, base .. ".png"
  S.figures[#S.figures + 1] = { name = name, title = f.title, png = f.png }
end

local function write_layer(S, name, l)
  local path = S.out .. "/" .. (l.file or (name .. ".gpkg"))
  cbal.write_layer(path, l.layer)
  S.outputs[#S.outputs + 1] = { path = path, kind = "geopackage", title = l.title }
end

local WRITE = { table = write_table, figure = write_figure, layer = write_layer }

-- True when the study computed none of item it's inputs (an optional item
-- is then left out).
local function absent(S, it)
  for _, k in ipairs(it.inputs or {}) do
    if S[k] ~= nil then return false end
  end
  return true
end

-- Builds and writes every item of the list (figures unless d.figures ==
-- false), then report.html.
function M.write(S, d)
  -- the description's theme styles every figure, also those that give none
  require("cbal.themes").with(S.theme, M.write_items, S, d)
end

function M.write_items(S, d)
  S.tables, S.figures = {}, {}
  local done = {}
  for _, e in ipairs(M.list) do
    if type(e) == "table" then
      if not e.needs or S[e.needs] ~= nil then done[#done + 1] = e end
    else
      local it = M.item(e)
      if (it.kind ~= "figure" or d.figures ~= false) and not (it.optional and absent(S, it)) then
        local ok, r = pcall(function()
          local r = it.build(M.inputs(S, e, it))
          WRITE[it.kind](S, e, r)
          return r
        end)
        if not ok then error(("report: %s: %s"):format(e, user_error(r)), 0) end
        done[#done + 1] = { name = e, item = it, result = r }
      end
    end
  end
  html.write(S, d, done)
end

local function ntables(S)
  local n = 0
  for _ in pairs(S.tables) do n = n + 1 end
  return n
end

function M.summary(S)
  local a, b = common.key_numbers(S.panel, S.prov, S.years)
  local z = {}
  for _, name in ipairs(common.zone_list(S)) do z[#z + 1] = ("%s %d"):format(name, S.zone_counts[name] or 0) end
  return table.concat({
    ("study: %d counties, %d-%d (coverage %s)"):format(S.panel.n, a.year, b.year, S.params.coverage),
    ("  emissions %s -> %s Mt, sequestration %s -> %s Mt, Q %s -> %s"):format(M.fmt(a.C),
      M.fmt(b.C), M.fmt(a.N), M.fmt(b.N), M.fmt(a.Q), M.fmt(b.Q)),
    ("  imbalanced counties (Q > 1): %d -> %d"):format(a.imbalanced, b.imbalanced),
    "  zones: " .. table.concat(z, ", "),
    ("  outputs in %s: report.html, %d tables, %d figures (PNG, PDF), counties.gpkg, manifest.json")
      :format(S.out, ntables(S), #S.figures),
  }, "\n")
end

return M
