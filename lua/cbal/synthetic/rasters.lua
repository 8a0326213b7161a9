-- Raster series of the synthetic province: land classes, DMSP-like night
-- lights and MOD17A3-like NPP per year, on grids covering the outline.
local cbal = require "cbal"
local P = require "cbal.synthetic.province"
local rng = require "cbal.synthetic.rng"
local ellipse = require("cbal.synthetic.counties").ellipse

local R = {}
local KX = P.KX

-- Inland water (lakes as ellipses, the river as a widening band) and big
-- foreign cities that light the edges.
local LAKES = { {120.18, 31.22, 0.26, 0.2}, {118.72, 33.30, 0.17, 0.16},
                {119.33, 32.85, 0.08, 0.16} }
local RIVER = { 118.40,31.68, 118.75,32.05, 119.05,32.22, 119.45,32.26,
                119.90,32.10, 120.30,31.97, 120.80,31.85, 121.30,31.72,
                121.95,31.58 }
local FOREIGN = { {121.45, 31.22, 2.2}, {117.39, 32.92, 0.8},
                  {118.31, 32.30, 0.6}, {118.50, 31.67, 0.7},
                  {118.35, 35.10, 0.8}, {120.10, 30.87, 0.6},
                  {120.75, 30.75, 0.7} }

