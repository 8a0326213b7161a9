-- spatial = {weights =, variables =, years =, alpha =, ...}: the spatial
-- analysis of the study's variables (cbal.spatial) over every study year
-- at once: Moran's I and Geary's C, LISA clusters and G_i* in the map
-- years, Theil and Gini by region, gravity centres and ellipses, and Tapio
-- decoupling of C from G per period. Results in S.spatial for the report's
-- tables t9-t13 and figures 9-13.
local cbal = require "cbal"
local opts = require "cbal.opts"
local util = require "cbal.study.util"
local fail, bare = util.fail, util.bare

local M = { name = "spatial" }

M.fields = { { "spatial", keys = { "weights", "variables", "years", "alpha", "permutations",
  "seed", "groups", "periods", "sqrt2" } } }

local WEIGHT_KEYS = { "rule", "snap", "k", "band", "metric", "style", "islands", "crs" }

function M.check(d)
  local s = d.spatial
  if s == nil then return end
  if s.weights ~= nil then
    if type(s.weights) ~= "table" then fail("spatial.weights must be a table {rule =, snap =, ...}") end
    local msg = opts.unknown(s.weights, WEIGHT_KEYS, "spatial.weights")
    if msg then fail("%s", msg) end
  end
  if s.variables ~= nil and (type(s.variables) ~= "table" or #s.variables == 0) then
    fail("spatial.variables must list variables of the study, e.g. {\"Q\", \"C\", \"N\"}")
  end
  local y = s.years
  if y ~= nil and (type(y) ~= "table" or math.type(y[1]) ~= "integer"
      or math.type(y[2]) ~= "integer" or y[2] <= y[1]) then
    fail("spatial.years must be {first, last} within the study years")
  end
  if s.alpha ~= nil and (type(s.alpha) ~= "number" or not (s.alpha > 0 and s.alpha < 1)) then
    fail("spatial.alpha must be a number between 0 and 1, got %s", tostring(s.alpha))
  end
  local bad = opts.bad_value("spatial", "groups", s.groups, { "region", "city" })
  if bad then fail("%s (the grouping of Theil's decomposition)", bad) end
end

-- Runs f, turning a library error into "study: spatial...: message".
local function call(what, f, ...)
  local ok, r = pcall(f, ...)
  if not ok then fail("spatial%s: %s", what, (bare(r):gsub("^cbal[%.%w_]*: ", ""))) end
  return r
end

local function years_of(S, s)
  local y = s.years
  if not y then return S.years end
  if y[1] < S.years[1] or y[2] > S.years[#S.years] then
    fail("spatial.years = {%d, %d} lies outside the study years %d-%d", y[1], y[2], S.years[1],
      S.years[#S.years])
  end
  return require("cbal.panel").span(y[1], y[2])
end

-- The map years inside the spatial years.
local function map_years(S, years)
  local inside, out = {}, {}
  for _, y in ipairs(years) do inside[y] = true end
  for _, y in ipairs(S.map_years) do if inside[y] then out[#out + 1] = y end end
  if #out == 0 then out = { years[#years] } end
  return out
end

function M.run(S, d)
  local s = d.spatial
  if s == nil then return end
  local p = S.panel
  local vars = s.variables or { "Q", "C", "N" }
  for _, v in ipairs(vars) do
    if not p:has(v, S.years[1]) then
      fail("spatial.variables: the study has no variable '%s' (it has %s)", tostring(v),
        table.concat(p:vars(), ", "))
    end
  end
  local years = years_of(S, s)
  local wo = {}
  for k, v in pairs(s.weights or {}) do wo[k] = v end
  wo.ids, wo.names = p.ids, p.names
  local w = call(".weights", cbal.weights, S.layer, wo)
  local sel = { variables = vars, years = years }
  local perm = { variables = vars, years = years, permutations = s.permutations, seed = s.seed }
  local my = map_years(S, years)
  local lsel = { variables = vars, years = my, alpha = s.alpha, permutations = s.permutations,
    seed = s.seed }
  local periods = s.periods or S.periods
  -- the panel and layer travel with the results: the report's spatial
  -- items read this one input, so they are left out of a study without it
  S.spatial = {
    panel = p, layer = S.layer,
    weights = w, variables = vars, years = years, map_years = my, periods = periods,
    alpha = s.alpha or 0.05, groups = s.groups or "region",
    moran = call("", cbal.spatial.moran, p, w, perm),
    geary = call("", cbal.spatial.geary, p, w, perm),
    lisa = call("", cbal.spatial.local_moran, p, w, lsel),
    gi = call("", cbal.spatial.getis_ord, p, w, { variables = vars, years = my }),
    theil = call("", cbal.spatial.theil, p, { variables = vars, years = years,
      groups = s.groups or "region" }),
    centres = call("", cbal.spatial.centres, w, p, { variables = vars, years = years,
      sqrt2 = s.sqrt2 }),
    tapio = call(".periods", cbal.spatial.tapio, p, { periods = periods }),
  }
  S.params.spatial = { weights = ("%s, style %s%s; %s"):format(w.rule, w.style,
      w.snap and (", snap " .. w.snap .. " m") or "", w.basis),
    permutations = s.permutations or 999, seed = s.seed or cbal.spatial.DEFAULT_SEED,
    alpha = S.spatial.alpha, islands = w.islands, theil_groups = S.spatial.groups,
    ellipse = s.sqrt2 and "ArcGIS (sqrt 2)" or "one standard deviation" }
end

return M
