-- zones:stats on uncompressed GeoTIFFs, whose blocks are read in place
-- (mapped), gives the same bits as through GDAL (a DEFLATE copy): tiles,
-- strips, float64, blocks the file does not hold (SPARSE_OK), big-endian
-- files (read through GDAL), nodata and NaN cells, one and two threads.
local cbal = require "cbal"
local T = require "testutil"

local W, H = 300, 200

local function bits(a)
  local t = {}
  for i = 1, #a do t[i] = ("%a"):format(a[i]) end
  return table.concat(t, " ")
end

local function layer(path)
  local polys = {
    "[[[0.25,0.35],[29.725,0.35],[29.725,19.675],[0.25,19.675],[0.25,0.35]]]", -- nearly all
    "[[[6.03,6.03],[14.07,6.11],[10.02,13.99],[6.03,6.03]]]", -- across tile lines
    "[[[0,13.6],[6.4,13.6],[6.4,20],[0,20],[0,13.6]]]", -- one tile exactly
    "[[[25.05,15.05],[31,15.05],[31,21],[25.05,21],[25.05,15.05]]]", -- past the edge
    "[[[13,14],[19,14],[19,19.5],[13,19.5],[13,14]]]", -- inside the sparse tile
  }
  return T.geojson_polygons(path, polys)
end

describe("zones:stats on mapped GeoTIFF blocks", function()
  local dir, lyr, files
  setup(function()
    dir = T.tmpdir()
    math.randomseed(7)
    local v = {}
    for y = 0, H - 1 do
      for x = 0, W - 1 do
        local i = y * W + x + 1
        v[i] = (math.random() - 0.3) * 1000 + math.random()
        if (x * 7 + y * 3) % 97 == 0 then v[i] = -9999 end
        if (x + y) % 211 == 0 then v[i] = 0 / 0 end
        if x >= 128 and x < 192 and y < 64 then v[i] = -9999 end -- a tile of nodata
      end
    end
    local geo = "-a_srs EPSG:4326 -a_ullr 0 20 30 0 -a_nodata -9999"
    local tiles = " -co TILED=YES -co BLOCKXSIZE=64 -co BLOCKYSIZE=64"
    files = {
      ref = T.float_raster(dir, "ref", W, H, v, geo .. tiles .. " -co COMPRESS=DEFLATE"),
      tiled = T.float_raster(dir, "tiled", W, H, v, geo .. tiles),
      strips = T.float_raster(dir, "strips", W, H, v, geo .. " -co BLOCKYSIZE=7"),
      sparse = T.float_raster(dir, "sparse", W, H, v, geo .. tiles .. " -co SPARSE_OK=TRUE"),
      big = T.float_raster(dir, "big", W, H, v, geo .. tiles .. " -co ENDIANNESS=BIG"),
      f64 = T.float_raster(dir, "f64", W, H, v, geo .. tiles .. " -ot Float64"),
    }
    lyr = layer(dir .. "/zones.geojson")
  end)
  teardown(function() T.rmtree(dir) end)

  local STATS = {"count", "sum", "mean", "min", "max", "stdev", "median", "majority"}

  local function run(path, threads)
    local r = cbal.open_raster(path)
    local l <close> = cbal.open_layer(lyr)
    local z = cbal.zones(l, r, {mode = "exact"})
    local s = z:stats(r, STATS, {threads = threads})
    local t = {}
    for _, c in ipairs(s.columns) do t[c] = bits(s[c]) end
    r:close()
    return t
  end

  it("gives the bits of the GDAL path for every layout and thread count", function()
    local want = run(files.ref, 1)
    assert.is_true(#want.sum > 0 and not want.sum:find("nan"))
    for _, name in ipairs {"tiled", "strips", "sparse", "big", "f64"} do
      for _, th in ipairs {1, 2} do
        local got = run(files[name], th)
        for _, c in ipairs(STATS) do
          assert.are.equal(want[c], got[c], name .. ", " .. th .. " thread(s): " .. c)
        end
      end
    end
  end)

  it("reads a tile the file does not hold as nodata, as GDAL does", function()
    local size = function(p) local f = assert(io.open(p, "rb")); local n = f:seek("end"); f:close(); return n end
    assert.is_true(size(files.sparse) <= size(files.tiled) - 64 * 64 * 4) -- the tile is left out
    local r = cbal.open_raster(files.sparse)
    local l <close> = cbal.open_layer(lyr)
    local z = cbal.zones(l, r, {mode = "exact"})
    local s = z:stats(r, {"count", "min"})
    assert.are.equal(0, s.count[5])
    assert.is_true(s.min[5] ~= s.min[5])
    assert.is_true(s.count[3] > 4000) -- the next tile has values
    r:close()
  end)
end)

describe("zones:stats on a list of rasters", function()
  local dir, lyr, paths
  setup(function()
    dir = T.tmpdir()
    paths = {}
    for k = 1, 5 do
      local v = {}
      math.randomseed(k)
      for i = 1, W * H do v[i] = (math.random() - 0.5) * 100 * k end
      v[k * 7] = -9999
      local opts = "-a_srs EPSG:4326 -a_ullr 0 20 30 0 -a_nodata -9999 -co TILED=YES" ..
        (k % 2 == 0 and " -co COMPRESS=DEFLATE" or "")
      paths[k] = T.float_raster(dir, "r" .. k, W, H, v, opts)
    end
    lyr = layer(dir .. "/zones.geojson")
  end)
  teardown(function() T.rmtree(dir) end)

  local function same(a, b, cols)
    for _, c in ipairs(cols) do assert.are.equal(bits(a[c]), bits(b[c]), c) end
  end

  it("gives each raster's result, to the bit, for every kind of statistics", function()
    local l <close> = cbal.open_layer(lyr)
    local rs = {}
    for k, p in ipairs(paths) do rs[k] = cbal.open_raster(p) end
    local z = cbal.zones(l, rs[1], {mode = "exact"})
    for _, S in ipairs {{"count", "sum", "mean", "min", "max"}, {"stdev", "sum"},
                        {"median", "majority", "count"}} do
      for _, th in ipairs {1, 2} do
        local many = z:stats(rs, S, {threads = th})
        assert.are.equal(#rs, #many)
        for k, r in ipairs(rs) do same(z:stats(r, S, {threads = th}), many[k], S) end
      end
    end
    -- the same raster twice, and weights: one pass after the other
    local twice = z:stats({rs[1], rs[1]}, {"sum"})
    same(twice[1], twice[2], {"sum"})
    local w = z:stats({rs[1], rs[3]}, {"weighted_sum"}, {weights = rs[2]})
    same(w[2], z:stats(rs[3], {"weighted_sum"}, {weights = rs[2]}), {"weighted_sum"})
    assert.are.same({}, z:stats({}, {"sum"}))
    for _, r in ipairs(rs) do r:close() end
  end)

  it("names a raster that is not on the zones' grid", function()
    local l <close> = cbal.open_layer(lyr)
    local r1 = cbal.open_raster(paths[1])
    local ten = {}
    for i = 1, 100 do ten[i] = i end
    local other = T.float_raster(dir, "other", 10, 10, ten, "-a_srs EPSG:4326 -a_ullr 0 20 30 0")
    local r2 = cbal.open_raster(other)
    local z = cbal.zones(l, r1, {mode = "exact"})
    assert.error_matches(function() z:stats({r1, r2}, {"sum"}) end, "other.tif' is not on the zones' grid")
    r1:close()
    r2:close()
  end)
end)
