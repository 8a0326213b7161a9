-- cbal.write_raster / write_layer / rasterize / transform / geom_op /
-- sha256: files read back through GDAL, atomicity, determinism, errors.
local cbal = require "cbal"
local tu = require "testutil"

local ALBERS = "+proj=aea +lat_0=0 +lon_0=105 +lat_1=25 +lat_2=47 +ellps=krass +units=m"

describe("cbal.write_raster", function()
  local dir
  before_each(function() dir = tu.tmpdir() end)
  after_each(function() tu.rmtree(dir) end)

  it("writes values row-major with type, nodata, scale and CRS", function()
    local v = cbal.array(12)
    for i = 1, 12 do v[i] = i * 10 end
    local p = dir .. "/a.tif"
    cbal.write_raster(p, { width = 4, height = 3, geotransform = { 100, 1000, 0, 500, 0, -1000 },
      crs = ALBERS, type = "Int16", nodata = 32767, scale = 0.5, values = v })
    local r = cbal.open_raster(p)
    assert.are.equal(4, r.width)
    assert.are.equal(3, r.height)
    local a = r:read(1, 3)
    -- scale applied on read
    assert.are.equal(5, a[1])
    assert.are.equal(60, a[12])
    local rc, out = tu.sh("gdalinfo " .. p)
    assert.are.equal(0, rc)
    assert.truthy(out:find("NoData Value=32767", 1, true))
    assert.truthy(out:find("Albers", 1, true) or out:find("aea", 1, true))
    assert.truthy(out:find("Origin = (100.0", 1, true))
  end)

  it("takes a row callback; clamps to the band type only when asked", function()
    local p = dir .. "/b.tif"
    local o = { width = 3, height = 2, geotransform = { 0, 1, 0, 0, 0, -1 },
      crs = "EPSG:4326", type = "Byte",
      values = function(y) return { y * 100, y * 200, -5 } end }
    assert.error_matches(function() cbal.write_raster(p, o) end,
      "b.tif: row 1, column 3: value -5 is outside the Byte range 0..255 "
      .. "(rescale the values, pick a wider type, or pass clamp = true)", nil, true)
    o.values = function(y) return { y * 100, y * 200, 5 } end
    assert.error_matches(function() cbal.write_raster(p, o) end,
      "row 2, column 2: value 400 is outside the Byte range 0..255", nil, true)
    assert.is_false(tu.exists(p))
    o.values = function(y) return { y * 100, y * 200, -5 } end
    o.clamp = true
    cbal.write_raster(p, o)
    local a = cbal.open_raster(p):read(1, 2)
    assert.are.same({ 100, 200, 0, 200, 255, 0 }, a:totable())
    -- 255.4 rounds into the band; NaN in an integer band is its nodata
    cbal.write_raster(p, { width = 2, height = 1, geotransform = { 0, 1, 0, 0, 0, -1 },
      crs = "EPSG:4326", type = "Byte", nodata = 7, values = { 255.4, 0 / 0 } })
    assert.are.same({ 255, 7 }, cbal.open_raster(p, { nodata = {} }):read(1, 1):totable())
    assert.error_matches(function()
      cbal.write_raster(p, { width = 2, height = 1, geotransform = { 0, 1, 0, 0, 0, -1 },
        crs = "EPSG:4326", type = "Int16", values = { 1, 0 / 0 } })
    end, "row 1, column 2 is NaN, which a Int16 band cannot hold; declare a nodata value", nil, true)
  end)

  it("refuses strings from a row callback and a geotransform that is not finite", function()
    local o = { width = 2, height = 2, geotransform = { 0, 1, 0, 0, 0, -1 }, crs = "EPSG:4326",
                values = function(y) return y == 2 and { 1, "2" } or { 1, 2 } end }
    assert.error_matches(function() cbal.write_raster(dir .. "/s.tif", o) end,
      "write_raster: row callback returned a string at row 2, column 2 (return numbers; "
      .. "0/0 for a missing value)", nil, true)
    o.values = cbal.array(4, 1)
    o.geotransform = { 0, 0 / 0, 0, 0, 0, -1 }
    assert.error_matches(function() cbal.write_raster(dir .. "/g.tif", o) end,
      "g.tif: geotransform[2] is NaN; give 6 finite numbers", nil, true)
    o.geotransform = { 0, 1, 0, math.huge, 0, -1 }
    assert.error_matches(function() cbal.write_raster(dir .. "/g.tif", o) end,
      "g.tif: geotransform[4] is inf", nil, true)
    assert.error_matches(function()
      cbal.rasterize({}, { width = 2, height = 2, geotransform = { 0 / 0, 1, 0, 0, 0, -1 }, crs = "EPSG:4326" })
    end, "rasterize: geotransform[1] is NaN", nil, true)
    local _, listing = tu.sh("ls -A " .. dir)
    assert.are.equal("", listing)
  end)

  it("is byte-identical on a rerun", function()
    local o = { width = 50, height = 40, geotransform = { 0, 1000, 0, 0, 0, -1000 },
                crs = ALBERS, type = "Float32", tiled = true,
                values = cbal.seq(1, 2000) / 7 }
    cbal.write_raster(dir .. "/1.tif", o)
    cbal.write_raster(dir .. "/2.tif", o)
    assert.are.equal(cbal.sha256(dir .. "/1.tif"), cbal.sha256(dir .. "/2.tif"))
  end)

  it("fails cleanly and leaves nothing behind", function()
    local base = { width = 2, height = 2, geotransform = { 0, 1, 0, 0, 0, -1 },
                   crs = "EPSG:4326", values = { 1, 2, 3, 4 } }
    local function with(k, v)
      local o = {}
      for kk, vv in pairs(base) do o[kk] = vv end
      o[k] = v
      return o
    end
    -- the same wording as open_raster's and open_layer's option crs
    assert.has_error(function() cbal.write_raster(dir .. "/x.tif", with("crs", "EPSG:99999999")) end,
      dir .. "/x.tif: cannot understand CRS 'EPSG:99999999' (use e.g. \"EPSG:4326\", a WKT string or a PROJ string)")
    assert.has_error(function() cbal.write_raster(dir .. "/x.tif", with("type", "Banana")) end)
    assert.has_error(function() cbal.write_raster(dir .. "/x.tif", with("values", { 1, 2, 3 })) end)
    assert.has_error(function() cbal.write_raster(dir .. "/x.tif", with("colour", 1)) end)
    local big = with("values", { 1 })
    big.width, big.height = 100000, 100000
    assert.error_matches(function() cbal.write_raster(dir .. "/x.tif", big) end,
      "values has 1 elements, expected width%*height = 10000000000", nil, false)
    local ok, err = pcall(cbal.write_raster, dir .. "/x.tif",
                          with("values", function(y) error("boom " .. y) end))
    assert.truthy(err:find("row callback failed at row 1: .*boom 1"))
    ok, err = pcall(cbal.write_raster, dir .. "/x.tif", with("values", function() error({}) end))
    assert.truthy(err:find("row callback failed at row 1: (error object is a table value)", 1, true))
    local obj = setmetatable({}, { __tostring = function() return "my own error object" end })
    ok, err = pcall(cbal.write_raster, dir .. "/x.tif", with("values", function() error(obj) end))
    assert.truthy(err:find("row callback failed at row 1: my own error object", 1, true))
    ok, err = pcall(cbal.write_raster, dir .. "/x.tif",
                          with("values", function(y) if y == 2 then error("late") end return { 1, 2 } end))
    assert.is_false(ok)
    assert.truthy(err:find("row 2", 1, true))
    assert.has_error(function() cbal.write_raster(dir .. "/nope/x.tif", base) end)
    local _, listing = tu.sh("ls -A " .. dir)
    assert.are.equal("", listing)
  end)
end)

