-- cbal.open_layer: counts, fields, where filters, encodings, formats,
-- polygons reprojected (lon/lat order) and repaired, closing, errors.
local cbal = require "cbal"
local T = require "testutil"

-- props: a list of {name, value} pairs (ordered, so field order is known)
local function feature(props, coords, gtype)
  local p = {}
  for _, kv in ipairs(props) do
    local k, v = kv[1], kv[2]
    p[#p + 1] = ("%q:%s"):format(k, type(v) == "string" and v ~= "null" and ("%q"):format(v) or tostring(v))
  end
  return ('{"type":"Feature","properties":{%s},"geometry":{"type":"%s","coordinates":%s}}')
    :format(table.concat(p, ","), gtype or "Polygon", coords)
end

local function geojson(path, feats, crs)
  local head = crs and ('"crs":{"type":"name","properties":{"name":"%s"}},'):format(crs) or ""
  T.write(path, ('{"type":"FeatureCollection",%s"features":[%s]}'):format(head, table.concat(feats, ",")))
  return path
end

local function ogr(args)
  local rc, _, err = T.sh("ogr2ogr " .. args)
  assert(rc == 0, err)
end

describe("cbal.open_layer", function()
  local dir, counties
  setup(function()
    dir = T.tmpdir()
    counties = geojson(dir .. "/counties.geojson", {
      feature({{"adcode", 320102}, {"name", "玄武区"}, {"gdp", 1.5}},
        "[[[118.8,32.0],[118.9,32.0],[118.9,32.1],[118.8,32.1],[118.8,32.0]]]"),
      feature({{"adcode", 320104}, {"name", "秦淮区"}, {"gdp", "null"}},
        "[[[118.9,32.0],[119.0,32.0],[119.0,32.1],[118.9,32.1],[118.9,32.0]]]"),
      feature({{"adcode", 320105}, {"name", "建邺区"}, {"gdp", 3}},
        "[[[[118.6,31.9],[118.7,31.9],[118.7,32.0],[118.6,32.0],[118.6,31.9]],[[118.62,31.92],[118.68,31.92],[118.68,31.98],[118.62,31.98],[118.62,31.92]]],[[[119.1,32.0],[119.2,32.0],[119.2,32.1],[119.1,32.0]]]]",
        "MultiPolygon"),
    }, "urn:ogc:def:crs:OGC:1.3:CRS84")
  end)
  teardown(function() T.rmtree(dir) end)

  it("counts features and reads fields as arrays or strings", function()
    local l <close> = cbal.open_layer(counties)
    assert.are.equal(3, #l)
    assert.are.equal("counties", l.name)
    assert.are.same({"adcode", "name", "gdp"}, l:fields())
    local gdp = l:field("gdp")
    assert.are.equal(3, #gdp)
    assert.are.equal(1.5, gdp[1])
    assert.is_true(gdp[2] ~= gdp[2]) -- null -> NaN
    assert.are.same({"玄武区", "秦淮区", "建邺区"}, l:field("name"))
    assert.are.same({"320102", "320104", "320105"}, l:field("adcode", {as = "string"}))
    assert.has_error(function() l:field("adcode", {as = "text"}) end,
      "field: option 'as': unknown value 'text' (expected one of: string, number)")
    assert.are.same({"建邺区"}, l:field("name", {where = "adcode = 320105"}))
  end)

  it("applies an open-time where filter everywhere", function()
    local l = cbal.open_layer(counties, {where = "adcode > 320102"})
    assert.are.equal(2, #l)
    assert.are.equal(2, #l:polygons())
    assert.are.same({"秦淮区", "建邺区"}, l:field("name"))
    assert.has_error(function() cbal.open_layer(counties, {where = "nosuch = 1"}) end)
  end)

  it("reads GeoPackage (by layer name) and FlatGeobuf", function()
    local gpkg, fgb = dir .. "/c.gpkg", dir .. "/c.fgb"
    ogr("-f GPKG " .. gpkg .. " " .. counties .. " -nln counties")
    ogr("-f GPKG -update " .. gpkg .. " " .. counties .. " -nln other -where \"adcode = 320102\"")
    ogr("-f FlatGeobuf -lco SPATIAL_INDEX=NO " .. fgb .. " " .. counties)
    local a = cbal.open_layer(gpkg)
    assert.are.equal(3, #a)
    local b = cbal.open_layer(gpkg, {layer = "other"})
    assert.are.equal(1, #b)
    assert.has_error(function() cbal.open_layer(gpkg, {layer = "nope"}) end,
      ("'%s' has no layer 'nope' (layers: counties, other)"):format(gpkg))
    local f = cbal.open_layer(fgb)
    assert.are.same({"玄武区", "秦淮区", "建邺区"}, f:field("name"))
    -- the feature ids: "FID" in any format, or the GeoPackage's fid column
    assert.are.same({1, 2, 3}, a:field("fid"):totable())
    assert.are.same({1, 2, 3}, a:field("FID"):totable())
    assert.are.same({"1", "2", "3"}, a:field("fid", {as = "string"}))
    assert.are.same({0, 1, 2}, cbal.open_layer(counties):field("fid"):totable())
  end)

  it("names the field and file of a GeoPackage where filter that cannot run", function()
    -- SQLite checks a filter only when it runs: it matched nothing, silently
    local gpkg = dir .. "/where.gpkg"
    ogr("-f GPKG " .. gpkg .. " " .. counties .. " -nln counties")
    local ok, err = pcall(cbal.open_layer, gpkg, {where = "nosuchfield = 1"})
    assert.is_false(ok)
    assert.truthy(err:find(("'%s': bad where filter 'nosuchfield = 1': no such column: nosuchfield "
      .. "(fields: adcode, name, gdp)"):format(gpkg), 1, true), err)
    assert.is_nil(err:find("SELECT", 1, true), err) -- no SQL of GDAL's in the message
    local l <close> = cbal.open_layer(gpkg)
    assert.has_error(function() l:field("name", {where = "adcod = 320102"}) end,
      ("'%s': bad where filter 'adcod = 320102': no such column: adcod (fields: adcode, name, gdp)")
      :format(gpkg))
    assert.has_error(function() l:polygons{where = "adcode = "} end)
    assert.are.same({"建邺区"}, l:field("name", {where = "adcode = 320105"}))
  end)

  it("honours .cpg for GBK shapefiles and offers an encoding option", function()
    local shp = dir .. "/gbk.shp"
    ogr("-f \"ESRI Shapefile\" -lco ENCODING=GBK " .. shp .. " " .. counties)
    local raw = T.read(dir .. "/gbk.dbf")
    assert.is_nil(raw:find("玄武区", 1, true)) -- really GBK bytes on disk
    assert.are.same({"玄武区", "秦淮区", "建邺区"}, cbal.open_layer(shp):field("name"))
    os.remove(dir .. "/gbk.cpg")
    cbal.warnings(true)
    assert.are_not.same({"玄武区", "秦淮区", "建邺区"}, cbal.open_layer(shp):field("name"))
    local w = cbal.warnings(true)
    assert.are.equal(1, #w)
    assert.truthy(w[1]:find("gbk.shp': field 'name' is not valid UTF-8 text (first in feature 1); " ..
      "the file is probably in a local encoding: open it with {encoding = \"GBK\"}", 1, true), w[1])
    assert.are.same({"玄武区", "秦淮区", "建邺区"},
      cbal.open_layer(shp, {encoding = "GBK"}):field("name"))
    assert.are.equal(0, #cbal.warnings(true))
    assert.has_error(function() cbal.open_layer(shp, {encoding = "GKB"}) end,
      ("'%s': option 'encoding' is 'GKB', which this system does not know (e.g. \"GBK\", " ..
       "\"GB18030\", \"BIG5\", \"CP1252\"; `iconv -l` lists them all)"):format(shp))
    assert.has_error(function() cbal.open_layer(counties, {encoding = "GBK"}) end,
      ("'%s': option 'encoding' applies to shapefiles only (this is a GeoJSON file, whose text is UTF-8)"):format(counties))
  end)

  it("returns polygons with holes and parts, reprojected in lon/lat order", function()
    local l = cbal.open_layer(counties)
    local p = l:polygons()
    assert.are.equal(3, #p)
    local x0, y0, x1, y1 = p:bbox()
    assert.are.same({118.6, 31.9, 119.2, 32.1}, {x0, y0, x1, y1})
    -- square minus hole plus triangle: 0.01 - 0.0036 + 0.005
    assert.is_true(math.abs(p:area(3) - (0.01 - 0.0036 + 0.005)) < 1e-12)
    local u = l:polygons{crs = "EPSG:32650"}
    local ux0, uy0, ux1, uy1 = u:bbox()
    -- 118.6..119.2 E, 31.9..32.1 N in UTM 50N: x ~ 650..710 km, y ~ 3530..3555 km
    assert.is_true(ux0 > 640000 and ux1 < 720000, "x " .. ux0 .. " " .. ux1)
    assert.is_true(uy0 > 3520000 and uy1 < 3560000, "y " .. uy0 .. " " .. uy1)
    assert.truthy(u:crs():find("UTM zone 50N", 1, true))
    -- 0.1 x 0.1 degree at 32N: about 11.09 km x 9.45 km
    local a = u:area(1)
    assert.is_true(a > 1.03e8 and a < 1.06e8, tostring(a))
  end)

  it("repairs invalid geometries with a warning naming the feature", function()
    local bad = geojson(dir .. "/bow.geojson", {
      feature({{"id", 1}}, "[[[0,0],[2,2],[2,0],[0,2],[0,0]]]")}, "EPSG:3857")
    cbal.warnings(true)
    local p = cbal.open_layer(bad):polygons()
    assert.are.equal(2, p:area(1)) -- two triangles of area 1
    local w = cbal.warnings(true)
    assert.are.equal(1, #w)
    assert.truthy(w[1]:find("1 feature had an invalid geometry (e.g. a self-intersection) " ..
      "and was repaired with MakeValid: feature 1 (FID 1);", 1, true), w[1])
  end)

  it("names all repaired features in one warning, in layer order", function()
    local feats = {}
    for i = 1, 600 do -- more than one batch of 256, prepared on several threads
      local x = i * 3
      feats[i] = feature({{"id", i}}, i % 100 == 7
        and ("[[[%d,0],[%d,2],[%d,0],[%d,2],[%d,0]]]"):format(x, x + 2, x + 2, x, x)
        or ("[[[%d,0],[%d,0],[%d,2],[%d,0]]]"):format(x, x + 2, x + 2, x))
    end
    local bad = geojson(dir .. "/many.geojson", feats, "EPSG:3857")
    cbal.warnings(true)
    cbal.open_layer(bad):polygons()
    local w = cbal.warnings(true)
    assert.are.equal(1, #w)
    assert.truthy(w[1]:find("6 features had an invalid geometry (e.g. a self-intersection) and " ..
      "were repaired with MakeValid: features 7 (FID 7), 107 (FID 107), 207 (FID 207), " ..
      "307 (FID 307), 407 (FID 407), 507 (FID 507); check them", 1, true), w[1])
  end)

  it("says a declared lon/lat CRS is wrong when coordinates are projected", function()
    local wrong = geojson(dir .. "/wrong.geojson", {
      feature({{"id", 1}}, "[[[244697,1000369],[244827,1000369],[244827,1000500],[244697,1000369]]]")})
    local ok, err = pcall(function()
      cbal.open_layer(wrong):polygons{crs = "EPSG:32650"}
    end)
    assert.is_false(ok)
    assert.truthy(err:find("feature 1 (FID 1) has coordinates up to (244827, 1000500), which are " ..
      "not longitudes and latitudes, yet the file declares EPSG:4326; its CRS is wrong " ..
      "(GeoJSON is always read as EPSG:4326): assign the real one, e.g. ogr2ogr -a_srs", 1, true), err)
  end)

  it("rejects non-polygon layers naming the feature", function()
    local lines = geojson(dir .. "/lines.geojson", {
      feature({{"id", 1}}, "[[0,0],[1,1]]", "LineString")}, "EPSG:3857")
    assert.has_error(function() cbal.open_layer(lines):polygons() end,
      ("'%s': feature 1 (FID 1) is a Line String, not a polygon (zones need a polygon layer; " ..
       "buffer points or lines into polygons first, e.g. with ogr2ogr -dialect sqlite and ST_Buffer)"):format(lines))
  end)

  it("states a missing CRS with the crs option, and needs one to reproject", function()
    local nocrs = geojson(dir .. "/plain.geojson", {
      feature({{"id", 1}}, "[[[0,0],[1,0],[1,1],[0,0]]]")})
    ogr("-f \"ESRI Shapefile\" " .. dir .. "/plain.shp " .. nocrs)
    os.remove(dir .. "/plain.prj")
    local l = cbal.open_layer(dir .. "/plain.shp")
    assert.is_nil(l:crs())
    assert.has_error(function() l:polygons{crs = "EPSG:3857"} end,
      ("'%s/plain.shp' has no CRS, so it cannot be reprojected (open it with {crs = \"EPSG:...\"} to state its CRS)"):format(dir))
    local l2 = cbal.open_layer(dir .. "/plain.shp", {crs = "EPSG:4326"})
    assert.truthy(l2:crs():find("WGS 84", 1, true))
    assert.are.equal(1, #l2:polygons{crs = "EPSG:3857"})
    assert.has_error(function() cbal.open_layer(dir .. "/plain.shp", {crs = "EPSG:99999"}) end,
      ("'%s/plain.shp': option crs: cannot understand CRS 'EPSG:99999' (use e.g. \"EPSG:4326\", " ..
       "a WKT string or a PROJ string)"):format(dir))
    assert.has_error(function() cbal.open_layer(nocrs, {crs = "EPSG:3857"}) end,
      ("'%s' already has a CRS (EPSG:4326), different from option crs 'EPSG:3857' (crs only " ..
       "fills a missing CRS; reproject the file to change it, or assign the right one with " ..
       "ogr2ogr -a_srs)"):format(nocrs))
  end)

  it("closes idempotently and raises on use after close", function()
    local l = cbal.open_layer(counties)
    l:close(); l:close()
    assert.has_error(function() return #l end, "attempt to use a closed layer")
    assert.has_error(function() l:fields() end, "attempt to use a closed layer")
    assert.are.equal("cbal.Layer (closed)", tostring(l))
    do local k <close> = cbal.open_layer(counties) end
    for _ = 1, 30 do cbal.open_layer(counties):polygons() end
    collectgarbage(); collectgarbage()
  end)

  it("raises clear errors for unreadable files, fields and options", function()
    assert.has_error(function() cbal.open_layer(dir .. "/none.gpkg") end,
      ("cannot open vector file '%s/none.gpkg': %s/none.gpkg: No such file or directory"):format(dir, dir))
    local l = cbal.open_layer(counties)
    assert.has_error(function() l:field("pop") end,
      ("'%s' has no field 'pop' (fields: adcode, name, gdp)"):format(counties))
    assert.has_error(function() cbal.open_layer(counties, {encodng = "GBK"}) end,
      "unknown key \'encodng\' in open_layer (expected one of: layer, encoding, crs, where, datum)")
    assert.has_error(function() return l.nosuch end, "cbal.Layer has no field or method 'nosuch'")
  end)
end)
