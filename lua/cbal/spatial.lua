-- cbal.spatial: spatial weights (contiguity, k nearest, distance band;
-- GAL/GWT files) and the spatial analysis of county variables over every
-- year of a panel at once: Moran's I, Geary's C, local Moran (LISA),
-- Getis-Ord G*, Theil and Gini, gravity centres with standard deviational
-- ellipses, Tapio decoupling. Numeric work is native (cbal.core._spatial);
-- this module checks inputs and shapes results. See docs/spatial.md.
local cbal = require "cbal"
local native = require("cbal.core")._spatial
local opts = require "cbal.opts"
local values = require "cbal.spatial.values"
local io_ = require "cbal.spatial.io"

local M = {}

-- The default snap of contiguity, in metres of the equal-area CRS.
M.DEFAULT_SNAP = 1

local function fail(where, fmt, ...) error(where .. ": " .. fmt:format(...), 0) end

local bare = require("cbal.message").bare

local GEOMETRY = {}
GEOMETRY.__index = GEOMETRY
GEOMETRY.__name = "cbal.spatial.Geometry"

local function is_geometry(x) return getmetatable(x) == GEOMETRY end

-- A list field of the layer by name (or nil when name is nil).
local function layer_list(layer, name, where, key)
  if name == nil then return nil end
  local ok, v = pcall(layer.field, layer, name, { as = "string" })
  if not ok then fail(where, "%s = '%s': %s", key, tostring(name), bare(v)) end
  for i = 1, #v do
    if not v[i] then fail(where, "%s = '%s': feature %d has no value", key, name, i) end
  end
  return v
end

