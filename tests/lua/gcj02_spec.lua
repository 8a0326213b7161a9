-- cbal.gcj02 (GCJ-02 <-> WGS84 on numbers and arrays) and layers read with
-- {datum = "gcj02"}: polygons, zones and write_layer see WGS84 geometry;
-- the AMap/DataV warning and its silencing; bad input.
local cbal = require "cbal"
local T = require "testutil"

-- eviltransform's published vectors: wgs lat, wgs lon, gcj lat, gcj lon
local published = {
  { 31.1774276, 121.5272106, 31.17530398364597, 121.531541859215 },  -- Shanghai
  { 22.543847, 113.912316, 22.540796131694766, 113.9171764808363 },  -- Shenzhen
  { 39.911954, 116.377817, 39.91334545536069, 116.38404722455657 },  -- Beijing
}

-- A GeoJSON square with corners (x0, y0) - (x1, y1), named `name`.
local function square(path, x0, y0, x1, y1, name)
  T.write(path, ([==[{"type":"FeatureCollection","name":"%s","features":[
 {"type":"Feature","properties":{"adcode":"320102"},"geometry":{"type":"Polygon",
  "coordinates":[[[%.10f,%.10f],[%.10f,%.10f],[%.10f,%.10f],[%.10f,%.10f],[%.10f,%.10f]]]}}]}]==])
    :format(name or "counties", x0, y0, x1, y0, x1, y1, x0, y1, x0, y0))
end

