-- `cbal zonal` output formats, chosen by the extension of -o: CSV and XLSX
-- tables; GeoPackage, FlatGeobuf and GeoJSON with the polygons' geometry;
-- Parquet only where GDAL has the driver.
package.path = "tests/cli/?.lua;" .. package.path
local T = require "testutil"
local F = require "zonal_fixture"
local cbal = require "cbal"

describe("cbal zonal outputs", function()
  local dir, poly, ntl
  F.each_test(function(d, p, r) dir, poly, ntl = d, p, r end)

  local function run(out, extra)
    local args = { "-r", "ntl:" .. ntl, "-p", poly, "--id", "code", "--include-col", "name",
      "-s", "sum", "-s", "mean", "-o", out }
    for _, a in ipairs(extra or {}) do args[#args + 1] = a end
    local rc, _, err = F.zonal(args)
    assert.equal(0, rc, err)
  end

  it("writes XLSX with numbers that read back exactly", function()
    local out = dir .. "/o.xlsx"
    run(out)
    local cols, names = cbal.read_table(out)
    assert.same({ "code", "name", "ntl_sum", "ntl_mean" }, names)
    assert.same({ "甲", "乙", "丁" }, cols.name)
    assert.truthy(F.near(cols.ntl_mean[2], 9.375))
  end)

  for _, ext in ipairs { "gpkg", "fgb", "geojson" } do
    it("writes ." .. ext .. " with each polygon's geometry, in layer order", function()
      local out = dir .. "/o." .. ext
      run(out)
      local l <close> = cbal.open_layer(out)
      assert.equal(3, #l)
      assert.same({ "code", "name", "ntl_sum", "ntl_mean" }, l:fields())
      assert.same({ 101, 102, 104 }, l:field("code"):totable())
      assert.same({ "甲", "乙", "丁" }, l:field("name"))
      assert.truthy(F.near(l:field("ntl_sum")[2], 30))
      local p = l:polygons { crs = F.crs }
      -- B is 1.6 km x 2 km; D is 1 km x 1 km
      assert.truthy(F.near(p:area(2), 3.2e6, 1e-6))
      assert.truthy(F.near(p:area(3), 1e6, 1e-6))
    end)
  end

  it("writes an integer --id as an integer field", function()
    local out = dir .. "/o.gpkg"
    run(out)
    local rc, info = T.sh("ogrinfo -so -al " .. T.quote(out))
    assert.equal(0, rc)
    assert.truthy(info:find("code: Integer64"), info)
    assert.truthy(info:find("ntl_sum: Real"), info)
  end)

  it("writes --long to a GeoPackage as a table without geometry", function()
    local out = dir .. "/l.gpkg"
    run(out, { "--long" })
    local cols, names = cbal.read_table(out)
    assert.same({ "code", "name", "raster", "stat", "value" }, names)
    assert.equal(6, #cols.value)
    local rc, _, err = F.zonal { "-r", ntl, "-p", poly, "-s", "sum", "--long", "-o", dir .. "/l.fgb" }
    assert.equal(1, rc)
    assert.truthy(err:find("FlatGeobuf cannot hold", 1, true), err)
    assert.falsy(T.exists(dir .. "/l.fgb"))
  end)

  it("writes Parquet only when GDAL has the driver, and says so otherwise", function()
    local has = T.sh("ogrinfo --formats | grep -q Parquet") == 0
    local out = dir .. "/o.parquet"
    local rc, _, err = F.zonal { "-r", ntl, "-p", poly, "-s", "sum", "-o", out }
    if has then
      assert.equal(0, rc, err)
      local l <close> = cbal.open_layer(out)
      assert.equal(3, #l)
    else
      assert.equal(1, rc)
      assert.equal("cbal zonal: " .. out .. ": this GDAL (" .. cbal.gdal_version ..
        ") has no Parquet driver to write '.parquet' files; write .gpkg, .fgb or " ..
        ".geojson instead, or use a GDAL built with Parquet\n", err)
      assert.falsy(T.exists(out))
    end
  end)
end)

describe("the natives behind cbal zonal (l_cli.c)", function()
  it("globs, compares CRSs and names layer drivers", function()
    local dir = T.tmpdir()
    for _, n in ipairs { "b2001.tif", "b2000.tif", "c.txt" } do T.write(dir .. "/" .. n, "") end
    assert.same({ dir .. "/b2000.tif", dir .. "/b2001.tif" }, cbal.glob(dir .. "/b*.tif"))
    assert.same({}, cbal.glob(dir .. "/none*"))
    T.rmtree(dir)
    assert.is_true(cbal.crs_same("EPSG:4326", 'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]]'))
    assert.is_false(cbal.crs_same("EPSG:4326", "EPSG:3857"))
    assert.is_false(cbal.crs_same("EPSG:4326", "not a crs"))
    assert.equal("EPSG:32650", cbal.crs_label("EPSG:32650"))
    assert.equal("GPKG", cbal.layer_format("a/b.GPKG"))
    assert.equal("FlatGeobuf", cbal.layer_format("b.fgb"))
    assert.equal("GeoJSON", cbal.layer_format("b.json"))
    local ok, err = pcall(cbal.layer_format, "b.shp")
    assert.is_false(ok)
    assert.truthy(err:find("b.shp: unknown layer format .shp (use .gpkg, .geojson, .json, .fgb or .parquet)", 1, true))
  end)
end)
