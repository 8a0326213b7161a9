-- The command line of `cbal zonal`: its options (shaped after exactextract's
-- -r/-p/-w/-s/-o), their checks, and the usage text.
local err = require "cbal.zonal_cli.err"

local M = {}

M.usage_text = [[
usage: cbal zonal -r [name:]raster... -p polygons -s stat... -o output [options]

Zonal statistics of rasters over polygons, one row per polygon, written by
the output's extension: .csv, .xlsx, .gpkg, .fgb, .geojson (with the
polygons' geometry in the last three), .parquet when GDAL has the driver.
Rasters on one grid share one coverage build: each is one streaming pass.

  -r, --raster [name:]path   a raster (repeatable; several paths or a glob
                             after one -r). Columns are name_stat, or stat
                             for one unnamed raster; unnamed rasters among
                             several are named by their file name. A glob
                             with a name (-r 'ntl:DMSP*.tif') names each
                             file name_<the part * matched>
  -p, --polygons path        the polygons (any OGR vector: .shp, .gpkg, ...)
  -s, --stat stat            a statistic (repeatable): count, sum, mean,
                             min, max, stdev, median, majority, frac,
                             unique, weighted_sum, ...; with arguments
                             "quantile(q=0.9)"; named "total=sum"; a Lua
                             function lua:file.lua:name, called per polygon
                             with its values and coverage (cbal.Arrays)
  -o, --output path          the table to write (replaced whole, or left
                             untouched on any error)
  -w, --weights raster|area  weights for the weighted_* statistics: a
                             raster on the value rasters' grid, or "area"
                             (true cell area in m2)
  -f, --fid, --id field      a field of the polygons to write first
  --include-col field        more fields to copy (repeatable, or a,b,c)
  --mode exact|center|touched  how cells belong to polygons (default exact:
                             by the covered fraction of each cell)
  --coverage-weight w        the weight c of each covered cell: fraction
                             (default), none (1 for every covered cell),
                             area_cartesian, area_spherical_m2 or _km2
                             (per statistic: "count(coverage_weight=none)")
  --long                     one row per polygon x raster x statistic
                             (columns raster, stat, value)
  --dump ID                  instead of statistics, one row per cell of the
                             polygon whose --id is ID: cell_id, centre x and
                             y, coverage, weight (with -w), each raster's
                             value (and the cell's square in .gpkg/.fgb/...)
  --layer name               the layer of a multi-layer polygons file
  --where sql                an OGR SQL filter on the polygons
  --encoding name            the .dbf encoding of a shapefile (e.g. GBK)
  --datum gcj02|wgs84        the polygons' lon/lat are GCJ-02 (AMap, DataV:
                             converted to WGS84 on read) or true WGS84
  --crs crs                  the CRS of inputs that have none (EPSG:4326)
  --band n                   the band of every raster (default: each band)
  --nodata v[,v...]          raw values that mean "no data", replacing the
                             rasters' own
  --threads n                threads per pass (default: every core)
  --csv-bom                  start a CSV with a UTF-8 byte-order mark (for
                             Excel in a Chinese locale)
  --progress                 print a line per coverage build and raster
  -h, --help                 this help

Errors print one line "cbal zonal: ..." and exit 1 (2 for usage errors).
Example:
  cbal zonal -r ntl:DMSP2010.tif -p counties.gpkg --id adcode -s sum -s mean -o out.csv
]]

-- name -> {key =, value = true when it takes one, multi = true when it
-- collects values (repeatable, and bare words after it continue it)}
local options = {
  ["-r"] = { key = "rasters", value = true, multi = true },
  ["--raster"] = { key = "rasters", value = true, multi = true },
  ["-p"] = { key = "polygons", value = true },
  ["--polygons"] = { key = "polygons", value = true },
  ["-s"] = { key = "stats", value = true, multi = true },
  ["--stat"] = { key = "stats", value = true, multi = true },
  ["-o"] = { key = "output", value = true },
  ["--output"] = { key = "output", value = true },
  ["-w"] = { key = "weights", value = true },
  ["--weights"] = { key = "weights", value = true },
  ["-f"] = { key = "id", value = true },
  ["--fid"] = { key = "id", value = true },
  ["--id"] = { key = "id", value = true },
  ["--include-col"] = { key = "include", value = true, multi = true },
  ["--mode"] = { key = "mode", value = true },
  ["--coverage-weight"] = { key = "coverage_weight", value = true },
  ["--long"] = { key = "long" },
  ["--dump"] = { key = "dump", value = true },
  ["--layer"] = { key = "layer", value = true },
  ["--where"] = { key = "where", value = true },
  ["--encoding"] = { key = "encoding", value = true },
  ["--datum"] = { key = "datum", value = true },
  ["--crs"] = { key = "crs", value = true },
  ["--band"] = { key = "band", value = true },
  ["--nodata"] = { key = "nodata", value = true },
  ["--threads"] = { key = "threads", value = true },
  ["--csv-bom"] = { key = "csv_bom" },
  ["--progress"] = { key = "progress" },
  ["-h"] = { key = "help" },
  ["--help"] = { key = "help" },
}

