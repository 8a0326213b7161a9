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
local WEIGHT_ENUMS = { { "rule", { "queen", "rook", "knn", "distance" } },
  { "style", { "W", "B" } }, { "islands", { "keep", "drop" } },
  { "metric", { "planar", "geodesic" } } }

function M.check(d)
  local s = d.spatial
  if s == nil then return end
  if s.weights ~= nil then
    if type(s.weights) ~= "table" then fail("spatial.weights must be a table {rule =, snap =, ...}") end
    local msg = opts.unknown(s.weights, WEIGHT_KEYS, "spatial.weights")
    if msg then fail("%s", msg) end
    for _, e in ipairs(WEIGHT_ENUMS) do
      msg = opts.bad_value("spatial.weights", e[1], s.weights[e[1]], e[2])
      if msg then fail("%s", msg) end
    end
  end
  if s.variables ~= nil and (type(s.variables) ~= "table" or #s.variables == 0) then
    fail("spatial.variables must list variables of the study, e.g. {\"Q\", \"C\", \"N\"}")
  end
  -- a misspelt variable fails before any zonal work
  local known = require("cbal.report.county_panel").variables
  for _, v in ipairs(s.variables or {}) do
    local found = false
    for _, k in ipairs(known) do found = found or k == v end
    if not found then
      fail("spatial.variables: the study has no variable '%s' (it has %s)", tostring(v),
        table.concat(known, ", "))
    end
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

-- Counties whose value of v is not a finite number in some year (Q = +inf
-- where N = 0, NaN where an input is missing): v's spatial statistics
-- leave them out in every year, so that its series stays comparable.
-- Returns the keep mask (1/0 per county) and the counties' labels.
local function left_out(p, v, years)
  local keep, why = cbal.array(p.n, 1), {}
  for _, y in ipairs(years) do
    local a = p:get(v, y)
    for i = 1, p.n do
      local x = a[i]
      if keep[i] == 1 and not (x == x and x > -math.huge and x < math.huge) then
        keep[i] = 0
        why[#why + 1] = ("%s (%s = %s in %d)"):format(p:label(i), v,
          x ~= x and "NaN" or (x > 0 and "+∞" or "−∞"), y)
      end
    end
  end
  return keep, why
end

-- w without the counties keep (one flag per layer feature) marks 0, its
-- rows standardised again.
local function without(w, keep)
  if w.index then -- islands dropped: w's units are some of the features
    local k = cbal.array(#w, 0)
    for u = 1, #w do k[u] = keep[w.index[u]] end
    keep = k
  end
  if w.style == "W" then return w:restyled("B"):subset(keep):restyled("W") end
  return w:subset(keep)
end

-- Values of the kept counties, {[year] = array}, and their groups.
local function kept(p, v, years, keep, groups)
  local cols, g = {}, {}
  for _, y in ipairs(years) do
    local a, t = p:get(v, y), {}
    for i = 1, p.n do if keep[i] == 1 then t[#t + 1] = a[i] end end
    cols[y] = cbal.array(t)
  end
  for i = 1, p.n do if keep[i] == 1 then g[#g + 1] = groups[i] end end
  return cols, g
end

-- Results {[year] = r} of variable v merged into out[v][year] and out.list.
local function merge(out, v, years, r)
  out[v] = {}
  for _, y in ipairs(years) do
    local x = r[v] and r[v][y] or r[y]
    x.variable, x.year = v, y
    out[v][y] = x
    out.list[#out.list + 1] = x
  end
end

-- The statistics of one variable: on every county, or, when some have no
-- finite value, on the others (weights without them; a centre weight of
-- 0, which is the same as leaving a county out).
local function one_variable(S, s, w, v, years, my, groups)
  local p = S.panel
  local keep, why = left_out(p, v, years)
  local wv, x = w, p
  if #why > 0 then
    wv = call(".weights", without, w, keep)
  end
  local one = { v }
  local perm = { variables = one, years = years, permutations = s.permutations, seed = s.seed }
  local r = {
    weights = wv, left_out = why,
    moran = call("", cbal.spatial.moran, x, wv, perm),
    geary = call("", cbal.spatial.geary, x, wv, perm),
    lisa = call("", cbal.spatial.local_moran, x, wv, { variables = one, years = my,
      alpha = s.alpha, permutations = s.permutations, seed = s.seed }),
    gi = call("", cbal.spatial.getis_ord, x, wv, { variables = one, years = my }),
  }
  if #why == 0 then
    r.theil = call("", cbal.spatial.theil, p, { variables = one, years = years, groups = groups })
    r.centres = call("", cbal.spatial.centres, w, p, { variables = one, years = years,
      sqrt2 = s.sqrt2 })
  else
    local cols, g = kept(p, v, years, keep, p[groups])
    r.theil = call("", cbal.spatial.theil, cols, { groups = g })
    local zeroed = {}
    for _, y in ipairs(years) do zeroed[y] = p:get(v, y):where(keep, 0) end
    r.centres = call("", cbal.spatial.centres, w, zeroed, { sqrt2 = s.sqrt2 })
  end
  return r
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
  local my = map_years(S, years)
  local periods = s.periods or S.periods
  local groups = s.groups or "region"
  -- the panel and layer travel with the results: the report's spatial
  -- items read this one input, so they are left out of a study without it
  S.spatial = {
    panel = p, layer = S.layer,
    weights = w, variables = vars, years = years, map_years = my, periods = periods,
    alpha = s.alpha or 0.05, groups = groups, var_weights = {}, left_out = {},
    tapio = call(".periods", cbal.spatial.tapio, p, { periods = periods }),
  }
  local stats = { "moran", "geary", "lisa", "gi", "theil", "centres" }
  for _, k in ipairs(stats) do S.spatial[k] = { list = {} } end
  local notes = {}
  for _, v in ipairs(vars) do
    local r = one_variable(S, s, w, v, years, my, groups)
    for _, k in ipairs(stats) do
      merge(S.spatial[k], v, (k == "lisa" or k == "gi") and my or years, r[k])
    end
    S.spatial.var_weights[v], S.spatial.left_out[v] = r.weights, r.left_out
    if #r.left_out > 0 then
      notes[#notes + 1] = ("%s: %s"):format(v, table.concat(r.left_out, ", "))
    end
  end
  if #notes > 0 then
    cbal.warn(("study: spatial: counties without a finite value are left out of that "
      .. "variable's spatial statistics in every year (t9-t12 and Fig. 9-11): %s")
      :format(table.concat(notes, "; ")))
  end
  S.params.spatial = { weights = ("%s, style %s%s; %s"):format(w.rule, w.style,
      w.snap and (", snap " .. w.snap .. " m") or "", w.basis),
    permutations = s.permutations or 999, seed = s.seed or cbal.spatial.DEFAULT_SEED,
    alpha = S.spatial.alpha, islands = w.islands, theil_groups = S.spatial.groups,
    ellipse = s.sqrt2 and "ArcGIS (sqrt 2)" or "one standard deviation" }
end

return M
