-- `cbal zonal --dump ID`: every cell of one polygon (the one whose --id
-- field is ID), one row per cell: cell_id, the cell centre, its coverage,
-- the weight (with -w) and each raster's value, for checking a polygon cell
-- by cell in a GIS (zones:dump underneath).
local cbal = require "cbal"
local err = require "cbal.zonal_cli.err"
local output = require "cbal.zonal_cli.output"

local M = {}

-- The OGR SQL filter selecting id == a.dump, with the user's --where.
local function filter(a, numeric)
  local v = a.dump
  if numeric then
    if not tonumber(v) then
      err.fail("--dump %s: the id field '%s' holds numbers, and '%s' is not one", v, a.id, v)
    end
  else
    v = "'" .. v:gsub("'", "''") .. "'"
  end
  local w = ('"%s" = %s'):format(a.id:gsub('"', '""'), v)
  if a.id:upper() == "FID" then w = "FID = " .. v end
  return a.where and ("(" .. a.where .. ") AND " .. w) or w
end

-- The polygons reopened with only the one to dump; checks there is one.
local function one_polygon(a, layer, path)
  local where = filter(a, type(layer:field(a.id)) ~= "table")
  local one = err.call("-p " .. path, cbal.open_layer, path, { layer = layer.name,
    where = where, encoding = a.encoding, crs = a.crs, datum = a.datum })
  if #one ~= 1 then
    local n = #one
    one:close()
    err.fail("--dump %s: %s polygon%s of %s %s %s = %s%s; --dump needs exactly one", a.dump,
      n == 0 and "no" or tostring(n), n == 1 and "" or "s", path, n == 1 and "has" or "have",
      a.id, a.dump, a.where and (" passing --where '" .. a.where .. "'") or "")
  end
  return one
end

local function dump_opts(a, weights)
  local o = { nodata = true, coverage_weight = a.coverage_weight }
  if weights then o.weights = weights == "area" and "area" or weights.raster end
  return o
end

-- The point (x, y) of the grid at column col and row row (fractional).
local function at(gt, col, row)
  return gt[1] + col * gt[2] + row * gt[3], gt[4] + col * gt[5] + row * gt[6]
end

-- The first columns: the id, cell_id, the cell centres, coverage, weights;
-- and each cell's square, for the spatial formats.
local function cell_columns(t, a, id, d, r)
  local gt, w, n = r.geotransform, r.width, #d.cell_id
  local ids, xs, ys, squares = {}, cbal.array(n, 0), cbal.array(n, 0), {}
  for i = 1, n do
    local c = math.tointeger(d.cell_id[i])
    local row, col = c // w, c % w
    ids[i] = id
    xs[i], ys[i] = at(gt, col + 0.5, row + 0.5)
    local ring = {}
    for _, corner in ipairs { { 0, 0 }, { 1, 0 }, { 1, 1 }, { 0, 1 }, { 0, 0 } } do
      local x, y = at(gt, col + corner[1], row + corner[2])
      ring[#ring + 1], ring[#ring + 2] = x, y
    end
    squares[i] = { { ring } }
  end
  output.add(t, a.id, ids, type(id) == "string" and "s" or "i")
  output.add(t, "cell_id", d.cell_id, "i")
  output.add(t, "x", xs)
  output.add(t, "y", ys)
  output.add(t, "coverage", d.coverage)
  if d.weights then output.add(t, "weight", d.weights) end
  return { crs = r:crs(), list = squares }
end

-- Writes the cells of polygon a.dump over the rasters (all on one grid).
function M.run(a, layer, path, groups, weights, kind)
  if #groups > 1 then
    err.fail("--dump: the rasters are on %d grids, whose cells differ; dump one grid at a time",
      #groups)
  end
  local g = groups[1]
  local one <close> = one_polygon(a, layer, path)
  local zones <close> = err.call(nil, cbal.zones, one, g[1].raster, { mode = a.mode })
  local t, cells = output.new(), nil
  local id = one:field(a.id)[1]
  for k, e in ipairs(g) do
    local d = err.call("-r " .. e.label, zones.dump, zones, e.raster, 1, dump_opts(a, weights))
    if k == 1 then cells = cell_columns(t, a, id, d, e.raster) end
    output.add(t, e.name and (e.name .. "_value") or "value", d.values)
    e.raster:close()
  end
  output.write(a, kind, t, kind == "layer" and cells or nil)
  return t
end

return M
