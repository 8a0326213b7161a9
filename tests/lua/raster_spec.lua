-- cbal.open_raster: properties, nodata sets, valid range, scale/offset, CRS
-- overrides, row reads, closing, and the errors a user meets.
local cbal = require "cbal"
local T = require "testutil"

local make = T.float_raster

describe("cbal.open_raster", function()
  local dir
  setup(function() dir = T.tmpdir() end)
  teardown(function() T.rmtree(dir) end)

  it("exposes size, geotransform, CRS, block size, type and declared values", function()
    local v = {}
    for i = 1, 40 * 30 do v[i] = i end
    local p = make(dir, "props", 40, 30, v, "-ot Float32 -a_srs EPSG:4326 " ..
      "-a_ullr 118 33 128 25.5 -a_nodata 7 -a_scale 2 -a_offset 1 " ..
      "-co TILED=YES -co BLOCKXSIZE=16 -co BLOCKYSIZE=16")
    local r <close> = cbal.open_raster(p)
    assert.are.equal(40, r.width)
    assert.are.equal(30, r.height)
    assert.are.equal(1, r.bands)
    assert.are.equal("Float32", r.type)
    assert.are.same({16, 16}, r.block)
    local gt = r.geotransform
    assert.are.equal(118, gt[1]); assert.are.equal(0.25, gt[2])
    assert.are.equal(33, gt[4]); assert.are.equal(-0.25, gt[6])
    assert.are.equal(7, r.declared_nodata)
    assert.are.same({7}, r.nodata)
    assert.are.equal(2, r.scale); assert.are.equal(1, r.offset)
    assert.truthy(r:crs():find("WGS 84", 1, true))
    -- values: declared nodata is NaN, the rest scaled (raw * 2 + 1)
    local row = r:read(1)
    assert.are.equal(40, #row)
    assert.are.equal(3, row[1])
    assert.is_true(row[7] ~= row[7])
    assert.are.equal(2 * 8 + 1, row[8])
    local two = r:read(30, 1)
    assert.are.equal(2 * (29 * 40 + 1) + 1, two[1])
  end)

  it("reads MOD17-like int16 with a nodata set, valid range and scale", function()
    local v = {100, 32761, 32767, -30001, 5000, 32765, 0, 32700}
    local p = make(dir, "npp", 4, 2, v, "-ot Int16 -a_srs EPSG:4326 -a_ullr 0 2 4 0 -a_nodata 32767")
    local r = cbal.open_raster(p, {scale = 0.0001,
      nodata = {32761, 32762, 32763, 32764, 32765, 32766, 32767},
      range = {-30000, 32700}})
    local a = r:read(1, 2)
    local want = {0.01, nil, nil, nil, 0.5, nil, 0, 3.27}
    for i = 1, 8 do
      if want[i] then
        assert.is_true(math.abs(a[i] - want[i]) < 1e-12, "cell " .. i)
      else
        assert.is_true(a[i] ~= a[i], "cell " .. i .. " should be missing")
      end
    end
    assert.are.same({-30000, 32700}, r.range)
    assert.are.equal(7, #r.nodata)
    -- only the declared value: the other fill codes read as (scaled) data
    local plain = cbal.open_raster(p, {scale = 0.0001})
    local b = plain:read(1)
    assert.is_true(math.abs(b[2] - 3.2761) < 1e-12)
    assert.is_true(b[3] ~= b[3])
    -- nodata = false: nothing is missing, scale and offset overridden
    local raw = cbal.open_raster(p, {nodata = false, scale = 1, offset = 0})
    assert.are.equal(32767, raw:read(1)[3])
    assert.is_nil(raw.nodata)
    r:close(); plain:close(); raw:close()
  end)

  it("fills a missing CRS from the crs option and refuses a different one", function()
    local p = make(dir, "nocrs", 2, 2, {1, 2, 3, 4}, "-ot Float32 -a_ullr 0 2 2 0")
    local r = cbal.open_raster(p)
    assert.is_nil(r:crs())
    local r2 = cbal.open_raster(p, {crs = "EPSG:32650"})
    assert.truthy(r2:crs():find("UTM zone 50N", 1, true))
    local q = make(dir, "crs", 2, 2, {1, 2, 3, 4}, "-ot Float32 -a_srs EPSG:4326 -a_ullr 0 2 2 0")
    assert.has_error(function() cbal.open_raster(q, {crs = "EPSG:32650"}) end,
      ("'%s' already has a CRS (EPSG:4326), different from option crs 'EPSG:32650' (crs only fills a missing CRS; warp the raster to change it)"):format(q))
    assert.has_error(function() cbal.open_raster(p, {crs = "EPSG:99999"}) end,
      ("'%s': option crs: cannot understand CRS 'EPSG:99999' (use e.g. \"EPSG:4326\", a WKT string or a PROJ string)"):format(p))
    assert.has_no_error(function() cbal.open_raster(q, {crs = "EPSG:4326"}):close() end)
  end)

  it("opens NetCDF variables by subdataset name and explains container files", function()
    local p = make(dir, "nc", 3, 2, {1, 2, 3, 4, 5, 6}, "-ot Float32 -a_srs EPSG:4326 -a_ullr 0 2 3 0")
    local nc = dir .. "/two.nc"
    assert.are.equal(0, (T.sh("gdal_translate -q -of netCDF " .. p .. " " .. nc)))
    local r = cbal.open_raster(('NETCDF:"%s":Band1'):format(nc))
    assert.are.equal(3, r.width)
    assert.are.same({1, 2, 3}, r:read(1):totable())
    r:close()
    -- a NetCDF holding two variables is a container: the message names one
    local vrt, nc2 = dir .. "/two.vrt", dir .. "/vars.nc"
    assert.are.equal(0, (T.sh(("gdalbuildvrt -q -separate %s %s %s && gdal_translate -q -of netCDF %s %s")
      :format(vrt, p, p, vrt, nc2))))
    local v2 = cbal.open_raster(vrt, {band = 2}) -- a VRT, second band
    assert.are.equal(2, v2.bands)
    assert.are.same({4, 5, 6}, v2:read(2):totable())
    v2:close()
    local ok, err = pcall(cbal.open_raster, nc2)
    assert.is_false(ok)
    assert.truthy(err:find('holds subdatasets, not a raster band; pick one with {subdataset = "name"} (Band1, Band2)', 1, true), err)
    local b2 <close> = cbal.open_raster(nc2, {subdataset = "Band2"})
    assert.are.same({4, 5, 6}, b2:read(2):totable())
  end)

  it("opens HDF4 scientific datasets by subdataset string", function()
    local p = make(dir, "h", 3, 2, {1, 2, 3, 4, 5, 6}, "-ot Int16 -a_srs EPSG:4326 -a_ullr 0 2 3 0")
    local hdf = dir .. "/h.hdf"
    assert.are.equal(0, (T.sh("gdal_translate -q -of HDF4Image " .. p .. " " .. hdf)))
    -- a plain HDF4 SDS carries no geotransform: the grid must be stated
    local sds = ('HDF4_SDS:UNKNOWN:"%s":0'):format(hdf)
    local ok, err = pcall(cbal.open_raster, sds)
    assert.is_false(ok)
    assert.truthy(err:find("has no geotransform", 1, true), err)
    local r = cbal.open_raster(sds, {scale = 0.5, geotransform = {0, 1, 0, 2, 0, -1}})
    assert.are.equal("Int16", r.type)
    assert.are.same({2, 2.5, 3}, r:read(2):totable())
    r:close()
  end)

  it("closes with :close(), <close> and GC; a closed raster raises", function()
    local p = make(dir, "c", 2, 2, {1, 2, 3, 4}, "-ot Float32 -a_ullr 0 2 2 0")
    local r = cbal.open_raster(p)
    r:close()
    r:close() -- idempotent
    assert.has_error(function() return r.width end, "attempt to use a closed raster")
    assert.has_error(function() r:read(1) end, "attempt to use a closed raster")
    assert.are.equal("cbal.Raster (closed)", tostring(r))
    do local s <close> = cbal.open_raster(p) end
    for _ = 1, 50 do cbal.open_raster(p) end
    collectgarbage(); collectgarbage()
  end)

  it("raises clear errors for unreadable files, bands and options", function()
    local p = make(dir, "e", 2, 2, {1, 2, 3, 4}, "-ot Float32 -a_ullr 0 2 2 0")
    assert.has_error(function() cbal.open_raster(dir .. "/missing.tif") end,
      ("cannot open raster '%s/missing.tif': %s/missing.tif: No such file or directory"):format(dir, dir))
    T.write(dir .. "/junk.tif", "not a raster")
    assert.has_error(function() cbal.open_raster(dir .. "/junk.tif") end)
    assert.has_error(function() cbal.open_raster(p, {band = 2}) end,
      ("'%s' has 1 band; band 2 does not exist (use band = 1..1)"):format(p))
    assert.has_error(function() cbal.open_raster(p, {nodatta = 1}) end,
      "unknown key \'nodatta\' in open_raster (expected one of: band, nodata, range, scale, offset, crs, mask, subdataset, geotransform, paths)")
    assert.has_error(function() cbal.open_raster(p, {band = 0}) end,
      "open_raster: option 'band' is 0; bands are numbered from 1")
    assert.has_error(function() cbal.open_raster(p, {nodata = "x"}) end,
      "open_raster: option 'nodata' must be a number, a list of numbers or false, got string")
    assert.has_error(function() cbal.open_raster(p, {range = {5, 1}}) end,
      ("'%s': option 'range': low 5 is above high 1 (give {low, high})"):format(p))
    T.write(dir .. "/v.geojson", '{"type":"FeatureCollection","features":[]}')
    assert.has_error(function() cbal.open_raster(dir .. "/v.geojson") end,
      ("cannot open raster '%s/v.geojson': it is a vector file (open it with cbal.open_layer)"):format(dir))
    assert.has_error(function() cbal.open_layer(p) end,
      ("cannot open vector file '%s': it is a raster (open it with cbal.open_raster)"):format(p))
    local r = cbal.open_raster(p)
    assert.has_error(function() return r.colour end, "cbal.Raster has no field or method 'colour'")
    assert.has_error(function() r:read(3) end,
      ("read: row 3 is outside '%s' (rows 1..2)"):format(p))
    assert.has_error(function() r:read(2, 2) end,
      ("read: 2 rows from row 2 pass the last row of '%s' (2; at most 1 rows from there)"):format(p))
    assert.has_error(function() r:read(2, math.maxinteger) end,
      ("read: %d rows from row 2 pass the last row of '%s' (2; at most 1 rows from there)"):format(math.maxinteger, p))
  end)
end)