-- The spelling a user typed for key (for messages): the long option.
local function spelled(key)
  local best
  for name, o in pairs(options) do
    if o.key == key and (not best or #name > #best) then best = name end
  end
  return best
end
M.spelled = spelled

local function set(a, opt, name, v)
  if v == "" then err.usage("%s has an empty value", name or "an option") end
  if opt.multi then
    a[opt.key] = a[opt.key] or {}
    table.insert(a[opt.key], v)
  elseif a[opt.key] ~= nil then
    err.usage("%s given twice; give it once", name)
  else
    a[opt.key] = v
  end
end

-- Splits argv into options: returns a table keyed by option key.
local function split(argv)
  local a, i, last = {}, 1, nil
  while i <= #argv do
    local s = argv[i]
    local name, inline = s:match("^(%-%-[^=]+)=(.*)$")
    name = name or s
    local opt = s:sub(1, 1) == "-" and s ~= "-" and options[name]
    if opt then
      last = opt.multi and { key = opt.key, multi = true, name = name } or nil
      if not opt.value then
        if inline then err.usage("%s takes no value (got '%s')", name, s) end
        set(a, opt, name, true)
      elseif inline then
        set(a, opt, name, inline)
      elseif i == #argv then
        err.usage("%s needs a value", name)
      else
        i = i + 1
        set(a, opt, name, argv[i])
      end
    elseif s:sub(1, 1) == "-" and s ~= "-" and not tonumber(s) then
      err.usage("unknown option '%s'", s)
    elseif last then
      set(a, last, last.name, s) -- -r a.tif b.tif: more values of the last list
    else
      err.usage("unexpected argument '%s' (options take one value each; " ..
        "only -r, -s and --include-col take several)", s)
    end
    i = i + 1
  end
  return a
end

local function positive_int(v, name)
  local n = math.tointeger(tonumber(v))
  if not n or n < 1 then
    err.usage("%s must be a whole number of at least 1, got '%s'", name, v)
  end
  return n
end

local function number_list(v, name)
  local list = {}
  for item in (v .. ","):gmatch("(.-),") do
    local n = tonumber(item)
    if not n then
      err.usage("%s takes numbers separated by commas (e.g. -9999 or " ..
        "32761,32767), got '%s'", name, v)
    end
    list[#list + 1] = n
  end
  return list
end

local function enum(v, name, allowed)
  for _, x in ipairs(allowed) do
    if v == x then return v end
  end
  err.usage("%s must be %s, got '%s'", name, table.concat(allowed, " or "), v)
end

-- Parses and checks argv (a list of strings). Returns the options, with
-- a.help set when -h was given (nothing else is checked then).
function M.parse(argv)
  local a = split(argv)
  if a.help then return a end
  if not a.rasters then err.usage("no raster: give one with -r path") end
  if not a.polygons then err.usage("no polygons: give them with -p path") end
  if not a.output then err.usage("no output: give the table to write with -o path.csv") end
  if not a.stats and not a.dump then
    err.usage("no statistic: ask for at least one with -s (e.g. -s sum -s mean)")
  end
  if a.dump then
    if not a.id then err.usage("--dump names a polygon by its id: give the id field with --id") end
    if a.stats then err.usage("--dump writes cells, not statistics: leave out -s") end
    if a.long then err.usage("--dump and --long cannot be combined") end
  end
  a.mode = enum(a.mode or "exact", "--mode", { "exact", "center", "touched" })
  a.coverage_weight = a.coverage_weight and
    enum(a.coverage_weight, "--coverage-weight", require("cbal.zonal_cli.stats").coverage_weights)
  a.datum = a.datum and enum(a.datum, "--datum", { "gcj02", "wgs84" })
  a.threads = a.threads and positive_int(a.threads, "--threads")
  a.band = a.band and positive_int(a.band, "--band")
  a.nodata = a.nodata and number_list(a.nodata, "--nodata")
  local include = {}
  for _, v in ipairs(a.include or {}) do
    for f in (v .. ","):gmatch("(.-),") do
      if f == "" then err.usage("--include-col has an empty field name in '%s'", v) end
      include[#include + 1] = f
    end
  end
  a.include = include
  if a.csv_bom and not a.output:lower():match("%.csv$") then
    err.usage("--csv-bom is for CSV output, and '%s' is not a .csv file", a.output)
  end
  return a
end

return M
