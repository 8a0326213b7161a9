-- Rasters as downloaded: HDF4-EOS subdatasets opened by name, tiles
-- mosaicked in memory (side by side, with a gap, misaligned), cbal.glob,
-- and rasters without a geotransform. The HDF4-EOS tiles are written by
-- tests/tools/mod17tile.c through the HDF-EOS2 library, as NASA's are.
local cbal = require "cbal"
local T = require "testutil"

local CELL = 463.31271653 -- the MODIS 500 m sinusoidal cell
local X0, Y0 = 10007554.677, 4447802.079 -- h27v05's corner
local SINU = "+proj=sinu +lon_0=0 +x_0=0 +y_0=0 +R=6371007.181 +units=m +no_defs"

-- A w x h tile at cell offset (cx, cy) from h27v05's corner; Npp of cell
-- (r, c) (0-based) is base + r*w + c, every fill-th cell 32767.
local function tile(dir, name, cx, cy, w, h, base, fill, dx)
  local path = dir .. "/" .. name
  local rc, _, err = T.sh(("%s/tests/tools/mod17tile %s %.6f %.6f %d %d %.8f %d %d"):format(
    T.build, T.quote(path), X0 + cx * CELL, Y0 - cy * CELL, w, h, dx or CELL, base, fill or 0))
  assert(rc == 0, err)
  return path
end

-- A polygon layer (GeoPackage in the sinusoidal CRS) covering cells
-- [c0, c1) x [r0, r1) of the grid from h27v05's corner.
local function block(dir, c0, r0, c1, r1)
  local x0, x1 = X0 + c0 * CELL, X0 + c1 * CELL
  local y0, y1 = Y0 - r1 * CELL, Y0 - r0 * CELL
  local path = dir .. "/zone.gpkg"
  os.remove(path)
  cbal.write_layer(path, { crs = SINU, fields = { { name = "id", type = "integer" } },
    features = { { id = 1, geometry = { { { x0, y0, x1, y0, x1, y1, x0, y1 } } } } } })
  return cbal.open_layer(path)
end

describe("HDF4-EOS subdatasets by name", function()
  local dir
  before_each(function() dir = T.tmpdir(); cbal.warnings(true) end)
  after_each(function() T.rmtree(dir) end)

  it("opens Npp_500m (or another) without the HDF4_EOS:EOS_GRID string", function()
    local p = tile(dir, "a.hdf", 0, 0, 8, 6, 100, 7)
    local r <close> = cbal.open_raster(p, { subdataset = "Npp_500m" })
    assert.equal(('HDF4_EOS:EOS_GRID:"%s":MOD_Grid_MOD17A3H:Npp_500m'):format(p), r.path)
    assert.equal(8, r.width)
    assert.equal("Int16", r.type)
    assert.equal(0.0001, r.scale)
    local row = r:read(1)
    assert.near(0.0100, row[1], 1e-12)
    assert.near(0.0105, row[6], 1e-12)
    assert.is_true(row[7] ~= row[7]) -- the 7th cell is 32767: nodata
    local g <close> = cbal.open_raster(p, { subdataset = "Gpp_500m" })
    assert.near(0.0200, g:read(1)[1], 1e-12)
    -- the full GDAL name works too
    local f <close> = cbal.open_raster(p, { subdataset = r.path })
    assert.equal(r.path, f.path)
  end)

  it("names the subdatasets when none or a wrong one is given", function()
    local p = tile(dir, "a.hdf", 0, 0, 4, 3, 1)
    local ok, msg = pcall(cbal.open_raster, p)
    assert.is_false(ok)
    assert.truthy(msg:find('pick one with {subdataset = "name"} (Npp_500m, Gpp_500m, Npp_QC_500m)', 1, true), msg)
    ok, msg = pcall(cbal.open_raster, p, { subdataset = "NPP" })
    assert.truthy(msg:find("has no subdataset 'NPP' (it has: Npp_500m, Gpp_500m, Npp_QC_500m)", 1, true), msg)
    local tif = T.float_raster(dir, "plain", 2, 2, { 1, 2, 3, 4 }, "-a_srs EPSG:4326 -a_ullr 0 2 2 0")
    ok, msg = pcall(cbal.open_raster, tif, { subdataset = "Npp_500m" })
    assert.truthy(msg:find("has no subdatasets (it is a plain raster)", 1, true), msg)
  end)
end)