-- lon/lat of planar points, NaN kept (features without area).
local function to_lonlat(proj, x, y)
  local fx, fy, at = {}, {}, {}
  for i = 1, #x do
    if x[i] == x[i] then
      at[#at + 1] = i
      fx[#fx + 1], fy[#fy + 1] = x[i], y[i]
    end
  end
  local lon, lat = cbal.array(#x, 0 / 0), cbal.array(#x, 0 / 0)
  if #at > 0 then
    local tx, ty = native.transform(proj, fx, fy, true)
    for k, i in ipairs(at) do lon[i], lat[i] = tx[k], ty[k] end
  end
  return lon, lat
end

-- A list of n ids or names given directly (strings).
local function given_list(v, n, where, key)
  if v == nil then return nil end
  if type(v) ~= "table" or #v ~= n then
    fail(where, "%s must list one value per feature (%d), got %s", key, n,
      type(v) == "table" and #v or type(v))
  end
  local t = {}
  for i = 1, n do t[i] = tostring(v[i]) end
  return t
end

-- cbal.spatial.geometry(layer [, {crs =, id =, name =, threads =}]): the
-- layer's polygons in a planar equal-area CRS (metres; by default the
-- Albers projection fitted to the layer's extent, see docs/spatial.md),
-- with each county's area centroid (x, y and lon, lat) and area (m²).
function M.geometry(layer, o)
  local where = "cbal.spatial.geometry"
  o = opts.check(where, o, { "crs", "id", "name", "ids", "names", "threads" })
  if type(layer) ~= "userdata" or not tostring(layer):find("^cbal.Layer") then
    fail(where, "expected a cbal.Layer (cbal.open_layer(path)), got %s", type(layer))
  end
  local ok, polys = pcall(layer.polygons, layer, { crs = "EPSG:4326" })
  if not ok then fail(where, "%s", bare(polys)) end
  if #polys == 0 then fail(where, "the layer %s has no features", layer.path) end
  local x0, y0, x1, y1 = polys:bbox()
  local crs = o.crs or native.albers(x0, y0, x1, y1)
  local okp, proj = pcall(native.projection, crs)
  if not okp then fail(where, "crs: %s", bare(proj)) end
  native.project_polygons(proj, polys, o.threads)
  local x, y, area = native.centroids(polys)
  local lon, lat = to_lonlat(proj, x, y)
  return setmetatable({ n = #polys, crs = crs, polygons = polys, proj = proj, x = x, y = y,
    area = area, lon = lon, lat = lat, layer = layer.path,
    ids = given_list(o.ids, #polys, where, "ids") or layer_list(layer, o.id, where, "id"),
    names = given_list(o.names, #polys, where, "names") or layer_list(layer, o.name, where, "name"),
    basis = o.crs and ("the CRS " .. crs)
      or ("Albers equal-area on WGS84 fitted to the layer (" .. crs .. ")") }, GEOMETRY)
end

-- Planar points of geometry g back to lon/lat.
function GEOMETRY:lonlat(x, y) return to_lonlat(self.proj, cbal.array(x), cbal.array(y)) end

-- Weights methods written in Lua: write, and restyled/subset keeping the
-- attributes (a subset keeps the layer's ids and maps its units back to
-- the layer's features through index).
local methods = native.methods()
methods.write = io_.write
local c_restyled, c_subset = methods.restyled, methods.subset

local function attrs_of(w)
  local t = {}
  for _, k in ipairs(io_.ATTRIBUTES) do t[k] = w[k] end
  return t
end

function methods.restyled(w, style)
  local r = c_restyled(w, style)
  local a = attrs_of(w)
  a.style = style
  return io_.attributes(r, a)
end

function methods.subset(w, keep)
  local r = c_subset(w, keep)
  local a = attrs_of(w)
  local index, ids, names = {}, w.ids and {} or nil, w.names and {} or nil
  for i = 1, #w do
    if keep[i] ~= 0 and keep[i] == keep[i] then
      index[#index + 1] = w.index and w.index[i] or i
      if ids then ids[#ids + 1] = w.ids[i] end
      if names then names[#names + 1] = w.names[i] end
    end
  end
  a.index, a.ids, a.names = index, ids, names
  a.source_ids = w.source_ids or w.ids
  a.source_names = w.source_names or w.names
  local card = r:cardinalities()
  a.islands, a.island_index = {}, {}
  -- islands w itself dropped stay islands (not counties the subset left out)
  local inw = {}
  for k = 1, #w do inw[w.index and w.index[k] or k] = true end
  for k, pos in ipairs(w.island_index or {}) do
    if not inw[pos] then
      a.islands[#a.islands + 1] = w.islands[k]
      a.island_index[#a.island_index + 1] = pos
    end
  end
  for k = 1, #card do
    if card[k] == 0 then
      a.islands[#a.islands + 1] = values.unit_label({ ids = ids }, k, names)
      a.island_index[#a.island_index + 1] = index[k]
    end
  end
  return io_.attributes(r, a)
end

local RULES = { "queen", "rook", "knn", "distance" }
local KEYS = { "rule", "snap", "k", "band", "metric", "style", "islands", "id", "name", "ids",
  "names", "crs", "threads" }

local function check_number(where, key, v, min)
  if type(v) ~= "number" or v ~= v or v < min or v == math.huge then
    fail(where, "option '%s' must be a number >= %g, got %s", key, min, tostring(v))
  end
  return v
end

-- The binary weights of the rule.
local function build(where, g, o, rule)
  if rule == "queen" or rule == "rook" then
    local snap = check_number(where, "snap", o.snap or M.DEFAULT_SNAP, 0)
    return native.contiguity(g.polygons, rule, snap, o.threads), { snap = snap }
  end
  local metric = opts.enum(where, "metric", o.metric, { "planar", "geodesic" }, "planar", 3)
  local x, y = g.x, g.y
  if metric == "geodesic" then x, y = g.lon, g.lat end
  for i = 1, g.n do
    if x[i] ~= x[i] then
      fail(where, "county %s has no area (an empty geometry), so no centroid for %s weights",
        values.unit_label(g, i), rule)
    end
  end
  local info = { metric = metric, metric_basis = metric == "geodesic"
    and "geodesic distances between centroids on WGS84 (Karney 2013)"
    or ("straight-line distances between centroids in " .. g.crs) }
  if rule == "knn" then
    local k = o.k
    if math.type(k) ~= "integer" or k < 1 then
      fail(where, "rule = \"knn\" needs k = a whole number >= 1, got %s", tostring(k))
    end
    if k >= g.n then
      fail(where, "k = %d nearest neighbours needs k < the number of counties (%d)", k, g.n)
    end
    info.k = k
    return native.knn(x, y, k, metric), info
  end
  info.band = check_number(where, "band", o.band, 0)
  if not (info.band > 0) then fail(where, "rule = \"distance\" needs band = metres > 0") end
  return native.band(x, y, info.band, metric), info
end

-- cbal.spatial.weights(layer | geometry, {rule =, snap =, k =, band =,
-- metric =, style =, islands =, id =, name =, crs =}) -> cbal.Weights.
function M.weights(src, o)
  local where = "cbal.weights"
  o = opts.check(where, o, KEYS)
  local rule = opts.enum(where, "rule", o.rule, RULES, "queen", 2)
  local style = opts.enum(where, "style", o.style, { "W", "B" }, "W", 2)
  local isl = opts.enum(where, "islands", o.islands, { "keep", "drop" }, "keep", 2)
  local g = src
  if not is_geometry(src) then
    g = M.geometry(src, { crs = o.crs, id = o.id, name = o.name, ids = o.ids, names = o.names,
      threads = o.threads })
  elseif o.crs or o.id or o.name or o.ids or o.names then
    fail(where, "crs, id, name, ids and names belong to cbal.spatial.geometry when weights are "
      .. "built on a geometry")
  end
  local w, info = build(where, g, o, rule)
  local card = w:cardinalities()
  if card:sum() == 0 then
    if rule == "queen" or rule == "rook" then
      fail(where, "no two of the %d polygons of %s share a boundary point within snap = %g m "
        .. "(%s contiguity): the polygons do not touch; give a larger snap (metres) or use "
        .. "rule = \"knn\" or \"distance\"", g.n, g.layer, info.snap, rule)
    end
    fail(where, "no county has another within band = %g m; give a larger band", info.band)
  end
  local islands, island_index = {}, {}
  for i = 1, #card do
    if card[i] == 0 then
      islands[#islands + 1] = values.unit_label(g, i)
      island_index[#island_index + 1] = i
    end
  end
  local index
  if #islands > 0 then
    cbal.warn(("%s: %d count%s without neighbours (%s): %s"):format(where, #islands,
      #islands > 1 and "ies" or "y", isl == "drop" and "dropped" or "kept, with no spatial lag",
      table.concat(islands, ", ")))
    if isl == "drop" then
      w = c_subset(w, card:gt(0))
      index = {}
      for i = 1, #card do if card[i] > 0 then index[#index + 1] = i end end
    end
  end
  if style == "W" then w = c_restyled(w, "W") end
  local a = { rule = rule, style = style, snap = info.snap, k = info.k, band = info.band,
    metric = info.metric, metric_basis = info.metric_basis, crs = g.crs, basis = g.basis,
    layer = g.layer, geometry = g, islands = islands, island_index = island_index,
    islands_policy = isl, source_n = g.n, index = index, ids = g.ids, names = g.names,
    id_field = o.id }
  if index then
    a.ids = g.ids and {} or nil
    a.names = g.names and {} or nil
    for k, i in ipairs(index) do
      if a.ids then a.ids[k] = g.ids[i] end
      if a.names then a.names[k] = g.names[i] end
    end
    a.source_ids, a.source_names = g.ids, g.names
  end
  io_.attributes(w, a)
  return w
end

M.read_weights = io_.read

for k, v in pairs(require "cbal.spatial.autocorr") do M[k] = v end
for k, v in pairs(require "cbal.spatial.describe") do M[k] = v end

return M