local function river_band()
  local left, right, n = {}, {}, #RIVER // 2
  for i = 1, n do
    local a, b = math.max(i - 1, 1), math.min(i + 1, n)
    local dx, dy = (RIVER[2 * b - 1] - RIVER[2 * a - 1]) * KX, RIVER[2 * b] - RIVER[2 * a]
    local len = math.sqrt(dx * dx + dy * dy)
    local w = 0.015 + 0.06 * ((i - 1) / (n - 1)) ^ 2
    local nx, ny = -dy / len * w / KX, dx / len * w
    left[#left + 1] = { RIVER[2 * i - 1] + nx, RIVER[2 * i] + ny }
    table.insert(right, 1, { RIVER[2 * i - 1] - nx, RIVER[2 * i] - ny })
  end
  local ring = {}
  for _, p in ipairs(left) do ring[#ring + 1] = p[1]; ring[#ring + 1] = p[2] end
  for _, p in ipairs(right) do ring[#ring + 1] = p[1]; ring[#ring + 1] = p[2] end
  return ring
end

-- A grid covering the outline (+10 km) in crs, aligned on (x0, y0).
local function grid_for(outline, crs, cell, x0, y0)
  local xs, ys = {}, {}
  for k = 1, #outline // 2 do xs[k] = outline[2 * k - 1]; ys[k] = outline[2 * k] end
  local X, Y = cbal.transform(xs, ys, "EPSG:4326", crs)
  local m = 10000
  local c0 = math.floor((X:min() - m - x0) / cell)
  local c1 = math.ceil((X:max() + m - x0) / cell)
  local r0 = math.floor((y0 - Y:max() - m) / cell)
  local r1 = math.ceil((y0 - Y:min() + m) / cell)
  local g = { width = c1 - c0, height = r1 - r0, cell = cell, crs = crs,
              gt = { x0 + c0 * cell, cell, 0, y0 - r0 * cell, 0, -cell } }
  g.xs = cbal.seq(0, g.width - 1) * cell + (g.gt[1] + cell / 2)
  return g
end

-- Land classes on a grid: 0 foreign land, 1 province, 2 inland water, 3 sea.
local function classes(g, counties, sea, seed)
  local geoms, vals = { { { sea } } }, { 3 }
  for _, c in ipairs(counties) do geoms[#geoms + 1] = c.geom; vals[#vals + 1] = 1 end
  for i, l in ipairs(LAKES) do
    geoms[#geoms + 1] = { { ellipse(l[1], l[2], l[3] / KX, l[4], rng(seed + 200 + i), 40) } }
    vals[#vals + 1] = 2
  end
  geoms[#geoms + 1] = { { river_band() } }; vals[#vals + 1] = 2
  return cbal.rasterize(geoms, { width = g.width, height = g.height,
    geotransform = g.gt, crs = g.crs, src_crs = "EPSG:4326", values = vals })
end

-- Smooth value noise in [0, 1] (lattice every `span` metres) mixed with a
-- little white noise, as one row-major array.
local function noise_field(g, seed, span)
  local r = rng(seed)
  local lw = math.ceil(g.width * g.cell / span) + 2
  local lh = math.ceil(g.height * g.cell / span) + 2
  local lat = {}
  for k = 1, lw * lh do lat[k] = r.float() end
  local out = cbal.array(g.width * g.height)
  local f = g.cell / span
  local k = 0
  for y = 0, g.height - 1 do
    local fy = y * f
    local j = math.floor(fy); local ty = fy - j
    local b0, b1 = j * lw, (j + 1) * lw
    for x = 0, g.width - 1 do
      local fx = x * f
      local i = math.floor(fx); local tx = fx - i
      local v = (lat[b0 + i + 1] * (1 - tx) + lat[b0 + i + 2] * tx) * (1 - ty) +
                (lat[b1 + i + 1] * (1 - tx) + lat[b1 + i + 2] * tx) * ty
      k = k + 1
      out[k] = 0.8 * v + 0.2 * r.float()
    end
  end
  return out
end

-- Light sources: one core per county, two towns per county, big foreign
-- cities. dev in (0, 2]; t0 = year of half growth.
local function light_sources(counties, seed)
  local r = rng(seed + 400)
  local regdev = { south = 0.85, central = 0.62, north = 0.55 }
  local regt0 = { south = 2004, central = 2008, north = 2010.5 }
  local kinddev = { c = 1.7, s = 1.0, o = 0.65 }
  local src = {}
  for _, c in ipairs(counties) do
    local dev = regdev[c.region] * kinddev[c.kind] * r.range(0.8, 1.25)
    src[#src + 1] = { c.x, c.y, dev, regt0[c.region] + r.range(-1.5, 1.5), 1 }
    for _ = 1, 2 do
      src[#src + 1] = { c.x + r.range(-0.12, 0.12) / KX, c.y + r.range(-0.12, 0.12),
                        dev * 0.3, regt0[c.region] + r.range(-1, 3), 0.5 }
    end
  end
  for _, f in ipairs(FOREIGN) do src[#src + 1] = { f[1], f[2], f[3], 2004, 1 } end
  return src
end

-- Sources placed on grid g: x, y in the grid's CRS.
local function place(src, g)
  local xs, ys = {}, {}
  for i, s in ipairs(src) do xs[i] = s[1]; ys[i] = s[2] end
  local X, Y = cbal.transform(xs, ys, "EPSG:4326", g.crs)
  local out = {}
  for i, s in ipairs(src) do
    out[i] = { x = X[i], y = Y[i], dev = s[3], t0 = s[4], size = s[5] }
  end
  return out
end

-- Per year: amplitude (DN) and spread (m) of each source, and its
-- row-independent x profile on grid g.
local function year_profiles(placed, g, year)
  local prof = {}
  for i, s in ipairs(placed) do
    local grow = 1 / (1 + math.exp(-(year - s.t0) / 3.5))
    local amp = (20 + 90 * s.dev * grow) * s.size
    local sig = (1500 + 3000 * s.dev * grow) * s.size
    local gx = (((g.xs - s.x) / sig) ^ 2 * -0.5):exp() * amp
    prof[i] = { y = s.y, sig = sig, gx = gx }
  end
  return prof
end

-- Urban light intensity (DN before saturation) of row y (1-based) on g.
local function urban_row(prof, g, y)
  local yc = g.gt[4] - (y - 0.5) * g.cell
  local u = cbal.array(g.width, 0)
  for _, p in ipairs(prof) do
    local d = (yc - p.y) / p.sig
    if d > -3.5 and d < 3.5 then u = u + p.gx * math.exp(-0.5 * d * d) end
  end
  return u
end

local function light_raster(path, g, cls, noise, prof, year)
  local w = g.width
  local rural = 1.5 + 4 * (year - 2000) / 21
  cbal.write_raster(path, { width = w, height = g.height, geotransform = g.gt,
    crs = g.crs, type = "Byte", tiled = true, compress = "DEFLATE",
    values = function(y)
      local c = cls:slice((y - 1) * w + 1, y * w)
      local v = urban_row(prof, g, y) + noise:slice((y - 1) * w + 1, y * w) * rural
      v = v:where(v:le(63), 63)
      return v * (c:eq(0) + c:eq(1))
    end })
end

-- Vegetation productivity (kg C/m2/yr) hot spots: the south-west hills and
-- the Xuzhou hills, as sources with fixed amplitude.
local HILLS = { {119.30, 31.50, 0.25, 45000}, {118.95, 32.05, 0.12, 25000},
                {117.30, 34.35, 0.08, 30000} }

local function npp_raster(path, g, cls, noise, prof, hills, year, f, zero)
  local w = g.width
  cbal.write_raster(path, { width = w, height = g.height, geotransform = g.gt,
    crs = g.crs, type = "Int16", scale = 0.0001, offset = 0, nodata = 32767,
    tiled = true, compress = "DEFLATE",
    values = function(y)
      local a, b = (y - 1) * w + 1, y * w
      local c, nz = cls:slice(a, b), noise:slice(a, b)
      local urb = urban_row(prof, g, y) / 63
      urb = urb:where(urb:le(1), 1)
      local base = urban_row(hills, g, y) + 0.36 + (nz - 0.5) * 0.16
      local v = base * f * (1 - urb * 0.7) / 0.0001
      v = v:where(urb:lt(0.8) + nz:lt(0.3), 32762) -- parks stay vegetated
      v = v:where(nz:lt(0.985), 32761)
      v = v:where(c:ne(2), 32766)
      v = v:where(c:ne(3), 32767)
      return zero and v:where(zero:slice(a, b):eq(0), 0) or v
    end })
end

-- 1 on every cell of grid g that county c touches (zero_npp), else 0.
local function touched(g, c)
  return cbal.rasterize({ c.geom }, { width = g.width, height = g.height, geotransform = g.gt,
    crs = g.crs, src_crs = "EPSG:4326", values = { 1 }, all_touched = true, background = 0 })
end

local function hill_profiles(g)
  local src = {}
  for i, h in ipairs(HILLS) do src[i] = { h[1], h[2], 0, 0, 0 } end
  local placed = place(src, g)
  local prof = {}
  for i, h in ipairs(HILLS) do
    local p = placed[i]
    prof[i] = { y = p.y, sig = h[4],
                gx = (((g.xs - p.x) / h[4]) ^ 2 * -0.5):exp() * h[3] }
  end
  return prof
end

-- Writes the light and NPP rasters of years o.years[1]..o.years[2] (files.light
-- and files.npp patterns) for the counties, outline and sea of build_counties.
function R.write(files, o, counties, outline, sea, done)
  local scale = o.small and 4 or 1
  local lg = grid_for(outline, P.LIGHT_CRS, 1000 * scale, 0, 0)
  local ng = grid_for(outline, P.NPP_CRS, P.NPP_CELL * scale, P.MODIS_X0, P.MODIS_Y0)
  local src = light_sources(counties, o.seed)
  local lp, np = place(src, lg), place(src, ng)
  local lcls, ncls = classes(lg, counties, sea, o.seed), classes(ng, counties, sea, o.seed)
  local lnoise = noise_field(lg, o.seed + 600, 6000)
  local nnoise = noise_field(ng, o.seed + 700, 6000)
  local hills = hill_profiles(ng)
  local zero = o.zero and touched(ng, o.zero) or nil
  local yr = rng(o.seed + 800)
  local f = 1.0
  for y = 2000, o.years[2] do
    local nppf = f * (1 + 0.31 * (y - 2000) / 21) * (1 + 0.03 * yr.normal())
    if y >= o.years[1] then
      light_raster(files.light:gsub("{year}", tostring(y)), lg, lcls, lnoise,
                   year_profiles(lp, lg, y), y)
      npp_raster(files.npp:gsub("{year}", tostring(y)), ng, ncls, nnoise,
                 year_profiles(np, ng, y), hills, y, nppf, zero)
      done(y)
    end
  end
end

return R