describe("open_raster{paths = ...}: tiles mosaicked in memory", function()
  local dir
  before_each(function() dir = T.tmpdir(); cbal.warnings(true) end)
  after_each(function() T.rmtree(dir) end)

  it("puts two tiles side by side and sums over both as over each", function()
    local a = tile(dir, "MOD17A3HGF.A2010001.h27v05.061.hdf", 0, 0, 8, 6, 100, 7)
    local b = tile(dir, "MOD17A3HGF.A2010001.h28v05.061.hdf", 8, 0, 8, 6, 200, 5)
    local files = cbal.glob(dir .. "/MOD17A3HGF.A2010001.h2[78]v05.*.hdf")
    assert.same({ a, b }, files)
    local m <close> = cbal.open_raster { paths = files, subdataset = "Npp_500m" }
    assert.equal(16, m.width)
    assert.equal(6, m.height)
    assert.equal(2, #m.tiles)
    assert.truthy(m.tiles[2]:match("h28v05.*:Npp_500m$"))
    assert.equal(a .. " + 1 more tile [Npp_500m]", m.path)
    assert.equal(0.0001, m.scale)
    assert.same({ 32767 }, m.nodata)
    local gt = m.geotransform
    assert.near(X0, gt[1], 1e-6)
    -- row 2: tile a's cells 8..15 then tile b's 8..15
    local row = m:read(2)
    assert.near((100 + 8) * 1e-4, row[1], 1e-12)
    assert.near((200 + 8) * 1e-4, row[9], 1e-12)
    assert.is_true(row[6] ~= row[6]) -- a's cell 13 is its 14th: 14 % 7 == 0
    -- a zone over both tiles sums what zones over each tile sum
    local layer <close> = block(dir, 2, 1, 14, 5)
    local whole = cbal.zones(layer, m):stats(m, { "sum", "count" })
    local ra <close> = cbal.open_raster(a, { subdataset = "Npp_500m" })
    local rb <close> = cbal.open_raster(b, { subdataset = "Npp_500m" })
    local sa = cbal.zones(layer, ra):stats(ra, { "sum", "count" })
    local sb = cbal.zones(layer, rb):stats(rb, { "sum", "count" })
    assert.near(sa.sum[1] + sb.sum[1], whole.sum[1], 1e-9)
    assert.equal(sa.count[1] + sb.count[1], whole.count[1])
    -- threads reopen the in-memory mosaic: the same bits
    local z = cbal.zones(layer, m)
    assert.equal(z:stats(m, { "sum" }, { threads = 1 }).sum[1],
                 z:stats(m, { "sum" }, { threads = 2 }).sum[1])
  end)

  it("leaves cells no tile covers as nodata, with a mask when tiles declare none", function()
    tile(dir, "a.hdf", 0, 0, 4, 3, 1)
    tile(dir, "b.hdf", 4, 3, 4, 3, 1)
    local m <close> = cbal.open_raster { paths = { dir .. "/a.hdf", dir .. "/b.hdf" },
                                         subdataset = "Npp_500m" }
    assert.equal(8, m.width)
    assert.is_true(m:read(1)[5] ~= m:read(1)[5]) -- right of a, above b
    -- GeoTIFF tiles without nodata: an alpha band marks the gap
    local args = "-a_srs EPSG:4326 -a_ullr %g %g %g %g"
    local t1 = T.float_raster(dir, "t1", 2, 2, { 0, 1, 2, 3 }, args:format(0, 2, 2, 0))
    local t2 = T.float_raster(dir, "t2", 2, 2, { 4, 5, 6, 7 }, args:format(2, 0, 4, -2))
    local g <close> = cbal.open_raster { paths = { t1, t2 } }
    assert.is_true(g.masked)
    local v = g:read(1, 4)
    assert.equal(0, v[1]) -- darkness stays a value
    assert.is_true(v[3] ~= v[3]) -- the gap is missing, not 0
    assert.equal(4, v[11])
  end)

  it("refuses tiles that are not on one grid, naming the tile", function()
    local a = tile(dir, "a.hdf", 0, 0, 8, 6, 100)
    local off = dir .. "/off.hdf"
    local rc = T.sh(("%s/tests/tools/mod17tile %s %.6f %.6f 8 6 %.8f 1"):format(
      T.build, off, X0 + 8.5 * CELL, Y0, CELL))
    assert.equal(0, rc)
    local ok, msg = pcall(cbal.open_raster, { paths = { a, off }, subdataset = "Npp_500m" })
    assert.is_false(ok)
    assert.truthy(msg:find(("'%s' is 0.5 cells off the grid of '%s' in x"):format(off, a), 1, true), msg)
    local big = tile(dir, "big.hdf", 8, 0, 4, 3, 1, 0, 2 * CELL)
    ok, msg = pcall(cbal.open_raster, { paths = { a, big }, subdataset = "Npp_500m" })
    assert.truthy(msg:find(("'%s' has cells of 926.625433 x 926.625433 but '%s' of 463.3127165"):format(big, a), 1, true), msg)
    local t1 = T.float_raster(dir, "t1", 2, 2, { 0, 1, 2, 3 }, "-a_srs EPSG:4326 -a_ullr 0 2 2 0")
    local t2 = T.float_raster(dir, "t2", 2, 2, { 0, 1, 2, 3 }, "-a_srs EPSG:3857 -a_ullr 2 2 4 0")
    ok, msg = pcall(cbal.open_raster, { paths = { t1, t2 } })
    assert.truthy(msg:find(("'%s' is in EPSG:3857 but '%s' in EPSG:4326"):format(t2, t1), 1, true), msg)
  end)

  it("refuses bad paths", function()
    local a = tile(dir, "a.hdf", 0, 0, 4, 3, 1)
    local function err(pattern, ...)
      local ok, msg = pcall(cbal.open_raster, ...)
      assert.is_false(ok)
      assert.truthy(msg:find(pattern, 1, true), msg)
    end
    err("option 'paths' is empty", { paths = {} })
    err("paths[2] must be a file name, got number", { paths = { a, 3 } })
    err(("tile '%s' is given twice"):format(a), { paths = { a, a }, subdataset = "Npp_500m" })
    err("option 'paths' goes in the first argument", a, { paths = { a } })
    err("give the options in that same table", { paths = { a } }, { band = 1 })
    err(("cannot open raster '%s/none.hdf'"):format(dir), { paths = { a, dir .. "/none.hdf" }, subdataset = "Npp_500m" })
    assert.same({}, cbal.glob(dir .. "/MOD17*.hdf"))
  end)
end)

describe("rasters without a geotransform", function()
  local dir
  before_each(function() dir = T.tmpdir() end)
  after_each(function() T.rmtree(dir) end)

  it("are an error naming the file unless the grid is stated", function()
    local p = T.float_raster(dir, "nogt", 3, 2, { 1, 2, 3, 4, 5, 6 }, "")
    local ok, msg = pcall(cbal.open_raster, p)
    assert.is_false(ok)
    assert.truthy(msg:find(("'%s' has no geotransform"):format(p), 1, true), msg)
    assert.truthy(msg:find("{geotransform = {x0, dx, 0, y0, 0, dy}}", 1, true), msg)
    local r <close> = cbal.open_raster(p, { geotransform = { 118, 0.5, 0, 33, 0, -0.5 }, crs = "EPSG:4326" })
    assert.same({ 118, 0.5, 0, 33, 0, -0.5 }, r.geotransform)
    -- the stated grid is the one zones use
    T.write(dir .. "/z.geojson", [==[{"type":"FeatureCollection","features":[{"type":"Feature",
      "properties":{},"geometry":{"type":"Polygon","coordinates":[[[118,32.5],[118.5,32.5],
      [118.5,33],[118,33],[118,32.5]]]}}]}]==])
    local l <close> = cbal.open_layer(dir .. "/z.geojson")
    assert.equal(1, cbal.zones(l, r):stats(r, { "sum" }).sum[1])
    ok, msg = pcall(cbal.open_raster, p, { geotransform = { 0, 0, 0, 0, 0, -1 } })
    assert.truthy(msg:find("must be six finite numbers", 1, true), msg)
    ok, msg = pcall(cbal.open_raster, p, { geotransform = { 0, 1, 0 } })
    assert.truthy(msg:find("must be six numbers {x0, dx, 0, y0, 0, dy}, got 3", 1, true), msg)
    local g = T.float_raster(dir, "gt", 2, 2, { 1, 2, 3, 4 }, "-a_srs EPSG:4326 -a_ullr 0 2 2 0")
    ok, msg = pcall(cbal.open_raster, g, { geotransform = { 5, 1, 0, 2, 0, -1 } })
    assert.truthy(msg:find("already has a geotransform", 1, true), msg)
    local same <close> = cbal.open_raster(g, { geotransform = { 0, 1, 0, 2, 0, -1 } })
    assert.equal(2, same.width)
  end)
end)
