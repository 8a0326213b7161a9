-- The output of `cbal zonal`: the format chosen by the extension (checked
-- before any work), the table assembled (wide, or --long), and the write
-- through cbal.write_table (CSV, XLSX) or cbal.write_layer (the rest).
local cbal = require "cbal"
local err = require "cbal.zonal_cli.err"
local json = require "cbal.json"

local M = {}

local tables = { csv = true, xlsx = true }
local layers = { gpkg = true, fgb = true, geojson = true, json = true, parquet = true }

-- Checks -o before any work: a known extension whose driver GDAL has, an
-- existing folder, not one of the inputs. Returns "table" or "layer".
function M.check(a, inputs)
  local path = a.output
  local ext = (path:match("%.([%w]+)$") or ""):lower()
  local kind = tables[ext] and "table" or layers[ext] and "layer"
  if not kind then
    err.fail("-o %s: cannot write %s (use .csv, .xlsx, .gpkg, .fgb, " ..
      ".geojson or .parquet)", path, ext == "" and "a file without an extension"
      or ("'." .. ext .. "' files"))
  end
  if kind == "layer" then
    local driver = err.call(nil, cbal.layer_format, path)
    if driver == "FlatGeobuf" and a.long then
      err.fail("-o %s: --long writes a table without geometry, which FlatGeobuf " ..
        "cannot hold; use .csv, .xlsx, .gpkg or .geojson", path)
    end
  end
  local dir = path:match("^(.*)/[^/]*$") or "."
  if dir ~= "" and not io.open(dir, "r") then
    err.fail("-o %s: the folder '%s' does not exist; create it first", path, dir)
  end
  local norm = function(p) return (p:gsub("^%./", ""):gsub("/%./", "/"):gsub("//+", "/")) end
  for _, p in ipairs(inputs) do
    if norm(p) == norm(path) then
      err.fail("-o %s is also an input; write the results to another file", path)
    end
  end
  return kind
end

-- A list-valued result of one polygon as JSON text ("[1,2,5]").
function M.json(list)
  local parts = {}
  for i = 1, #list do
    local v = list[i]
    parts[i] = type(v) == "string" and json.string(v) or json.number(v)
  end
  return "[" .. table.concat(parts, ",") .. "]"
end

-- A column from layer:field: strings (null -> "") or numbers; kind "s",
-- "i" (every value a whole number) or "r".
function M.field_column(layer, name)
  local v = err.call("--include-col " .. name, layer.field, layer, name)
  if type(v) == "table" then
    local t = {}
    for i = 1, #v do t[i] = v[i] or "" end
    return t, "s"
  end
  for i = 1, #v do
    local x = v[i]
    if x == x and (x ~= math.floor(x) or math.abs(x) >= 2 ^ 53) then return v, "r" end
  end
  return v, "i"
end

-- A new table: {order = {names}, cols = {name = values}, kinds = {name = s|i|r}}.
function M.new() return { order = {}, cols = {}, kinds = {} } end

function M.add(t, name, values, kind)
  if t.cols[name] then
    err.fail("two columns would be named '%s'; name a statistic with " ..
      "-s newname=stat or the rasters with -r name:path", name)
  end
  t.order[#t.order + 1] = name
  t.cols[name], t.kinds[name] = values, kind or "r"
end

local function nrows(t)
  local c = t.cols[t.order[1]]
  return c and #c or 0
end

-- Feature rows for cbal.write_layer: one attribute table per row.
local function features(t)
  local n, rows = nrows(t), {}
  for i = 1, n do
    local row = {}
    for _, name in ipairs(t.order) do
      local v = t.cols[name][i]
      if v ~= "" or t.kinds[name] ~= "s" then row[name] = v end
    end
    rows[i] = row
  end
  return rows
end

-- Writes t to a.output. geometries: the polygons' layer (one feature per
-- row, in layer order), {crs =, list = {geometry per row}} (cells of
-- --dump), or nil for a table without geometry.
function M.write(a, kind, t, geometries)
  if kind == "table" then
    return err.call("-o " .. a.output, cbal.write_table, a.output, t.cols,
      { order = t.order, bom = a.csv_bom or nil })
  end
  local fields = {}
  for i, name in ipairs(t.order) do
    local k = t.kinds[name]
    fields[i] = { name = name, type = k == "s" and "string" or k == "i" and "integer" or "real" }
  end
  local layer = (a.output:match("([^/]+)$") or "zonal"):gsub("%.[^.]*$", "")
  local rows, crs = features(t), nil
  if type(geometries) == "table" then -- cells; without a CRS, no geometry
    crs = geometries.crs
    for i, g in ipairs(crs and geometries.list or {}) do rows[i].geometry = g end
    geometries = nil
  end
  err.call("-o " .. a.output, cbal.write_layer, a.output, {
    fields = fields, features = rows, layer = layer, crs = crs,
    geometries = geometries,
    geometry_type = (geometries or crs) and "MultiPolygon" or "None",
  })
end

return M
