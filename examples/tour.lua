-- A tour of cbal's building blocks on the built-in synthetic province
-- (run `make example` first, which generates it in out/synthetic/):
--   build/cbal examples/tour.lua [data folder [map.png]]
local cbal = require "cbal"
local dir = arg[1] or "out/synthetic"
local map = arg[2] or "out/tour_Q2010.png"

-- Counties (GeoPackage, EPSG:4326) and one year of night light (Albers, DN 0-63).
local counties <close> = cbal.open_layer(dir .. "/counties.gpkg")
local names = counties:field("name")
local light <close> = cbal.open_raster(dir .. "/light/DMSP-like2010.tif")

-- Coverage of the counties on the light grid: reprojected and built once.
local zones = cbal.zones(counties, light, { mode = "exact" })
local dn = zones:stats(light, { "sum", "mean" }).sum         -- Σ DN x covered fraction

-- NPP (MOD17A3-like int16 on a sinusoidal grid): fill codes are not data.
local npp <close> = cbal.open_raster(dir .. "/npp/MOD17A3H_2010.tif",
  { nodata = { 32761, 32762, 32763, 32764, 32765, 32766, 32767 } })
local nz = cbal.zones(counties, npp)
local kgC = nz:stats(npp, { "weighted_sum" }, { weights = "area" }).weighted_sum  -- kg C/m² x m²

-- Emissions by night-light share, sequestration, carbon balance.
local C = cbal.alloc(590, dn)                                 -- Mt CO2, Σ C = 590
local N = cbal.carbon.sequestration(kgC, "kg C")              -- Mt CO2
local Q = C / N
print(("%d counties: Σ C = %.6f Mt, Σ N = %.1f Mt, imbalanced (Q > 1): %d")
  :format(#Q, C:sum(), N:sum(), Q:gt(1):sum()))

-- Shared class breaks and a map with legend, north arrow and scale bar.
local fig = cbal.figure { width_mm = 90, height_mm = 80, dpi = 200 }
fig:panel { row = 1, col = 1, title = "Q, 2010" }:map {
  layer = counties, values = Q, breaks = { 0, 1, 10, 40, math.huge },
  palette = "YlOrRd", legend = { title = "Q" }, north_arrow = true, scale_bar = true }
fig:save(map)
local top = 1
for i = 2, #Q do if Q[i] > Q[top] then top = i end end
print(("highest Q: %s (%.0f); map in %s"):format(names[top], Q[top], map))
