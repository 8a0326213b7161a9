-- Zonal statistics on generated equivalents of the cases other tools test
-- (exactextract, rasterstats): values worked out by hand in each case.
local cbal = require "cbal"
local T = require "testutil"

local make = T.float_raster

local layer = T.geojson_polygons

local function near(a, b) return math.abs(a - b) <= 1e-6 * math.max(1, math.abs(b)) end

local ONE_TO_NINE = {1, 2, 3, 4, 5, 6, 7, 8, 9}
local GRID3 = "-a_srs EPSG:4326 -a_ullr 0 3 3 0"
local SQUARE = "[[[0.5,0.5],[2.5,0.5],[2.5,2.5],[0.5,2.5],[0.5,0.5]]]"

describe("zonal statistics on peer tools' cases", function()
  local dir
  before_each(function() dir = T.tmpdir() end)
  after_each(function() T.rmtree(dir) end)

  local function stats(polys, tif, mode, ropts, sopts, list)
    local l <close> = cbal.open_layer(layer(dir .. "/p.geojson", polys))
    local r <close> = cbal.open_raster(tif, ropts)
    local z = cbal.zones(l, r, {mode = mode or "exact"})
    return z:stats(r, list, sopts)
  end
  local WEIGHTED = {"count", "sum", "mean", "min", "max", "weighted_sum", "weighted_mean", "weight"}

  it("exact coverage of squares, triangles and notches (exactextract)", function()
    local tif = make(dir, "g", 3, 3, {ONE_TO_NINE}, GRID3)
    local s = stats({SQUARE,
      "[[[0,0],[3,0],[0,3],[0,0]]]",                                  -- triangle
      "[[[0.5,0.5],[2.5,0.5],[2.5,2],[2,2],[2,2.5],[0.5,2.5],[0.5,0.5]]]", -- notch
      "[[[0.5,0.5],[1,0.5],[1,1],[0.5,1],[0.5,0.5]]]",               -- quarter cell
      "[[[1.5,0.5],[2.5,1.5],[1.5,2.5],[0.5,1.5],[1.5,0.5]]]"},       -- diamond
      tif)
    local want = {{4, 20}, {4.5, 26.5}, {3.75, 19.25}, {0.25, 1.75}, {2, 10}}
    for i, w in ipairs(want) do
      assert.is_true(near(s.count[i], w[1]), "count " .. i .. ": " .. s.count[i])
      assert.is_true(near(s.sum[i], w[2]), "sum " .. i .. ": " .. s.sum[i])
    end
    assert.are.equal(1, s.min[1]); assert.are.equal(9, s.max[1])
  end)

  it("a weight raster gives sum of v*c*w and mean over sum of c*w", function()
    local tif = make(dir, "g", 3, 3, {ONE_TO_NINE}, GRID3)
    local w <close> = cbal.open_raster(make(dir, "w", 3, 3, {{3, 3, 3, 2, 2, 2, 1, 1, 1}}, GRID3))
    local s = stats({SQUARE}, tif, "exact", nil, {weights = w}, WEIGHTED)
    assert.is_true(near(s.weighted_sum[1], 34)); assert.is_true(near(s.weight[1], 8))
    assert.is_true(near(s.weighted_mean[1], 4.25)); assert.is_true(near(s.count[1], 4))
    assert.is_true(near(s.sum[1], 20)); assert.is_true(near(s.mean[1], 5))
  end)

  it("honours a per-dataset mask band: masked cells are missing", function()
    local tif = make(dir, "m", 3, 3, {ONE_TO_NINE, {0, 0, 0, 255, 255, 255, 0, 0, 0}},
      "-b 1 -mask 2 " .. GRID3)
    local s = stats({SQUARE}, tif)
    assert.is_true(near(s.count[1], 2)); assert.is_true(near(s.sum[1], 10))
    assert.are.equal(4, s.min[1]); assert.are.equal(6, s.max[1])
    assert.is_true(near(s.missing[1], 2))
    local r <close> = cbal.open_raster(tif)
    assert.is_true(r.masked)
    local row = r:read(1)
    assert.is_true(row[1] ~= row[1])        -- masked: NaN
    assert.are.equal(4, r:read(2)[1])
    -- {mask = false} reads every cell
    local all = stats({SQUARE}, tif, "exact", {mask = false})
    assert.is_true(near(all.count[1], 4)); assert.is_true(near(all.sum[1], 20))
  end)

  it("a nodata mask is the nodata set, not a mask band", function()
    local tif = make(dir, "n", 3, 3, {{1, 2, 3, -99, -99, -99, 7, 8, 9}}, GRID3 .. " -a_nodata -99")
    local r <close> = cbal.open_raster(tif)
    assert.is_false(r.masked)
    local s = stats({SQUARE}, tif, "exact", {nodata = false})
    assert.is_true(near(s.count[1], 4))   -- -99 counts again once nodata is off
  end)

  it("nodata is tested on raw values, before scale and offset", function()
    -- raw -499 scales to -999 (= the raw nodata) and stays valid
    local tif = make(dir, "so", 3, 3, {{1, 2, 3, -999, -999, -999, 4, 5, -499}},
      GRID3 .. " -ot Int16 -a_nodata -999 -a_scale 2 -a_offset -1")
    local s = stats({SQUARE}, tif)
    assert.is_true(near(s.count[1], 2)); assert.is_true(near(s.missing[1], 2))
    assert.is_true(near(s.sum[1], -240.5)); assert.are.equal(-999, s.min[1])
  end)

  it("NaN cells are missing besides the nodata value (rasterstats' nan case)", function()
    local tif = make(dir, "nan", 2, 2, {{0 / 0, 12.25, -999, 12.75}},
      "-a_srs EPSG:4326 -a_ullr 0 2 2 0 -a_nodata -999")
    for _, mode in ipairs{"center", "touched", "exact"} do
      local s = stats({"[[[0,0],[2,0],[2,2],[0,2],[0,0]]]"}, tif, mode)
      assert.are.same({2, 2, 12.5, 12.25, 12.75}, {s.count[1], s.missing[1], s.mean[1], s.min[1], s.max[1]})
    end
  end)

  it("a weight raster off the grid is an error that says how to warp it", function()
    local tif = make(dir, "g", 3, 3, {ONE_TO_NINE}, GRID3)
    local w <close> = cbal.open_raster(make(dir, "w6", 6, 6, {setmetatable({}, {__index = function() return 1 end})}, "-a_srs EPSG:4326 -a_ullr 0 3 3 0"))
    local ok, err = pcall(stats, {SQUARE}, tif, "exact", nil, {weights = w}, WEIGHTED)
    assert.is_false(ok)
    assert.truthy(err:find("weight raster '" .. dir .. "/w6.tif' is not on the zones' grid (size differs: " ..
      "6x6 cells of 0.5 x -0.5 at (0, 3) vs zones 3x3 of 1 x -1 at (0, 3)); warp it onto that grid, " ..
      "e.g. gdalwarp -te 0 0 3 3 -ts 3 3", 1, true), err)
  end)

  it("a weight raster that is zero outside one row weights that row only", function()
    local tif = make(dir, "g", 3, 3, {ONE_TO_NINE}, GRID3)
    local w <close> = cbal.open_raster(make(dir, "w", 3, 3, {{0, 0, 0, 0, 0, 0, 1, 1, 1}}, GRID3))
    local s = stats({SQUARE}, tif, "exact", nil, {weights = w}, WEIGHTED)
    assert.are.same({4, 8, 1, 8, 1, 9}, {s.count[1], s.weighted_sum[1], s.weight[1], s.weighted_mean[1],
      s.min[1], s.max[1]})
  end)

  it("a polygon partly over nodata and partly outside counts both as missing", function()
    local v = {}
    for i = 1, 100 do v[i] = i end
    for _, i in ipairs{61, 62, 63, 64, 71, 72, 73, 74} do v[i] = -999 end
    local tif = make(dir, "g10", 10, 10, {v}, "-a_srs EPSG:4326 -a_ullr 0 10 10 0 -a_nodata -999")
    local s = stats({"[[[3.5,3.5],[4.5,3.5],[4.5,4.5],[3.5,4.5],[3.5,3.5]]]",
                     "[[[9.5,9.5],[10.5,9.5],[10.5,10.5],[9.5,10.5],[9.5,9.5]]]"}, tif)
    assert.is_true(near(s.count[1], 0.75)); assert.is_true(near(s.sum[1], 43.5))
    assert.is_true(near(s.missing[1], 0.25))
    assert.are.equal(54, s.min[1]); assert.are.equal(65, s.max[1])
    assert.is_true(near(s.count[2], 0.25)); assert.is_true(near(s.sum[2], 2.5))
    assert.is_true(near(s.missing[2], 0.75))
  end)

  it("names an unnamed CRS by its projection when reprojecting", function()
    local tif = make(dir, "aea", 3, 3, {ONE_TO_NINE}, "-a_srs '+proj=aea +lat_1=25 " ..
      "+lat_2=47 +lat_0=0 +lon_0=105 +datum=WGS84 +units=m' -a_ullr 1000000 3600000 1003000 3597000")
    local lp = layer(dir .. "/p.geojson", {"[[[115,32],[116,32],[116,33],[115,32]]]"})
    local script = dir .. "/rp.lua"
    T.write(script, ("local cbal = require 'cbal'\ncbal.zones(cbal.open_layer(%q), cbal.open_raster(%q))\n")
      :format(lp, tif))
    local rc, _, err = T.sh("env -u CBAL_QUIET " .. T.quote(T.cbal) .. " " .. T.quote(script))
    assert.are.equal(0, rc, err)
    assert.truthy(err:find("cbal: reprojecting p from EPSG:4326 to an unnamed " ..
      "Albers_Conic_Equal_Area CRS", 1, true), err)
  end)

  it("center and touched follow GDAL on cells with centres on edges", function()
    local tif = make(dir, "g", 3, 3, {ONE_TO_NINE}, GRID3)
    local c = stats({SQUARE, "[[[0,0],[3,0],[0,3],[0,0]]]"}, tif, "center")
    assert.are.same({6, 33}, {c.count[1], c.sum[1]})   -- gdal_rasterize: cols 2..3
    assert.are.same({6, 34}, {c.count[2], c.sum[2]})
    local t = stats({SQUARE}, tif, "touched")
    assert.are.same({9, 45}, {t.count[1], t.sum[1]})
  end)
end)
