-- Small inputs for the `cbal zonal` specs, made with cbal's own writers:
-- a 4 x 3 grid of 1 km cells in UTM 50N holding 1..12 row by row,
--
--    1  2  3  4      y 3500000 (top)
--    5  6  7  8
--    9 10 11 12      y 3497000 (bottom), x 500000 .. 504000
--
-- and three polygons whose statistics are worked out by hand below:
--   A (code 101, 甲): the four top-left cells exactly: 1 2 5 6
--   B (code 102, 乙): x 502000..503600, y 3497000..3499000: cells 7 and 11
--      whole, 8 and 12 at 0.6 (their centres are inside)
--   D (code 104, 丁): x 500400..501400, y 3498400..3499400: touches 1 2 5 6
--      with coverage 0.24 0.16 0.36 0.24; only the centre of 5 is inside
local cbal = require "cbal"
local T = require "testutil"

local M = {}

M.crs = "EPSG:32650"
M.gt = { 500000, 1000, 0, 3500000, 0, -1000 }
M.values = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 }

-- Hand-computed results per polygon (A, B, D) for each mode.
M.exact = {
  sum = { 14, 30, 3.8 }, count = { 4, 3.2, 1 }, mean = { 3.5, 9.375, 3.8 },
  min = { 1, 7, 1 }, max = { 6, 12, 6 },
}
M.center = { sum = { 14, 38, 5 }, count = { 4, 4, 1 } }
M.touched = { sum = { 14, 38, 14 }, count = { 4, 4, 4 } }

local function rect(x0, y0, x1, y1)
  return { { { x0, y0, x1, y0, x1, y1, x0, y1, x0, y0 } } }
end

-- Writes a Float32 GeoTIFF of the grid with values scaled by k (or the
-- given values) at dir/name; opts: crs (false: none), nodata, width,
-- height, geotransform.
function M.raster(dir, name, k, opts)
  opts = opts or {}
  local w, h = opts.width or 4, opts.height or 3
  local values = opts.values
  if not values then
    values = {}
    for i, v in ipairs(M.values) do values[i] = v * (k or 1) end
  end
  local path = dir .. "/" .. name
  if opts.crs == false then -- through ENVI, which carries no CRS here
    local x0, y0 = M.gt[1], M.gt[4]
    return T.float_raster(dir, name:gsub("%.tif$", ""), w, h, values,
      ("-a_ullr %d %d %d %d"):format(x0, y0, x0 + 1000 * w, y0 - 1000 * h))
  end
  cbal.write_raster(path, {
    width = w, height = h, geotransform = opts.geotransform or M.gt,
    crs = opts.crs or M.crs, type = "Float32", values = cbal.array(values),
    nodata = opts.nodata,
  })
  return path
end

-- Writes the three polygons (A, B, D) to dir/name (a .gpkg by default).
function M.polygons(dir, name, crs)
  local path = dir .. "/" .. (name or "counties.gpkg")
  cbal.write_layer(path, {
    crs = crs or M.crs, layer = "counties",
    fields = { { name = "code", type = "integer" }, { name = "name", type = "string" },
      { name = "pop", type = "real" } },
    features = {
      { code = 101, name = "甲", pop = 1.5, geometry = rect(500000, 3498000, 502000, 3500000) },
      { code = 102, name = "乙", pop = 2.25, geometry = rect(502000, 3497000, 503600, 3499000) },
      { code = 104, name = "丁", pop = 3, geometry = rect(500400, 3498400, 501400, 3499400) },
    },
  })
  return path
end

-- Runs `cbal zonal` with the argument list; returns rc, stdout, stderr.
function M.zonal(args)
  return T.run_cbal { "zonal", table.unpack(args) }
end

-- Runs `cbal zonal` and asserts it succeeded; returns stdout, stderr.
function M.ok(args)
  local rc, out, err = M.zonal(args)
  require("luassert").equal(0, rc, err)
  return out, err
end

-- Inside a describe block: a fresh folder with the polygons and the
-- raster ntl.tif before each test, removed after it; set(dir, poly, ntl)
-- receives them.
function M.each_test(set)
  local busted = require "busted" -- the hooks of the spec being run
  local dir
  busted.before_each(function()
    dir = T.tmpdir()
    set(dir, M.polygons(dir), M.raster(dir, "ntl.tif"))
  end)
  busted.after_each(function() T.rmtree(dir) end)
end

-- Reads a CSV written by the command: columns by name, names in order.
function M.csv(path)
  local cols, names = cbal.read_table(path)
  return cols, names
end

function M.near(a, b, tol)
  return math.abs(a - b) <= (tol or 1e-6) * math.max(1, math.abs(b))
end

return M
