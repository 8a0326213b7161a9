-- Fig. 11: the gravity centre of each spatial variable over the years, its
-- path over the province and the standard deviational ellipses of the
-- first and last years (study option spatial).
local cbal = require "cbal"
local native = require("cbal.core")._spatial
local sc = require "cbal.report.spatial_common"
local size = require("cbal.report.common").size

local COLORS = { "#f0f0f0", "#2171b5", "#cb181d", "#252525" }

-- The box around the centres' path (lon/lat), padded, at least 2 km wide.
local function path_box(list)
  local b = { math.huge, math.huge, -math.huge, -math.huge }
  for _, c in ipairs(list) do
    b[1], b[2] = math.min(b[1], c.lon), math.min(b[2], c.lat)
    b[3], b[4] = math.max(b[3], c.lon), math.max(b[4], c.lat)
  end
  local k = math.cos(math.rad((b[2] + b[4]) / 2))
  local half = math.max((b[3] - b[1]) * k, b[4] - b[2], 0.018) * 0.75
  local cx, cy = (b[1] + b[3]) / 2, (b[2] + b[4]) / 2
  return { cx - half / k, cy - half, cx + half / k, cy + half }, 2 * half
end

-- The features of one panel: counties, the two ellipses as outlines, the
-- path as thin segments and the yearly centres as dots (sized for the
-- inset that zooms on the path); and their classes.
local function shapes(counties, list, span, zoom)
  local feats, vals = {}, {}
  local function add(f, c) feats[#feats + 1] = f; vals[#vals + 1] = c end
  for _, f in ipairs(counties) do add(f, 1) end
  local first, last = list[1], list[#list]
  add(sc.outline(first.ellipse[1], first.lon, first.lat, span * 0.004), 2)
  add(sc.outline(last.ellipse[1], last.lon, last.lat, span * 0.004), 3)
  local lw, r = math.min(span * 0.0025, zoom / 90), math.min(span * 0.0045, zoom / 45)
  for k = 2, #list do
    local seg = sc.segment(list[k - 1].lon, list[k - 1].lat, list[k].lon, list[k].lat, lw)
    if seg then add(seg, 4) end
  end
  for _, c in ipairs(list) do add({ sc.disk(c.lon, c.lat, r, 12) }, 4) end
  -- the first and last years' centres in their ellipses' colours
  add({ sc.disk(first.lon, first.lat, r * 1.3, 16) }, 2)
  add({ sc.disk(last.lon, last.lat, r * 1.3, 16) }, 3)
  return feats, vals
end

return {
  kind = "figure",
  optional = true,
  inputs = { "spatial" },
  build = function(I)
    local s = I.spatial
    local polys = I.spatial.layer:polygons { crs = "EPSG:4326" }
    local counties = polys:totable()
    local x0, _, x1 = polys:bbox()
    local y0, y1 = s.years[1], s.years[#s.years]
    local names = { "counties", ("ellipse %d"):format(y0), ("ellipse %d"):format(y1),
      ("centre %d–%d"):format(y0, y1) }
    local vars = s.variables
    local widths = {}
    for c = 1, #vars do widths[c] = 1 end
    widths[#vars + 1] = 0.55
    local fig = cbal.figure { width_mm = size.w(183, 80), height_mm = size.h(183, 80), dpi = 150,
      widths = widths,
      title = ("Fig. 11  Gravity centres %d–%d and standard deviational ellipses"):format(y0, y1) }
    for c, v in ipairs(vars) do
      local list = {}
      for _, y in ipairs(s.years) do list[#list + 1] = s.centres[v][y] end
      local box, zoom = path_box(list)
      local feats, vals = shapes(counties, list, x1 - x0, zoom)
      local move, az = native.geodesic(list[1].lon, list[1].lat, list[#list].lon, list[#list].lat)
      local dir = ({ "N", "NE", "E", "SE", "S", "SW", "W", "NW" })[math.floor((az + 22.5) % 360 / 45) + 1]
      fig:panel { row = 1, col = c, title = ("%s: %.1f km %s"):format(sc.var_title(v),
        move / 1000, dir) }:map {
        polygons = feats, values = vals, categories = names, colors = COLORS, legend = false,
        geographic = true, north_arrow = c == 1, scale_bar = c == 1, reserve = true,
        edge_width = 0.05, inset = { bbox = box, scale = 50 } }
    end
    fig:panel { row = 1, col = #vars + 1 }:legend { categories = names, colors = COLORS,
      symbols = { "fill", "line", "line", "path" }, title = "Gravity centre" }
    return { title = "Fig. 11  Gravity centres and ellipses", figure = fig }
  end,
}