describe("cbal.gcj02", function()
  local g = cbal.gcj02

  it("gives the published forward values and inverts them", function()
    for _, p in ipairs(published) do
      local glon, glat = g.from_wgs84(p[2], p[1])
      assert.near(p[4], glon, 1e-12)
      assert.near(p[3], glat, 1e-12)
      local lon, lat = g.to_wgs84(p[4], p[3])
      assert.near(p[2], lon, 1e-9)
      assert.near(p[1], lat, 1e-9)
    end
  end)

  it("converts arrays and lists, NaN staying NaN", function()
    local lon, lat = g.to_wgs84(cbal.array { published[1][4], 0 / 0 }, { published[1][3], 31 })
    assert.equal("cbal.Array", getmetatable(lon).__name)
    assert.near(published[1][2], lon[1], 1e-9)
    assert.near(published[1][1], lat[1], 1e-9)
    assert.is_true(lon[2] ~= lon[2])
    -- round trip over Jiangsu, every 0.1 degree: within 1e-7 degrees
    local xs, ys = {}, {}
    for x = 116.3, 122.0, 0.1 do
      for y = 30.7, 35.2, 0.1 do xs[#xs + 1], ys[#ys + 1] = x, y end
    end
    local wx, wy = g.to_wgs84(g.from_wgs84(xs, ys))
    local worst = 0
    for i = 1, #xs do worst = math.max(worst, math.abs(wx[i] - xs[i]), math.abs(wy[i] - ys[i])) end
    assert.truthy(worst <= 1e-7, worst)
  end)

  it("leaves points outside China unchanged", function()
    for _, p in ipairs { { -0.1276, 51.5072 }, { 140, 35 }, { 100, 60 }, { 0, 0 } } do
      assert.is_true(g.outside(p[1], p[2]))
      local x, y = g.from_wgs84(p[1], p[2])
      assert.equal(p[1], x); assert.equal(p[2], y)
      x, y = g.to_wgs84(p[1], p[2])
      assert.equal(p[1], x); assert.equal(p[2], y)
    end
    assert.equal(0, g.offset_m(-0.1276, 51.5072))
  end)

  it("measures the offset: a few hundred metres in Jiangsu", function()
    local m = g.offset_m(118.8, 32.05) -- Nanjing
    assert.truthy(m > 300 and m < 700, m)
    local a = g.offset_m({ 118.8, 120.6 }, { 32.05, 31.3 })
    assert.near(m, a[1], 1e-9)
    assert.truthy(a[2] > 300 and a[2] < 700, a[2])
  end)

  it("refuses bad arguments", function()
    local ok, msg = pcall(g.to_wgs84, "118", 32)
    assert.is_false(ok)
    assert.truthy(msg:match("give %(lon, lat%) as two numbers or as two arrays"), msg)
    ok, msg = pcall(g.from_wgs84, { 1, 2 }, { 1 })
    assert.truthy(msg:match("2 longitudes but 1 latitudes"), msg)
    ok, msg = pcall(g.to_wgs84, 118)
    assert.is_false(ok)
  end)
end)

describe("open_layer{datum = 'gcj02'}", function()
  local dir
  before_each(function()
    dir = T.tmpdir()
    cbal.warnings(true)
  end)
  after_each(function() T.rmtree(dir) end)

  it("converts the geometry on read: polygons, zones and write_layer", function()
    local path = dir .. "/c.geojson"
    square(path, 118.70, 32.00, 118.80, 32.10)
    local plain <close> = cbal.open_layer(path)
    local conv <close> = cbal.open_layer(path, { datum = "gcj02" })
    assert.equal("gcj02", conv.datum)
    assert.is_nil(plain.datum)
    local x0, y0, x1, y1 = conv:polygons():bbox()
    local px0, py0, px1, py1 = plain:polygons():bbox()
    assert.same({ 118.70, 32.00, 118.80, 32.10 }, { px0, py0, px1, py1 })
    -- every vertex moves by to_wgs84: the corners of the bbox do
    local wx, wy = cbal.gcj02.to_wgs84({ 118.70, 118.80 }, { 32.00, 32.10 })
    local lx, ly = cbal.gcj02.to_wgs84({ 118.70, 118.80 }, { 32.10, 32.00 })
    assert.near(math.min(wx[1], lx[1]), x0, 1e-9)
    assert.near(math.max(wx[2], lx[2]), x1, 1e-9)
    assert.near(math.min(wy[1], ly[2]), y0, 1e-9)
    assert.near(math.max(wy[2], ly[1]), y1, 1e-9)
    -- the shift, measured at the south-west corner: 300-700 m west/south
    local shift = cbal.gcj02.offset_m(x0, y0)
    assert.truthy(shift > 300 and shift < 700, shift)
    assert.truthy(x0 < 118.70 - 0.003)

    -- zones: a raster whose value is the column index (0.002 degree cells)
    local w, h, vals = 200, 100, {}
    for r = 1, h do for c = 1, w do vals[(r - 1) * w + c] = c end end
    local ras = T.float_raster(dir, "col", w, h, vals, "-a_srs EPSG:4326 -a_ullr 118.6 32.2 119.0 32.0")
    local r <close> = cbal.open_raster(ras)
    local mp = cbal.zones(plain, r):stats(r, { "mean" }).mean[1]
    local mc = cbal.zones(conv, r):stats(r, { "mean" }).mean[1]
    -- the mean column moves west by the mean shift in longitude / 0.002
    local cx = cbal.gcj02.to_wgs84(118.75, 32.05)
    assert.near((118.75 - cx) / 0.002, mp - mc, 0.05)

    -- write_layer takes the converted geometry
    local out = dir .. "/out.gpkg"
    cbal.write_layer(out, { geometries = conv, fields = { { name = "v", type = "real" } },
      features = { { v = 1 } } })
    local back <close> = cbal.open_layer(out)
    local bx0 = back:polygons():bbox()
    assert.near(x0, bx0, 1e-9)
  end)

  it("takes datum = 'wgs84' as 'as labelled', with no shift and no warning", function()
    local path = dir .. "/amap_counties.geojson"
    square(path, 118.70, 32.00, 118.80, 32.10)
    local l <close> = cbal.open_layer(path, { datum = "wgs84" })
    assert.equal(118.70, (l:polygons():bbox()))
    assert.same({}, cbal.warnings(true))
  end)

  it("warns when the path, layer name or fields look like AMap or DataV", function()
    local p1 = dir .. "/jiangsu_amap2020.geojson"
    square(p1, 118.7, 32.0, 118.8, 32.1)
    local a <close> = cbal.open_layer(p1)
    local w = cbal.warnings(true)
    assert.equal(1, #w)
    assert.truthy(w[1]:match("its path has 'amap'"), w[1])
    assert.truthy(w[1]:match('datum = "gcj02"') and w[1]:match('datum = "wgs84"'), w[1])
    local p2 = dir .. "/c2.geojson"
    square(p2, 118.7, 32.0, 118.8, 32.1, "china_datav_full")
    local b <close> = cbal.open_layer(p2)
    assert.truthy(cbal.warnings(true)[1]:match("its layer name has 'datav'"))
    local p3 = dir .. "/c3.geojson"
    T.write(p3, [==[{"type":"FeatureCollection","features":[{"type":"Feature",
      "properties":{"adcode":320102,"acroutes":[100000,320000]},"geometry":{"type":"Polygon",
      "coordinates":[[[118.7,32],[118.8,32],[118.8,32.1],[118.7,32]]]}}]}]==])
    local c <close> = cbal.open_layer(p3)
    assert.truthy(cbal.warnings(true)[1]:match("DataV's field 'acroutes'"))
    -- AMap's district fields, in a file renamed by its user
    local p5 = dir .. "/counties.geojson"
    T.write(p5, [==[{"type":"FeatureCollection","features":[{"type":"Feature",
      "properties":{"name":"玄武区","adcode":320102,"citycode":"025"},"geometry":{"type":"Polygon",
      "coordinates":[[[118.7,32],[118.8,32],[118.8,32.1],[118.7,32]]]}}]}]==])
    local e <close> = cbal.open_layer(p5)
    assert.truthy(cbal.warnings(true)[1]:match("AMap's fields 'adcode' and 'citycode'"))
    local p4 = dir .. "/plain.geojson"
    square(p4, 118.7, 32.0, 118.8, 32.1)   -- an adcode alone says nothing
    local d <close> = cbal.open_layer(p4)
    assert.same({}, cbal.warnings(true))
  end)

  it("refuses an unknown datum and a projected layer", function()
    local path = dir .. "/c.geojson"
    square(path, 118.7, 32.0, 118.8, 32.1)
    local ok, msg = pcall(cbal.open_layer, path, { datum = "bd09" })
    assert.is_false(ok)
    assert.truthy(msg:find("open_layer: option 'datum': unknown value 'bd09' (expected one of: "
      .. "gcj02, wgs84)", 1, true), msg)
    local utm = dir .. "/utm.gpkg"
    cbal.write_layer(utm, { crs = "EPSG:32650", fields = { { name = "v", type = "real" } },
      features = { { v = 1, geometry = { { { 0, 0, 1000, 0, 1000, 1000, 0, 1000 } } } } } })
    ok, msg = pcall(cbal.open_layer, utm, { datum = "gcj02" })
    assert.is_false(ok)
    assert.truthy(msg:match("applies to longitudes and latitudes, but the layer is in EPSG:32650"), msg)
  end)
end)