describe("cbal.write_layer", function()
  local dir
  before_each(function() dir = tu.tmpdir() end)
  after_each(function() tu.rmtree(dir) end)

  local feats = {
    { code = 320102, name = "玄武区", v = 1.5,
      geometry = { { { 0, 0, 10, 0, 10, 10, 0, 10 }, { 2, 2, 4, 2, 4, 4, 2, 4 } },
                   { { 20, 0, 30, 0, 30, 10 } } } },
    { code = 320104, name = "秦淮区", geometry = { { { { 2, 2 }, { 4, 2 }, { 4, 4 }, { 2, 4 } } } } },
  }
  local fields = { { name = "code", type = "integer" }, { name = "name", type = "string" },
                   { name = "v", type = "real" } }

  it("writes a GeoPackage that reads back with holes, parts and nulls", function()
    local p = dir .. "/c.gpkg"
    cbal.write_layer(p, { crs = "EPSG:4326", fields = fields, features = feats, layer = "counties" })
    local rc, out = tu.sh("ogrinfo -al -q " .. p)
    assert.are.equal(0, rc)
    assert.truthy(out:find("玄武区", 1, true))
    assert.truthy(out:find("v (Real) = (null)", 1, true))
    assert.truthy(out:find("MULTIPOLYGON (((0 0,10 0,10 10,0 10,0 0),(2 2,4 2,4 4,2 4,2 2)),((20 0,30 0,30 10,20 0)))", 1, true))
    local l = cbal.open_layer(p)
    assert.are.equal(2, #l)
    local ps = l:polygons()
    assert.are.near(96 + 50, ps:area(1), 1e-9)
    assert.are.near(4, ps:area(2), 1e-9)
  end)

  it("keeps integer fields exact beyond 2^53", function()
    local p = dir .. "/big.gpkg"
    cbal.write_layer(p, { crs = "EPSG:4326", fields = { { name = "id", type = "integer" } },
      features = { { id = 9007199254740993, geometry = feats[2].geometry } } })
    local _, out = tu.sh("ogrinfo -al -q " .. p)
    assert.truthy(out:find("id (Integer64) = 9007199254740993", 1, true))
  end)

  it("writes GeoJSON and is byte-identical on a rerun (GPKG too)", function()
    for _, ext in ipairs({ "gpkg", "geojson" }) do
      cbal.write_layer(dir .. "/1." .. ext, { crs = "EPSG:4326", fields = fields, features = feats })
      os.execute("sleep 1")
      cbal.write_layer(dir .. "/2." .. ext, { crs = "EPSG:4326", fields = fields, features = feats,
                                              layer = "1" })
      assert.are.equal(cbal.sha256(dir .. "/1." .. ext), cbal.sha256(dir .. "/2." .. ext))
    end
  end)

  it("names the feature and field on bad input and leaves nothing", function()
    local ok, err = pcall(cbal.write_layer, dir .. "/x.gpkg", { crs = "EPSG:4326", fields = fields,
      features = { { code = "abc", geometry = feats[2].geometry } } })
    assert.is_false(ok)
    assert.truthy(err:find("feature 1 field 'code' must be a number", 1, true))
    ok, err = pcall(cbal.write_layer, dir .. "/x.gpkg", { crs = "EPSG:4326", fields = fields,
      features = { { code = 1e30, geometry = feats[2].geometry } } })
    assert.is_false(ok)
    assert.truthy(err:find("feature 1 field 'code' must be an integer", 1, true))
    ok, err = pcall(cbal.write_layer, dir .. "/x.gpkg", { crs = "EPSG:4326", fields = fields,
      features = { { code = 1, geometry = { { { 0, 0, 1, 1 } } } } } })
    assert.is_false(ok)
    assert.truthy(err:find("feature 1", 1, true))
    ok, err = pcall(cbal.write_layer, dir .. "/x.shp", { crs = "EPSG:4326", fields = fields, features = {} })
    assert.truthy(err:find("unknown layer format", 1, true))
    ok, err = pcall(cbal.write_layer, dir .. "/x.gpkg", { crs = "EPSG:4326", fields = {}, features = {}, feature = {} })
    assert.truthy(err:find("unknown key \'feature\'", 1, true))
    ok, err = pcall(cbal.write_layer, dir .. "/x.gpkg", { crs = "EPSG:4326",
      fields = { { name = "Q", type = "float" } }, features = {} })
    assert.truthy(err:find("write_layer: field 'Q': option 'type': unknown value 'float' "
      .. "(expected one of: string, integer, real)", 1, true))
    ok, err = pcall(cbal.write_layer, dir .. "/x.gpkg", { crs = "EPSG:4326", fields = fields,
      features = { feats[1], { code = 3, Qq = 2.5, geometry = feats[2].geometry } } })
    assert.is_false(ok)
    assert.truthy(err:find("write_layer: feature 2 has key 'Qq', which is not a declared field "
      .. "(add it to fields = {...} or leave it out)", 1, true))
    ok, err = pcall(cbal.write_layer, dir .. "/x.geojson", { crs = "EPSG:4326", fields = fields,
      features = { feats[1], { code = 3, name = "\xd0\xfe\xce\xe4\xc7\xf8", geometry = feats[2].geometry } } })
    assert.is_false(ok)
    assert.truthy(err:find("x.geojson: feature 2, field 'name': '\\xd0\\xfe\\xce\\xe4\\xc7\\xf8' is not "
      .. "UTF-8 text (read from a file in another encoding? open it with encoding = \"GBK\"", 1, true), err)
    local _, listing = tu.sh("ls -A " .. dir)
    assert.are.equal("", listing)
  end)
end)

describe("grid helpers", function()
  it("rasterize burns the last covering polygon at cell centres", function()
    local a = cbal.rasterize({ { { { 0, 0, 3, 0, 3, -3, 0, -3 } } }, { { { 1, -1, 2, -1, 2, -2, 1, -2 } } } },
      { width = 4, height = 4, geotransform = { 0, 1, 0, 0, 0, -1 }, crs = "EPSG:3857",
        values = { 5, 9 }, background = -1 })
    assert.are.same({ 5, 5, 5, -1, 5, 9, 5, -1, 5, 5, 5, -1, -1, -1, -1, -1 }, a:totable())
  end)

  it("reads one polygon form everywhere: parts or one part, flat or paired rings, checked", function()
    local grid = { width = 4, height = 4, geotransform = { 0, 1, 0, 0, 0, -1 }, crs = "EPSG:3857" }
    local want = cbal.rasterize({ { { { 0, 0, 3, 0, 3, -3, 0, -3 }, { 1, -1, 2, -1, 2, -2, 1, -2 } } } }, grid)
    -- the same holed square as one part, with paired rings, and as cbal.Polygons
    local part = { { 0, 0, 3, 0, 3, -3, 0, -3 }, { 1, -1, 2, -1, 2, -2, 1, -2 } }
    local paired = { { { 0, 0 }, { 3, 0 }, { 3, -3 }, { 0, -3 } }, { { 1, -1 }, { 2, -1 }, { 2, -2 }, { 1, -2 } } }
    assert.are.same(want:totable(), cbal.rasterize({ part }, grid):totable())
    assert.are.same(want:totable(), cbal.rasterize({ paired }, grid):totable())
    assert.are.same(want:totable(), cbal.rasterize({ { paired } }, grid):totable())
    assert.are.same({ 1, 1, 1, 0, 1, 0, 1, 0, 1, 1, 1, 0, 0, 0, 0, 0 }, want:totable())
    -- a string coordinate is an error naming feature, ring and coordinate (it was 0)
    local bad = { { 0, 0, 3, 0, 3, -3, 0, -3 }, { 1, -1, "2", -1, 2, -2, 1, -2 } }
    assert.has_error(function() cbal.rasterize({ part, bad }, grid) end,
      "rasterize: feature 2, ring 2: coordinate 3 is not a finite number (got string '2')")
    assert.has_error(function() cbal.rasterize({ { { { "118.5", 32 }, { 119, 32 }, { 119, 33 } } } }, grid) end,
      "rasterize: feature 1, ring 1: coordinate 1 is not a finite number (got string '118.5')")
    assert.has_error(function() cbal.geom_op({ { { "118.5", 32 }, { 119, 32 }, { 119, 33 } } }, part, "union") end,
      "geom_op (argument #1): ring 1: coordinate 1 is not a finite number (got string '118.5')")
    assert.has_error(function() cbal.geom_op(part, { { { 0, 0 }, { 1, "x" }, { 1, 1 } } }, "union") end,
      "geom_op (argument #2): ring 1: coordinate 4 is not a finite number (got string 'x')")
    assert.has_error(function() cbal.geom_op(part, { { 0, 0, 1, 0, math.huge, 1 } }, "union") end,
      "geom_op (argument #2): ring 1: coordinate 5 is not a finite number (got inf)")
    local dir = tu.tmpdir()
    assert.has_error(function()
      cbal.write_layer(dir .. "/x.geojson", { crs = "EPSG:4326", fields = {},
        features = { { geometry = { part } }, { geometry = { { { 0, 0, 1, 0, 1, {} } } } } } })
    end, "write_layer: feature 2, ring 1: coordinate 6 is not a finite number (got table)")
    assert.has_error(function() cbal.rasterize({ { { 0, 0, 1, 0, 1 } } }, grid) end,
      "rasterize: feature 1, ring 1 has 5 numbers; give x, y pairs for at least 3 points")
    assert.has_error(function() cbal.rasterize({ 7 }, grid) end,
      "rasterize: feature 1: a geometry is a list of parts {outer, hole, ...} (or one part), got number")
    assert.is_false(tu.exists(dir .. "/x.geojson"))
    -- what geom_op returns is what write_layer, rasterize and maps read
    local u = cbal.geom_op(part, { { 3, 0, 4, 0, 4, -1, 3, -1 } }, "union")
    assert.are.same({ 1, 1, 1, 1, 1, 0, 1, 0, 1, 1, 1, 0, 0, 0, 0, 0 }, cbal.rasterize({ u }, grid):totable())
  end)

  it("transform agrees with the sinusoidal formula", function()
    local R = 6371007.181
    local x, y = cbal.transform({ 118, 120 }, { 32, 34 }, "EPSG:4326", "+proj=sinu +R=6371007.181 +units=m")
    assert.are.near(R * math.rad(118) * math.cos(math.rad(32)), x[1], 1e-3)
    assert.are.near(R * math.rad(34), y[2], 1e-3)
  end)

  it("geom_op computes differences with holes and empty intersections", function()
    local sq = { { { 0, 0, 10, 0, 10, 10, 0, 10 } } }
    local h = cbal.geom_op(sq, { { { 2, 2, 4, 2, 4, 4, 2, 4 } } }, "difference")
    assert.are.equal(1, #h)
    assert.are.equal(2, #h[1])
    assert.is_nil(cbal.geom_op(sq, { { { 20, 20, 30, 20, 30, 30 } } }, "intersection"))
    assert.has_error(function() cbal.geom_op(sq, sq, "xor") end,
      "geom_op: option 'op': unknown value 'xor' (expected one of: intersection, difference, union)")
  end)

  it("sha256 matches the FIPS vectors and sha256sum", function()
    assert.are.equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                     (cbal.sha256("abc", true)))
    assert.are.equal("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
      (cbal.sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", true)))
    local dir = tu.tmpdir()
    tu.write(dir .. "/f", string.rep("cbal", 40000))
    local _, out = tu.sh("sha256sum " .. dir .. "/f")
    local hex, size = cbal.sha256(dir .. "/f")
    assert.are.equal(out:match("^(%x+)"), hex)
    assert.are.equal(160000, size)
    assert.has_error(function() cbal.sha256(dir .. "/missing") end)
    tu.rmtree(dir)
  end)
end)
