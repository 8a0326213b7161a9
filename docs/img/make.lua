-- Draws the pictures of docs/figures.md from the synthetic province
-- (generated into out/synthetic when missing):
--   build/cbal docs/img/make.lua [DATA_DIR]
local cbal = require "cbal"

local data = cbal.synthetic.generate { dir = arg[1] or "out/synthetic", quiet = true }
local here = arg[0]:match("^(.*)/[^/]*$") or "."
local counties <close> = cbal.open_layer(data.counties)
local cities <close> = counties:dissolve("city_en")
local country <close> = cbal.open_layer(data.country)
local names = counties:field("name")
local n = #names

-- A smooth made-up variable: high in the south-east (values per county).
local polys = counties:polygons()
local v, q = {}, {}
for i = 1, n do
  local x0, y0, x1, y1 = 1e9, 1e9, -1e9, -1e9
  local p = counties:polygons { where = ("code = %d"):format(counties:field("code")[i]) }
  x0, y0, x1, y1 = p:bbox()
  local cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
  v[i] = math.exp((cx - 116) * 0.45 - (cy - 31) * 0.35) * (1 + (i % 7) / 10)
  q[i] = 0.3 + (cx - 116) * 0.55 + (i % 5) / 6
end
assert(#polys == n)

local function save(fig, name)
  fig:save(here .. "/" .. name .. ".png")
  print("docs/img/" .. name .. ".png")
end

local function fig(w, h) return cbal.figure { width_mm = w, height_mm = h, dpi = 150 } end

-- 1. Layout: the frame fills the panel; legend (on its box), north arrow and
-- scale bar in free space; pretty limits.
local f = fig(90, 80)
f:panel {}:map { layer = counties, values = v, breaks = "jenks", k = 5,
  legend = { title = "C", units = "Mt CO\u{2082}" }, north_arrow = true, scale_bar = true }
save(f, "map_layout")

-- 2. Labels and callouts, with an inset of the dense south.
local lab = {}
for i = 1, n do lab[i] = names[i] end
lab.callouts = true
f = fig(130, 110)
f:panel {}:map { layer = counties, values = v, breaks = "jenks", k = 5, labels = lab,
  inset = { bbox = { 118.55, 31.85, 118.95, 32.2 }, scale = 3 }, -- the Nanjing-like core
  legend = { title = "C (Mt)" } }
save(f, "map_labels_inset")

-- 3. City overlay, graticule ticks and a locator.
f = fig(90, 80)
f:panel {}:map { layer = counties, values = v, breaks = "jenks", k = 4, palette = "YlGnBu",
  overlay = { layer = cities, width = 0.4 }, graticule = { step = 1 },
  locator = { layer = country }, legend = false }
save(f, "map_overlay_graticule_locator")

-- 4. Graticule lines, and a diverging palette centred on Q = 1.
f = fig(90, 80)
f:panel {}:map { layer = counties, values = q, breaks = { 0, 0.5, 1, 2, 3, 5 }, center = 1,
  palette = "RdBu_r", graticule = { step = 1, lines = true }, legend = { title = "Q" } }
save(f, "map_diverging_graticule")

-- 5. A line chart with its series named at their ends.
local yrs, series = {}, {}
for y = 2000, 2021 do yrs[#yrs + 1] = y end
for k, c in ipairs { "Nanjing", "Wuxi", "Suzhou", "Xuzhou", "Nantong" } do
  local y = {}
  for i = 1, #yrs do y[i] = 1 + k * 0.3 + (i / 22) ^ 1.4 * (2 + k * 0.6) end
  series[k] = { name = c, y = y }
end
f = fig(90, 60)
f:panel {}:line { x = yrs, series = series, direct_labels = true, xlabel = "Year", ylabel = "Q" }
save(f, "line_direct_labels")

-- 6. Stacked LMDI effects with the net change marked.
f = fig(90, 60)
f:panel {}:bars { categories = { "south", "central", "north", "province" }, stacked = true,
  series = { { name = "\u{0394}CI", values = { -2.1, -0.8, -0.4, -1.1 } },
             { name = "\u{0394}R", values = { 3.4, 1.9, 1.2, 2.2 } },
             { name = "\u{0394}I", values = { 0.4, 0.2, 0.1, 0.2 } },
             { name = "\u{0394}M", values = { 0.6, -0.2, 0.3, 0.2 } } },
  net = "\u{0394}Q", value_label = "\u{0394}Q" }
save(f, "bars_net")

-- 7. Themes: the same chart in the Nature and slide themes.
for _, t in ipairs { "nature", "slide" } do
  f = cbal.figure { theme = t, width_mm = t == "nature" and 89 or 180,
                    height_mm = t == "nature" and 55 or 100, dpi = t == "nature" and 150 or 75 }
  f:panel { title = cbal.themes.letter(t, 1) .. " Q per city" }:line { x = yrs,
    series = { series[1], series[3] }, xlabel = "Year", ylabel = "Q" }
  save(f, "theme_" .. t)
end

-- 8. The colour-blind-safe defaults and two palettes that are not.
local rows = { { "YlOrRd", 7 }, { "RdBu_r", 7 }, { "OkabeIto", 7 }, { "RdYlGn", 7 }, { "Set1", 7 } }
f = fig(120, 50)
local sq, idx, cols = {}, {}, {}
for r, row in ipairs(rows) do
  local info = cbal.palette_info(row[1], row[2])
  for k = 1, row[2] do
    local x, y = (k - 1) * 1.1, -(r - 1) * 1.3
    sq[#sq + 1] = { { x, y, x + 1, y, x + 1, y + 1, x, y + 1 } }
    cols[#cols + 1] = info.colors[k]
    idx[#idx + 1] = #cols
  end
end
local catnames, tags = {}, {}
for i = 1, #cols do catnames[i], tags[i] = tostring(i), false end
for r, row in ipairs(rows) do -- the palette's name left of its row
  local x, y = -6.6, -(r - 1) * 1.3
  sq[#sq + 1] = { { x, y, x + 6, y, x + 6, y + 1, x, y + 1 } }
  idx[#idx + 1] = 0 / 0
  local info = cbal.palette_info(row[1], row[2])
  tags[#sq] = ("%s (%d)"):format(row[1], info.cvd)
end
f:panel {}:map { polygons = sq, values = idx, categories = catnames, colors = cols,
  legend = false, geographic = false, labels = tags, nodata_color = "#ffffff",
  edge_color = "#ffffff" }
save(f, "palettes")
