-- Inequality (Theil T and L with their between/within decomposition, Gini),
-- gravity centres with standard deviational ellipses, and Tapio decoupling
-- states, over one variable, {[year] = array} or a panel's variables x years.
local cbal = require "cbal"
local native = require("cbal.core")._spatial
local opts = require "cbal.opts"
local values = require "cbal.spatial.values"

local M = {}

-- Tapio states by code (0 = undefined).
M.TAPIO = { [0] = "undefined", "strong decoupling", "weak decoupling", "expansive coupling",
  "expansive negative decoupling", "strong negative decoupling", "weak negative decoupling",
  "recessive coupling", "recessive decoupling" }

local keys = values.option_keys

local function label(x, i)
  return values.county_label(nil, i, values.is_panel(x) and x.names or nil)
end

local function key_label(k)
  if k.variable then return ("%s %d"):format(k.variable, k.year) end
  return k.label ~= nil and tostring(k.label) or "the variable"
end

-- Group numbers 1..ng per county and the names in first-seen order.
local function group_index(where, x, groups, n)
  if groups == nil then return nil end
  local list = groups
  if type(groups) == "string" then
    list = values.is_panel(x) and x[groups]
    if type(list) ~= "table" then
      error(("%s: groups = '%s' is not a grouping of the panel (use \"city\", \"region\" or "
        .. "a list of group names, one per county)"):format(where, groups), 0)
    end
  end
  if type(list) ~= "table" or #list ~= n then
    error(("%s: groups must list one group per county (%d), got %s"):format(where, n,
      type(list) == "table" and #list or type(list)), 0)
  end
  local idx, order, at = {}, {}, {}
  for i = 1, n do
    local g = list[i]
    if g == nil then error(("%s: county %d has no group"):format(where, i), 0) end
    if not at[g] then order[#order + 1] = g; at[g] = #order end
    idx[i] = at[g]
  end
  return idx, order
end

-- Population weights of column k: an array, or a panel variable's year.
local function weights_for(where, x, wopt, key, n)
  if wopt == nil then return nil end
  local a = wopt
  if type(wopt) == "string" then
    if not values.is_panel(x) then
      error(("%s: weights = '%s' names a panel variable, but the values are not a panel")
        :format(where, wopt), 0)
    end
    local ok, v = pcall(x.get, x, wopt, key.year)
    if not ok then error(("%s: weights: %s"):format(where, (tostring(v):gsub("^.-:%d+: ", ""))), 0) end
    a = v
  end
  a = cbal.array(a)
  if #a ~= n then error(("%s: %d weights for %d counties"):format(where, #a, n), 0) end
  for i = 1, n do
    if not (a[i] > 0) or a[i] == math.huge then
      error(("%s: the weight of %s is %s; weights (e.g. population) must be positive")
        :format(where, label(x, i), tostring(a[i])), 0)
    end
  end
  return a
end

local function check_nonneg(where, x, a, k)
  if a:min() >= 0 then return end
  for i = 1, #a do
    if a[i] < 0 then
      error(("%s: %s is %.6g for %s; inequality and centres need values >= 0")
        :format(where, key_label(k), a[i], label(x, i)), 0)
    end
  end
end

-- cbal.spatial.theil(x [, {groups =, weights =, variables =, years =}]):
-- Theil T and L (with between/within parts and shares when grouped) and
-- Gini. groups: a list of group names per county, or "city"/"region" of a
-- panel; weights: population per county (an array, or a panel variable).
function M.theil(x, o)
  local where = "cbal.spatial.theil"
  o = opts.check(where, o, keys({ "groups", "weights" }))
  local cols, ks, kind = values.columns(where, x, nil, o, { constant_ok = true })
  local n = #cols[1]
  local gidx, order = group_index(where, x, o.groups, n)
  local out = {}
  for k, a in ipairs(cols) do
    check_nonneg(where, x, a, ks[k])
    if a:sum() <= 0 then
      error(("%s: %s is 0 for every county; inequality is undefined"):format(where,
        key_label(ks[k])), 0)
    end
    local pw = weights_for(where, x, o.weights, ks[k], n)
    local r = native.theil(a, pw, gidx, order and #order or nil)
    r.gini = native.gini(a, pw)
    if gidx then
      r.T_between_share = r.T_between / r.T
      r.L_between_share = r.L_between / r.L
      local byname = {}
      for g, name in ipairs(order) do byname[name] = r.groups[g] end
      r.groups, r.group_order = byname, order
    end
    out[k] = r
  end
  return values.shape(out, ks, kind)
end

-- cbal.spatial.gini(y [, {weights =}]): the Gini coefficient (a number for
-- one variable; {gini =} per column otherwise).
function M.gini(x, o)
  local where = "cbal.spatial.gini"
  o = opts.check(where, o, keys({ "weights" }))
  local cols, ks, kind = values.columns(where, x, nil, o, { constant_ok = true })
  local out = {}
  for k, a in ipairs(cols) do
    check_nonneg(where, x, a, ks[k])
    out[k] = { gini = native.gini(a, weights_for(where, x, o.weights, ks[k], #a)) }
  end
  if kind == "single" then return out[1].gini end
  return values.shape(out, ks, kind)
end

local COMPASS = { "N", "NE", "E", "SE", "S", "SW", "W", "NW" }

-- Year-to-year moves of the centres of each variable (in year order).
local function moves(list)
  local last = {}
  for _, r in ipairs(list) do
    local key = r.variable or "?"
    local p = last[key]
    if p then
      local d, az = native.geodesic(p.lon, p.lat, r.lon, r.lat)
      r.distance, r.azimuth = d, az
      r.direction = d > 0 and COMPASS[math.floor((az + 22.5) % 360 / 45) + 1] or "-"
    end
    last[key] = r
  end
end

-- cbal.spatial.centres(geometry | weights, x [, {sqrt2 = false, points =
-- 72, variables =, years =}]): the weighted centre of the counties'
-- centroids (computed in the geometry's equal-area CRS, returned as lon,
-- lat and x, y) with its standard deviational ellipse (major, minor in
-- metres, rotation in degrees clockwise from north, and the ellipse as a
-- polygon {{lon1, lat1, ...}} that maps draw); per variable, distance (m),
-- azimuth and compass direction from the previous year.
function M.centres(g, x, o)
  local where = "cbal.spatial.centres"
  o = opts.check(where, o, keys({ "sqrt2", "points" }))
  if type(g) == "userdata" and tostring(g):find("^cbal.Weights") then g = g.geometry end
  if type(g) ~= "table" or not g.proj then
    error(where .. ": argument 1 must be a geometry (cbal.spatial.geometry(layer)) or weights "
      .. "built on a layer", 0)
  end
  local cols, ks, kind = values.columns(where, x, { source_n = g.n, ids = g.ids,
    names = g.names, index = false, source_ids = false, source_names = false }, o,
    { constant_ok = true })
  local out = {}
  for k, v in ipairs(cols) do
    check_nonneg(where, x, v, ks[k])
    local ok, c = pcall(native.centre, g.x, g.y, v, o.sqrt2 == true)
    if not ok then error(("%s: %s: %s"):format(where, key_label(ks[k]),
      (tostring(c):gsub("^.-:%d+: ", ""))), 0) end
    local lon, lat = g:lonlat({ c.x }, { c.y })
    local ex, ey = native.ellipse_ring(c.x, c.y, c.major, c.minor, c.rotation, o.points or 72)
    local elon, elat = g:lonlat(ex, ey)
    local ring = {}
    for i = 1, #elon do ring[2 * i - 1], ring[2 * i] = elon[i], elat[i] end
    out[k] = { lon = lon[1], lat = lat[1], x = c.x, y = c.y, major = c.major, minor = c.minor,
      rotation = c.rotation, ellipse = { ring }, sqrt2 = o.sqrt2 == true, crs = g.crs }
  end
  local shaped = values.shape(out, ks, kind)
  if kind == "panel" then moves(shaped.list) elseif kind == "keyed" then moves(out) end
  return shaped
end

local function counts_of(state)
  local c = {}
  for s = 0, 8 do c[M.TAPIO[s]] = 0 end
  for i = 1, #state do
    local name = M.TAPIO[math.tointeger(state[i])]
    c[name] = c[name] + 1
  end
  return c
end

-- cbal.spatial.tapio(C0, C1, G0, G1) -> {e, state, counts}, or
-- cbal.spatial.tapio(panel, {periods = {{y0, y1}, ...}, emissions = "C",
-- output = "G"}) -> one such table per period (with from, to).
function M.tapio(a, b, c, d)
  local where = "cbal.spatial.tapio"
  if values.is_panel(a) then
    local o = opts.check(where, b, { "periods", "emissions", "output" })
    if type(o.periods) ~= "table" or #o.periods == 0 then
      error(where .. ": give periods = {{first, last}, ...}", 0)
    end
    local cv, gv, out = o.emissions or "C", o.output or "G", {}
    for k, pr in ipairs(o.periods) do
      local ok, r = pcall(M.tapio, a:get(cv, pr[1]), a:get(cv, pr[2]), a:get(gv, pr[1]),
        a:get(gv, pr[2]))
      if not ok then error(("%s: period %s-%s: %s"):format(where, tostring(pr[1]),
        tostring(pr[2]), (tostring(r):gsub("^.-:%d+: ", ""))), 0) end
      r.from, r.to = pr[1], pr[2]
      out[k] = r
    end
    return out
  end
  local e, state = native.tapio(a, b, c, d)
  return { e = e, state = state, counts = counts_of(state), labels = M.TAPIO }
end

return M
