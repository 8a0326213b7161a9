-- Spatial analysis of real county emissions: the Chen et al. (2020) county
-- CO2 estimates of Jiangsu, 1997-2017, on the 97 AMap 2020 counties (the
-- public files of the real-data folder, SOURCES.md; cbal ships none):
--   build/cbal examples/real/spatial.lua DATA_DIR [OUT_DIR]
-- Queen weights from the boundaries (GCJ-02 converted to WGS84), then for
-- every year at once: Moran's I, Theil between and within cities with Gini,
-- the gravity centre and its ellipse; LISA clusters and Getis-Ord G_i* of
-- 2017. Prints a table and writes GAL weights and two figures.
local cbal = require "cbal"

local data = arg[1] or error("usage: cbal examples/real/spatial.lua DATA_DIR [OUT_DIR]", 0)
local out = arg[2] or "out/spatial_real"
local here = arg[0]:match("^(.*)/[^/]*$") or "."
os.execute("mkdir -p '" .. out .. "'")

local layer <close> = cbal.open_layer(data .. "/boundaries_amap2020/jiangsu_county_amap2020.shp",
  { datum = "gcj02" })
local ids, names, city = layer:field("adcode"), layer:field("name"), layer:field("ctname")
local w = cbal.weights(layer, { rule = "queen", snap = 1, id = "adcode", name = "name" })
w:write(out .. "/queen.gal")
print(("%s; %s"):format(tostring(w), w.basis))

-- Chen 2020 county CO2 (Mt) of each year on today's units, through the
-- code crosswalk for merged and renamed counties
local chen = cbal.read_table(data .. "/ceads_county_chen2020/jiangsu_county_co2_1997_2017_chen2020.csv")
local crosswalk = {}
do
  local t = cbal.read_table(here .. "/chen2020_to_amap2020.csv")
  for i = 1, #t.from do crosswalk[t.from[i]] = t.to[i] end
end
local C = {}
for y = 1997, 2017 do
  C[y] = cbal.validate.to_units(chen.distcode_raw, chen["C" .. y], ids, crosswalk)
end

local moran = cbal.spatial.moran(C, w)
local theil = cbal.spatial.theil(C, { groups = city })
local centres = cbal.spatial.centres(w, C)
print(("%-5s %7s %7s %8s %7s %7s %10s %9s %8s"):format("year", "I", "z", "p_sim", "T",
  "between", "Gini", "move km", "towards"))
for y = 1997, 2017 do
  local m, t, c = moran[y], theil[y], centres[y]
  print(("%-5d %7.3f %7.2f %8.3f %7.3f %6.1f%% %10.3f %9s %8s"):format(y, m.I, m.z_rand, m.p_sim,
    t.T, 100 * t.T_between_share, t.gini, c.distance and ("%.1f"):format(c.distance / 1000) or "",
    c.direction or ""))
end

local lisa = cbal.spatial.local_moran(C[2017], w)
local gi = cbal.spatial.getis_ord(C[2017], w)
local hot = {}
for i = 1, #gi.z do if gi.z[i] > 2.58 then hot[#hot + 1] = names[i] end end
print(("2017 LISA: %d high-high, %d low-low, %d low-high, %d high-low; G_i* hot spots "
  .. "(z > 2.58): %s"):format(lisa.counts["high-high"], lisa.counts["low-low"],
  lisa.counts["low-high"], lisa.counts["high-low"], table.concat(hot, " ")))

-- Figures: the 2017 LISA clusters, and the centre's path with the ellipses
local cats, colors = {}, { "#eeeeee", "#e31a1c", "#1f78b4", "#a6cee3", "#fb9a99" }
for c = 0, 4 do cats[c + 1] = lisa.labels[c] end
local cl = cbal.array(#lisa.cluster, 0)
for i = 1, #cl do cl[i] = lisa.cluster[i] + 1 end
local fig = cbal.figure { width_mm = 120, height_mm = 100, dpi = 200,
  title = "LISA clusters of county CO₂, 2017 (Chen et al. 2020)" }
fig:panel {}:map { layer = layer, values = cl, categories = cats, colors = colors,
  legend = { title = "LISA (alpha 0.05)" }, north_arrow = true, scale_bar = true }
fig:save(out .. "/lisa_2017.png")

-- the counties in grey, the two ellipses as outlines and the centre's
-- yearly path (with an inset zooming on it), each in its own colour
local sc = require "cbal.report.spatial_common"
local feats, cls = layer:polygons { crs = "EPSG:4326" }:totable(), {}
for i = 1, #feats do cls[i] = 1 end
local function add(f, c) feats[#feats + 1] = f; cls[#cls + 1] = c end
local c0, c1 = centres[1997], centres[2017]
add(sc.outline(c0.ellipse[1], c0.lon, c0.lat, 0.012), 2)
add(sc.outline(c1.ellipse[1], c1.lon, c1.lat, 0.012), 3)
local x0, y0, x1, y1 = math.huge, math.huge, -math.huge, -math.huge
for y = 1997, 2017 do
  local c = centres[y]
  x0, y0, x1, y1 = math.min(x0, c.lon), math.min(y0, c.lat), math.max(x1, c.lon), math.max(y1, c.lat)
  local seg = y > 1997 and sc.segment(centres[y - 1].lon, centres[y - 1].lat, c.lon, c.lat, 0.0012)
  if seg then add(seg, 4) end
  add({ sc.disk(c.lon, c.lat, 0.002, 12) }, y == 1997 and 2 or y == 2017 and 3 or 4)
end
local pad = 0.04
local f2 = cbal.figure { width_mm = 120, height_mm = 100, dpi = 200,
  title = "Centre of county CO₂ 1997–2017 and its standard deviational ellipses" }
f2:panel {}:map { polygons = feats, values = cls, geographic = true,
  categories = { "counties", "ellipse 1997", "ellipse 2017", "centre, yearly" },
  colors = { "#f0f0f0", "#2171b5", "#cb181d", "#252525" }, edge_width = 0.05,
  legend = { title = "Chen et al. 2020" }, north_arrow = true, scale_bar = true,
  inset = { bbox = { x0 - pad, y0 - pad, x1 + pad, y1 + pad }, scale = 6 } }
f2:save(out .. "/centres.png")
print("weights and figures in " .. out)
