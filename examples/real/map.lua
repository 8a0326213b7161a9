-- A journal map of real boundaries: the 97 AMap 2020 counties of Jiangsu
-- (GCJ-02, converted to WGS84 on read), every county named, CO2 emissions
-- of 2008 allocated from the CEADs provincial total by 5' night light,
-- 183 mm wide. The urban cores too small for their names (Nanjing's in an
-- inset, the others as callouts) are all named; any label that still finds
-- no room is listed in a warning.
--   build/cbal examples/real/map.lua DATA_DIR [OUT.png] [LOCATOR_LAYER]
-- DATA_DIR is the real-data folder (see its SOURCES.md); LOCATOR_LAYER, a
-- layer of a larger area (e.g. China), adds a locator map.
local cbal = require "cbal"

local data = arg[1] or error("usage: cbal examples/real/map.lua DATA_DIR [OUT.png] [LOCATOR_LAYER]", 0)
local out = arg[2] or "out/real_map.png"
local YEAR = 2008 -- the year of the harmonized night light (SOURCES.md)

local counties <close> = cbal.open_layer(data .. "/boundaries_amap2020/jiangsu_county_amap2020.shp",
  { datum = "gcj02" })
local light <close> = cbal.open_raster(data .. "/ntl_harmonized_dmsp_china_5min/ChinaOnly5min.tif")
local total = cbal.ceads.province_totals(
  { data .. ("/ceads_province/Emission_Inventories_for_30_Provinces_%d.xlsx"):format(YEAR) },
  "Jiangsu")[YEAR]

-- Emissions by night-light share (exact coverage of the 5' cells).
local dn = cbal.zones(counties, light):stats(light, { "sum" }).sum
local C = cbal.alloc(total, dn)
local names = counties:field("name")
names.callouts = true -- labels with no room inside their county go outside, with leaders
local cities <close> = counties:dissolve("ctname")
local locator = arg[3] and cbal.open_layer(arg[3]) or nil

local fig = cbal.figure { width_mm = 183, height_mm = 172, dpi = 300 }
local p = fig:panel {}
p:map { layer = counties, values = C, breaks = "jenks", k = 6, palette = "YlOrRd",
        legend = { title = ("CO\u{2082} emissions %d"):format(YEAR), units = "Mt" },
        labels = names, overlay = { layer = cities, width = 0.45 },
        inset = { bbox = { 118.68, 31.96, 118.93, 32.13 }, scale = 4.5 }, -- Nanjing's core
        graticule = { step = 1 }, north_arrow = true, scale_bar = true,
        locator = locator and { layer = locator } or nil }
local info = p:info()
fig:save(out)
fig:save((out:gsub("%.png$", ".pdf")))

print(("%d counties, %.2f Mt allocated (CEADs Jiangsu %d: %.2f Mt)"):format(#C, C:sum(), YEAR, total))
print(("classes: %s"):format(table.concat(info.legend, " | ")))
print(("labels: %d in their counties, %d as callouts, %d in the inset, %d not shown")
  :format(info.labels.map, info.labels.callouts, info.labels.inset, info.labels.dropped))
local where = {}
for k, v in pairs(info.placement) do where[#where + 1] = k .. " " .. v end
table.sort(where)
print("placed: " .. table.concat(where, ", "))
print("map in " .. out)
