-- The whole study at national size: about 2,850 counties, 22 years of 15"
-- night-light (Byte) and NPP (Int16, MOD17A3 fill codes) rasters over China
-- (14,000 x 6,000 cells each), generated once under build/bench/study with
-- cbal itself, then `scripts/study.lua` timed in a child process (wall time
-- and peak RSS via /usr/bin/time). Smaller runs: CBAL_BENCH_STUDY_YEARS=n,
-- CBAL_BENCH_STUDY_CELLS=cells per degree (240 = 15").
return function(ctx)
  local years = tonumber(os.getenv("CBAL_BENCH_STUDY_YEARS") or "22")
  local per_deg = tonumber(os.getenv("CBAL_BENCH_STUDY_CELLS") or "240")
  local dir = ("%s/bench/study-%d-%d"):format(ctx.build, years, per_deg)
  local y0, y1 = 2000, 2000 + years - 1
  local sh = require("benchutil").sh
  local now = require("cbal").now
  local gen = dir .. "/generate.lua"
  sh("mkdir -p '" .. dir .. "'")
  local f = assert(io.open(gen, "w"))
  f:write(([=[
local cbal = require "cbal"
local dir, Y0, Y1, PD = %q, %d, %d, %d
local X0, X1, YB, YT = 75.0, 133.0, 20.0, 45.0
local W, H, RES = math.floor((X1 - X0) * PD), math.floor((YT - YB) * PD), 1 / PD
local gt = { X0, RES, 0, YT, 0, -RES }
-- 57 x 50 jittered quads (2,850 counties) in 31 "provinces" of blocks
local NX, NY = 57, 50
local seed = 12345
local function rnd() seed = (seed * 1103515245 + 12345) %% 2147483648; return seed / 2147483648 end
local cx, cy = {}, {}
for i = 0, NX do
  cx[i] = {}
  cy[i] = {}
  for j = 0, NY do
    local jx = (i == 0 or i == NX) and 0 or (rnd() - 0.5) * 0.5
    local jy = (j == 0 or j == NY) and 0 or (rnd() - 0.5) * 0.5
    cx[i][j] = 75.3 + (i + jx) * (57.7 / NX)
    cy[i][j] = 20.3 + (j + jy) * (24.5 / NY)
  end
end
local feats, dev = {}, {}
for i = 0, NX - 1 do
  for j = 0, NY - 1 do
    local k = #feats + 1
    dev[k] = 0.3 + rnd() * 1.5
    feats[k] = { code = 100000 + k, name = "county " .. k, city = "city " .. (i // 3 * 20 + j // 3),
                 region = "province " .. (i // 10 * 6 + j // 9),
                 geometry = { { { cx[i][j], cy[i][j], cx[i + 1][j], cy[i + 1][j],
                                  cx[i + 1][j + 1], cy[i + 1][j + 1], cx[i][j + 1], cy[i][j + 1] } } } }
  end
end
cbal.write_layer(dir .. "/counties.gpkg", { layer = "counties", crs = "EPSG:4326",
  fields = { { name = "code", type = "integer" }, { name = "name", type = "string" },
             { name = "city", type = "string" }, { name = "region", type = "string" } },
  features = feats })
-- rows: a smooth field (separable sines), growing over time; "sea" in a corner
local col = cbal.seq(0, W - 1)
local sinx = {}
do local t = {} for x = 1, W do t[x] = math.sin((x - 1) / 700) end sinx = cbal.array(t) end
for y = Y0, Y1 do
  local g = (y - Y0) / math.max(1, Y1 - Y0)
  cbal.write_raster(dir .. "/light/L" .. y .. ".tif", { width = W, height = H, geotransform = gt,
    crs = "EPSG:4326", type = "Byte", tiled = true, compress = "DEFLATE",
    values = function(r)
      local v = sinx * (20 * math.cos(r / 500)) + (20 + 20 * g)
      v = v:where(v:le(63), 63)
      return v:where(col:lt(2.2 * W - 2 * r), 0)
    end })
  cbal.write_raster(dir .. "/npp/N" .. y .. ".tif", { width = W, height = H, geotransform = gt,
    crs = "EPSG:4326", type = "Int16", scale = 0.0001, nodata = 32767, tiled = true,
    compress = "DEFLATE",
    values = function(r)
      local v = sinx * (800 * math.sin(r / 300)) + (4000 * (1 + 0.2 * g))
      v = v:where(col:lt(2.2 * W - 2 * r), 32767)
      return v:where(col:ne(r * 7 %% W), 32762)
    end })
end
local em, so = { year = {}, emissions = {} }, { code = {}, year = {}, gdp = {}, population = {}, area = {} }
for y = Y0, Y1 do
  em.year[#em.year + 1] = y
  em.emissions[#em.emissions + 1] = 3300 + (y - 2000) * 350
  for k = 1, #feats do
    local n = #so.code + 1
    so.code[n], so.year[n] = 100000 + k, y
    so.population[n] = 40 * dev[k] * (1 + 0.005 * (y - 2000))
    so.gdp[n] = so.population[n] * dev[k] * (1.09 ^ (y - 2000))
    so.area[n] = 3300
  end
end
cbal.write_table(dir .. "/emissions.csv", em, { order = { "year", "emissions" } })
cbal.write_table(dir .. "/socio.csv", so, { order = { "code", "year", "gdp", "population", "area" } })
local s = assert(io.open(dir .. "/stamp.txt", "w")); s:write("ok\n"); s:close()
]=]):format(dir, y0, y1, per_deg))
  f:close()
  local desc = dir .. "/study_desc.lua"
  f = assert(io.open(desc, "w"))
  f:write(([=[
local d = %q
return {
  title = "National-size synthetic study (bench)",
  counties = { path = d .. "/counties.gpkg", layer = "counties", id = "code", name = "name",
               city = "city", region = "region" },
  years = { %d, %d },
  emissions = { table = d .. "/emissions.csv" },
  light = { path = d .. "/light/L{year}.tif" },
  npp = { path = d .. "/npp/N{year}.tif", units = "kg C" },
  socio = { table = d .. "/socio.csv" },
  periods = { { %d, %d } },
  map_years = { %d, %d },
  out = d .. "/out",
}
]=]):format(dir, y0, y1, y0, y1, y0, y1))
  f:close()
  local st = io.open(dir .. "/stamp.txt")
  if st then
    st:close()
    print("generated data: cached in " .. dir)
  else
    sh("mkdir -p '" .. dir .. "/light' '" .. dir .. "/npp'")
    local t0 = now()
    sh(("cd '%s' && '%s' '%s'"):format(ctx.root, ctx.cbal, gen))
    print(("generated %d years of two %d x %d rasters and 2,850 counties in %.1f s")
      :format(years, math.floor(58 * per_deg), math.floor(25 * per_deg), now() - t0))
  end
  local t0 = now()
  sh(("cd '%s' && /usr/bin/time -f '%%e s wall, %%M KB peak RSS' '%s' scripts/study.lua '%s' --quiet 2> '%s/time.txt'")
    :format(ctx.root, ctx.cbal, desc, dir))
  local tf = assert(io.open(dir .. "/time.txt"))
  local last
  for line in tf:lines() do last = line end
  tf:close()
  print(("study (2,850 counties, %d years, %d\" grids): %s (measured %.1f s)")
    :format(years, math.floor(3600 / per_deg), last or "?", now() - t0))
end
