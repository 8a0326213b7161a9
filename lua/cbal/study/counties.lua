-- The counties: the boundary layer, their ids, names and cities, and the
-- region each belongs to (by city, or a field of the layer).
local cbal = require "cbal"
local panel = require "cbal.panel"
local util = require "cbal.study.util"
local fail, bare = util.fail, util.bare

local M = { name = "counties" }

M.fields = {
  { "counties", required = true, keys = { "path", "layer", "id", "name", "city", "region",
    "datum" }, needs = "path" },
  { "regions" },
}

-- A layer field by the description's name for it (e.g. counties.id).
local function layer_field(layer, c, key, default)
  local name = c[key] or default
  local ok, v = pcall(layer.field, layer, name)
  if not ok then fail("counties.%s: %s", key, bare(v)) end
  return v
end

-- Region of each county from regions = {name = {city, ...}}; every city
-- must be in one.
local function regions_by_city(regions, city, ids)
  local of = {}
  for r, cities in pairs(regions) do
    for _, ct in ipairs(cities) do of[ct] = r end
  end
  local region, missing, seen = {}, {}, {}
  for i = 1, #city do
    region[i] = of[city[i]]
    if not region[i] and not seen[tostring(city[i])] then
      seen[tostring(city[i])] = true
      missing[#missing + 1] = ("%s (e.g. county %s)"):format(tostring(city[i]), tostring(ids[i]))
    end
  end
  if #missing > 0 then
    fail("city %s is in no region of field 'regions'; add %s to a region's list",
         table.concat(missing, ", "), #missing > 1 and "them" or "it")
  end
  return region
end

-- Every county needs a polygon: a null or empty geometry would count as
-- zero light and zero NPP (zones only warn), so the study raises.
local function check_geometries(layer, p, path)
  local polys, none = layer:polygons(), {}
  for i = 1, #polys do
    if not (polys:area(i) > 0) then none[#none + 1] = p:label(i) end
  end
  if #none == 0 then return end
  local shown = {}
  for k = 1, math.min(#none, 8) do shown[k] = none[k] end
  local who = #none == 1 and "county " .. none[1] or ("%d counties (%s%s)"):format(#none,
    table.concat(shown, ", "), #none > 8 and ", ..." or "")
  fail("counties: %s in %s %s no geometry (null, empty or without area); every county needs "
    .. "its polygon: fix the layer or leave %s out", who, path, #none == 1 and "has" or "have",
    #none == 1 and "it" or "them")
end

function M.run(S, d)
  local c = d.counties
  -- datum = "gcj02": AMap/DataV boundaries converted to WGS84 on read
  local ok, layer = pcall(cbal.open_layer, c.path, { layer = c.layer, datum = c.datum })
  if not ok then fail("counties.path: %s", bare(layer)) end
  S.params.datum = c.datum == "gcj02" and "GCJ-02 converted to WGS84 on read"
    or c.datum == "wgs84" and "WGS84 as labelled (stated)" or "as labelled (no datum given)"
  util.input(S, "counties", c.path)
  local ids = layer_field(layer, c, "id", "code")
  local idl = {}
  for i = 1, #layer do idl[i] = panel.normalize_id(ids[i]) end
  local names = c.name and layer_field(layer, c, "name") or nil
  if not c.city then
    fail("counties.city must name the prefecture city field of %s", c.path)
  end
  local city = layer_field(layer, c, "city")
  local region
  if type(d.regions) == "table" then
    region = regions_by_city(d.regions, city, idl)
  elseif c.region then
    region = layer_field(layer, c, "region")
  else
    fail("give the region membership: regions = {name = {city, ...}} or counties.region = a field")
  end
  local ok, p = pcall(panel.new, { ids = idl, names = names, city = city, region = region })
  if not ok then
    fail("counties.id '%s' of %s: %s; every county needs its own id", c.id or "code", c.path,
      (bare(p):gsub("^cbal%.panel%.new: ", ""):gsub("%(counties (%d+) and (%d+)%)", "(features %1 and %2)")))
  end
  S.panel = p
  S.layer = layer
  check_geometries(layer, S.panel, c.path)
end

return M
