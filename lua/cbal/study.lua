-- cbal.study{...}: the whole county carbon-balance study from a description
-- (counties, rasters, tables, criteria) to CSV tables, a GeoPackage,
-- figures, report.html and manifest.json in one output folder. The work is
-- an ordered list of steps (lua/cbal/study/*.lua), each declaring the
-- description fields it reads; the outputs are cbal.report's list.
local describe = require "cbal.study.describe"
local stage = require "cbal.study.stage"
local manifest = require "cbal.manifest"
local user_error = require("cbal.study.util").user_error
local report = require "cbal.report"

local M = {}

-- The steps in order: each is a module {name =, fields =, check(d),
-- run(S, d)}. Cheap checks come first (a bad criteria file or a missing
-- emissions year fails before the zonal work).
M.STEPS = {
  "cbal.study.options", "cbal.study.classes", "cbal.study.counties", "cbal.study.map_inputs",
  "cbal.study.criteria",
  "cbal.study.emissions", "cbal.study.cities", "cbal.study.socio", "cbal.study.zonal",
  "cbal.study.accounts", "cbal.study.validation", "cbal.study.zones",
  "cbal.study.decomposition", "cbal.study.spatial",
}

local function steps()
  local list = {}
  for i, name in ipairs(M.STEPS) do list[i] = require(name) end
  return list
end

-- Checks description d; raises "study: ..." naming the field.
function M.check(d)
  describe.check(d, steps())
end

-- Runs the study; returns a result table (panel, tables, outputs, summary).
function M.run(d)
  local ok, err = pcall(M.check, d)
  if not ok then error(user_error(err), 0) end
  local out, tmp = stage.stage(d.out)
  local res
  ok, res = pcall(function()
    local S = M.compute(d, tmp)
    -- the manifest lists the final paths and is written last, into the
    -- staging folder: a published folder always has one
    stage.relocate(S, tmp, out)
    manifest.write(S, d, tmp)
    return S
  end)
  if not ok then
    stage.discard(tmp)
    error(user_error(res), 0)
  end
  stage.publish(tmp, out)
  local S = res
  S.seconds = os.clock() - S.t0
  if not d.quiet then print(report.summary(S)) end
  return S
end

-- The study into folder `dir` (tables, figures, report; no manifest).
function M.compute(d, dir)
  local S = { inputs = {}, outputs = {}, out = dir, tables = {}, t0 = os.clock(),
    params = { lmdi = "additive LMDI-I (Ang 2005), " ..
      "period-wise; chained year by year also given", conversion =
      "N = 1.62/0.45 x NPP (g CO2 per g C); C allocated by night-light share",
      years = d.years } }
  for _, st in ipairs(steps()) do st.run(S, d) end
  S.compute_seconds = os.clock() - S.t0
  report.write(S, d)
  return S
end

return setmetatable(M, { __call = function(_, d) return M.run(d) end })
