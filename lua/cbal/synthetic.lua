-- The built-in synthetic province (Jiangsu-like counties, night lights, NPP,
-- emissions, CEADs-style workbooks, socio-economic table), seeded and
-- byte-identical on every run: the public API and cache; cbal.synthetic.* build it.
local cbal = require "cbal"

local M = {}
M.version = "5"

-- The province's fixed facts and building blocks, also exposed here.
local P = require "cbal.synthetic.province"
local geo = require "cbal.synthetic.counties"
local rasters = require "cbal.synthetic.rasters"
local tables = require "cbal.synthetic.tables"
M.LIGHT_CRS, M.NPP_CRS, M.NPP_CELL = P.LIGHT_CRS, P.NPP_CRS, P.NPP_CELL
M.MODIS_X0, M.MODIS_Y0 = P.MODIS_X0, P.MODIS_Y0
M.cities, M.regions, M.emissions = P.cities, P.regions, P.emissions
M.rng = require "cbal.synthetic.rng"
M.area_km2 = geo.area_km2
-- County records and outline without writing anything (for tests).
M.build_counties = geo.build_counties

local mkdir = cbal.mkdir

local function read_all(path)
  local f = io.open(path, "rb")
  if not f then return nil end
  local s = f:read("a")
  f:close()
  return s
end

-- Files of a generated province in dir, as a study would name them.
function M.files(dir, years)
  return {
    dir = dir, years = years,
    counties = dir .. "/counties.gpkg", layer = "counties",
    light = dir .. "/light/DMSP-like{year}.tif",
    npp = dir .. "/npp/MOD17A3H_{year}.tif",
    emissions = dir .. "/emissions.csv",
    ceads = dir .. "/ceads/Emission_Inventories_for_30_Provinces_{year}.xlsx",
    ceads_years = { years[1], years[2] },
    socio = dir .. "/socioeconomic.csv",
    country = dir .. "/country.gpkg",
    stamp = dir .. "/stamp.txt",
  }
end

-- A made-up country around the province (one polygon, roughly the shape
-- of China with the province on its east coast), for the maps' locator;
-- written when missing, so cached provinces get it too.
local COUNTRY = { 73, 39.5, 79, 45, 87, 49, 96, 43, 111, 42.5, 119, 50, 127, 53, 134.5, 48,
  131, 43, 125, 40, 121.5, 39, 123.2, 36, 123.3, 31, 120.5, 27, 117, 23.5, 110, 21, 106, 22,
  98, 24, 92, 27.5, 85, 28, 79, 31, 74, 36 }

local function write_country(path)
  local f = io.open(path, "rb")
  if f then return f:close() end
  cbal.write_layer(path, { crs = "EPSG:4326", layer = "country",
    fields = { { name = "name", type = "string" } },
    features = { { name = "synthetic country", geometry = { { COUNTRY } } } } })
end

local function stamp_text(o)
  return ("cbal synthetic province v%s seed=%d small=%s years=%d-%d%s\n"):format(
    M.version, o.seed, tostring(o.small), o.years[1], o.years[2],
    o.zero_npp and " zero_npp=true" or "")
end

-- The county whose NPP zero_npp sets to 0: the first core (urban) district.
local function zero_county(counties)
  for _, c in ipairs(counties) do
    if c.kind == "c" then return c end
  end
end

-- Generates the province into opts.dir (default out/synthetic) unless a
-- stamp with the same version, seed and options is there. opts: dir, seed,
-- small (3 cities, coarse grids, 2000-2004), years = {first, last}, force,
-- quiet, zero_npp (off by default: one urban county, the first core
-- district, has NPP 0 on every cell it touches in every year, so its N is
-- 0; files.zero_npp is its code). Returns the file table (M.files).
function M.generate(opts)
  opts = require("cbal.opts").check("synthetic.generate", opts,
    { "dir", "seed", "small", "years", "force", "quiet", "zero_npp" })
  local o = { dir = opts.dir or "out/synthetic", seed = opts.seed or 20231330,
              small = opts.small and true or false, zero_npp = opts.zero_npp and true or false }
  o.years = opts.years or (o.small and { 2000, 2004 } or { 2000, 2021 })
  assert(o.years[1] >= 2000 and o.years[2] <= 2021 and o.years[1] <= o.years[2],
         "synthetic.generate: years must lie within 2000-2021")
  local files = M.files(o.dir, o.years)
  if not o.small then files.ceads_years = { 2000, 2010, 2019 } end -- M.files gives the first and last
  local say = opts.quiet and function() end or function(...) io.stderr:write(string.format(...)) end
  local last = tostring(o.years[2])
  local function exists(path)
    local fh = io.open(path, "rb")
    if fh then fh:close() end
    return fh ~= nil
  end
  if o.zero_npp then files.zero_npp = tostring(zero_county(geo.build_counties(o.seed, o.small)).code) end
  local complete = read_all(files.stamp) == stamp_text(o) and exists(files.socio)
    and exists(files.counties) and exists((files.light:gsub("{year}", last)))
    and exists((files.npp:gsub("{year}", last)))
  if not opts.force and complete then
    say("synthetic province: cached in %s\n", o.dir)
    files.cached = true
    write_country(files.country)
    return files
  end
  local t0 = os.clock()
  mkdir(o.dir .. "/light"); mkdir(o.dir .. "/npp"); mkdir(o.dir .. "/ceads")
  os.remove(files.stamp)
  local counties, outline, sea = geo.build_counties(o.seed, o.small)
  local feats = {}
  for i, c in ipairs(counties) do
    feats[i] = { geometry = c.geom, code = c.code, name = c.name, city = c.city,
                 city_en = c.city_en, city_code = c.city_code, region = c.region }
  end
  cbal.write_layer(files.counties, { crs = "EPSG:4326", layer = "counties",
    fields = { { name = "code", type = "integer" }, { name = "name", type = "string" },
               { name = "city", type = "string" }, { name = "city_en", type = "string" },
               { name = "city_code", type = "integer" }, { name = "region", type = "string" } },
    features = feats })
  o.zero = o.zero_npp and zero_county(counties) or nil
  if opts.quiet then
    rasters.write(files, o, counties, outline, sea, function() end)
  else -- one step per year written, through the progress bar of every long job
    local bar <close> = cbal.progress("synthetic province", o.years[2] - o.years[1] + 1)
    rasters.write(files, o, counties, outline, sea, function(y) bar:update(y - o.years[1] + 1) end)
    bar:finish()
  end
  tables.write(files, o, counties)
  os.remove(files.country)
  write_country(files.country)
  local f2 = assert(io.open(files.stamp, "wb"))
  f2:write(stamp_text(o))
  f2:close()
  say("synthetic province: %d counties, %d-%d, written to %s in %.1f s\n",
      #counties, o.years[1], o.years[2], o.dir, os.clock() - t0)
  return files
end

return M
