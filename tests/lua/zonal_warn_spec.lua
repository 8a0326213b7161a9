-- Zones and stats on inputs that used to give silent or vague results:
-- null and empty geometries, infinite cells, a rotated raster, a bad
-- CBAL_THREADS, projected coordinates labelled EPSG:4326.
local cbal = require "cbal"
local T = require "testutil"

local make = T.float_raster
local GRID3 = "-a_srs EPSG:4326 -a_ullr 0 3 3 0"

-- A GeoJSON file from {id, geometry JSON} pairs.
local function geojson(path, feats)
  local f = {}
  for i, p in ipairs(feats) do
    f[i] = ('{"type":"Feature","properties":{"code":"%s"},"geometry":%s}'):format(p[1], p[2])
  end
  T.write(path, ('{"type":"FeatureCollection","features":[%s]}'):format(table.concat(f, ",")))
  return path
end

local SQUARE = '{"type":"Polygon","coordinates":[[[0.5,0.5],[2.5,0.5],[2.5,2.5],[0.5,2.5],[0.5,0.5]]]}'

describe("zones on odd inputs", function()
  local dir, tif
  setup(function()
    dir = T.tmpdir()
    tif = make(dir, "g", 3, 3, {1, 2, 3, 4, 5, 6, 7, 8, 9}, GRID3)
  end)
  teardown(function() T.rmtree(dir) end)

  it("warns naming each feature with a null or empty geometry, with its id", function()
    local p = geojson(dir .. "/e.geojson", {{"320102", SQUARE}, {"320104", "null"},
      {"320105", '{"type":"Polygon","coordinates":[]}'}, {"320106", SQUARE}})
    local r <close> = cbal.open_raster(tif)
    cbal.warnings(true)
    local z = cbal.zones(cbal.open_layer(p), r, {id = "code"})
    local w = cbal.warnings(true)
    assert.are.equal(1, #w, table.concat(w, "\n"))
    assert.truthy(w[1]:find("zones: 2 features of '" .. p .. "' have no geometry (null or empty) " ..
      "and cover nothing, so their count and sum are 0: feature 2 (id 320104), feature 3 (id 320105)",
      1, true), w[1])
    local s = z:stats(r, {"count", "sum"})
    assert.are.same({4, 0, 0, 4}, s.count:totable())
    -- without ids, the features are named by position
    cbal.warnings(true)
    cbal.zones(cbal.open_layer(p), r)
    w = cbal.warnings(true)
    assert.truthy(w[1]:find(": feature 2, feature 3", 1, true), w[1])
  end)

  it("warns naming the zones where a cell is infinite", function()
    local inf = make(dir, "inf", 3, 3, {1, 2, 3, 4, math.huge, 6, 7, 8, 9}, GRID3)
    local p = geojson(dir .. "/two.geojson", {{"a", SQUARE},
      {"b", '{"type":"Polygon","coordinates":[[[0,2],[1,2],[1,3],[0,3],[0,2]]]}'}})
    local r <close> = cbal.open_raster(inf)
    local z = cbal.zones(cbal.open_layer(p), r, {id = "code"})
    cbal.warnings(true)
    local s = z:stats(r, {"sum"})
    local w = cbal.warnings(true)
    assert.are.equal(math.huge, s.sum[1]); assert.are.equal(1, s.sum[2])
    assert.are.equal(1, #w, table.concat(w, "\n"))
    assert.truthy(w[1]:find("raster '" .. inf .. "' has infinite values in 1 zone, so its sums " ..
      "and means are infinite or NaN: zone 1 (id a)", 1, true), w[1])
  end)

  it("names the raster whose grid is rotated", function()
    local vrt = dir .. "/rot.vrt"
    assert.are.equal(0, (T.sh("gdal_translate -q -of VRT " .. tif .. " " .. vrt)))
    local x = T.read(vrt):gsub("<GeoTransform>[^<]*</GeoTransform>",
      "<GeoTransform>0, 1, 0.2, 3, 0.1, -1</GeoTransform>")
    T.write(vrt, x)
    local r <close> = cbal.open_raster(vrt)
    local ok, err = pcall(cbal.zones, cbal.open_layer(geojson(dir .. "/s.geojson", {{"a", SQUARE}})), r)
    assert.is_false(ok)
    assert.truthy(err:find("zones: raster '" .. vrt .. "': rotated grid (geotransform terms " ..
      "gt[2]=0.2, gt[4]=0.1) is not supported: warp the raster north-up first", 1, true), err)
  end)

  it("refuses a CBAL_THREADS that is not a number of threads", function()
    local script = dir .. "/t.lua"
    T.write(script, ("local cbal = require 'cbal'\nlocal r = cbal.open_raster(%q)\n" ..
      "local z = cbal.zones(cbal.open_layer(%q), r)\nprint(z:stats(r, {'sum'}).sum[1])\n")
      :format(tif, geojson(dir .. "/s.geojson", {{"a", SQUARE}})))
    local rc, out, err = T.sh("CBAL_THREADS=abc " .. T.quote(T.cbal) .. " " .. T.quote(script))
    assert.are.equal(1, rc, out)
    assert.truthy(err:find("t.lua:3: CBAL_THREADS='abc' is not a number of threads (set a " ..
      "whole number, 1 or more, or unset it to use every core)", 1, true), err)
    local err2
    rc, out, err2 = T.sh("env -u CBAL_QUIET CBAL_THREADS=2 " .. T.quote(T.cbal) .. " " .. T.quote(script))
    assert.are.equal(0, rc)
    assert.are.equal("20.0\n", out)
    assert.are.equal("", err2) -- a small pass draws no progress, not even in a log
  end)

  it("refuses projected coordinates labelled EPSG:4326 over a lon/lat raster too", function()
    -- UTM metres in a GeoJSON file (always read as EPSG:4326), raster in lon/lat:
    -- no reprojection, and still the error that names the CRS as wrong
    local p = geojson(dir .. "/utm.geojson", {{"a", '{"type":"Polygon","coordinates":' ..
      '[[[500000,3500000],[501000,3500000],[501000,3501000],[500000,3500000]]]}'}})
    local r <close> = cbal.open_raster(tif)
    local ok, err = pcall(cbal.zones, cbal.open_layer(p), r)
    assert.is_false(ok)
    assert.truthy(err:find("'" .. p .. "': feature 1 (FID 0) has coordinates up to (501000, 3501000), " ..
      "which are not longitudes and latitudes, yet the file declares EPSG:4326; its CRS is wrong " ..
      "(GeoJSON is always read as EPSG:4326): assign the real one", 1, true), err)
  end)

  it("builds zones and stats on a 2e9 x 2e9 virtual raster in memory bounded by the zone", function()
    -- the 3 x 3 test grid placed in the middle of a huge VRT; a 2 x 2 square on it
    local src = make(dir, "src", 3, 3, {1, 2, 3, 4, 5, 6, 7, 8, 9}, "-a_srs EPSG:3857 -a_ullr 0 3 3 0")
    local vrt = dir .. "/huge.vrt"
    T.write(vrt, ([[<VRTDataset rasterXSize="2000000000" rasterYSize="2000000000">
  <SRS>EPSG:3857</SRS>
  <GeoTransform>0, 1, 0, 2000000000, 0, -1</GeoTransform>
  <VRTRasterBand dataType="Float32" band="1">
    <SimpleSource>
      <SourceFilename relativeToVRT="0">%s</SourceFilename><SourceBand>1</SourceBand>
      <SrcRect xOff="0" yOff="0" xSize="3" ySize="3"/>
      <DstRect xOff="1000000000" yOff="1000000000" xSize="3" ySize="3"/>
    </SimpleSource>
  </VRTRasterBand>
</VRTDataset>]]):format(src))
    local p = dir .. "/sq.geojson"
    T.write(p, '{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:3857"}},' ..
      '"features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":' ..
      '[[[1000000000.5,999999997.5],[1000000002.5,999999997.5],[1000000002.5,999999999.5],' ..
      '[1000000000.5,999999999.5],[1000000000.5,999999997.5]]]}}]}')
    local script = dir .. "/huge.lua"
    T.write(script, ([[local cbal = require "cbal"
local r = cbal.open_raster(%q)
local z = cbal.zones(cbal.open_layer(%q), r)
local s = z:stats(r, {"sum", "count", "weighted_sum", "coverage_area"}, {weights = "area"})
print(z.bytes < 4096, s.sum[1], s.count[1], s.weighted_sum[1], s.coverage_area[1])
]]):format(vrt, p))
    -- 3 GB of address space: a row index of the whole raster (16 GB) cannot be made
    -- (not under AddressSanitizer, whose shadow memory alone reserves terabytes)
    local limit = os.getenv("CBAL_SANITIZE") and "" or "ulimit -v 3000000; "
    local rc, out, err = T.sh(limit .. T.quote(T.cbal) .. " " .. T.quote(script))
    assert.are.equal(0, rc, err)
    assert.are.equal("true\t20.0\t4.0\t20.0\t4.0\n", out)
  end)
end)
