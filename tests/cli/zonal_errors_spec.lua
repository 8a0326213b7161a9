-- Every bad input to `cbal zonal` gets one line "cbal zonal: ..." on
-- stderr, exit 2 for usage errors and 1 for failures, and never a
-- half-written output: an earlier output of the same name stays as it was.
package.path = "tests/cli/?.lua;" .. package.path
local T = require "testutil"
local F = require "zonal_fixture"
local cbal = require "cbal"

describe("cbal zonal errors", function()
  local dir, poly, ntl, out
  before_each(function()
    dir = T.tmpdir()
    poly = F.polygons(dir)
    ntl = F.raster(dir, "ntl.tif")
    out = dir .. "/out.csv"
    T.write(out, "earlier results\n")
  end)
  after_each(function() T.rmtree(dir) end)

  -- Runs the command, checks the exit code, the one line (matching the
  -- plain text `want`) and that out.csv and the folder are as before.
  local function refuses(code, want, args)
    local before = {}
    for _, f in ipairs(cbal.glob(dir .. "/*")) do before[#before + 1] = f end
    local rc, stdout, err = F.zonal(args)
    assert.equal(code, rc, err)
    assert.equal("", stdout)
    local _, lines = err:gsub("\n", "")
    assert.equal(1, lines, err)
    assert.truthy(err:find("^cbal zonal: "), err)
    assert.truthy(err:find(want, 1, true), ("%q not in %q"):format(want, err))
    assert.equal("earlier results\n", T.read(out))
    assert.same(before, cbal.glob(dir .. "/*"))
    return err
  end

  local function base(extra)
    local a = { "-r", ntl, "-p", poly, "-s", "sum", "-o", out }
    for _, x in ipairs(extra) do a[#a + 1] = x end
    return a
  end

  it("refuses a command line it cannot read (exit 2)", function()
    refuses(2, "no raster: give one with -r path", {})
    refuses(2, "no polygons", { "-r", ntl, "-s", "sum", "-o", out })
    refuses(2, "no output", { "-r", ntl, "-p", poly, "-s", "sum" })
    refuses(2, "no statistic", { "-r", ntl, "-p", poly, "-o", out })
    refuses(2, "unknown option '--bogus'", base { "--bogus" })
    refuses(2, "-o needs a value", { "-r", ntl, "-p", poly, "-s", "sum", "-o" })
    refuses(2, "-p given twice", base { "-p", poly })
    refuses(2, "-s has an empty value", base { "-s", "" })
    refuses(2, "--where has an empty value", base { "--where=" })
    refuses(2, "unexpected argument 'extra'", base { "--mode", "center", "extra" })
    refuses(2, "--long takes no value", base { "--long=yes" })
    refuses(2, "--mode must be exact or center or touched, got 'middle'", base { "--mode", "middle" })
    refuses(2, "--threads must be a whole number of at least 1, got '0'", base { "--threads", "0" })
    refuses(2, "--band must be a whole number of at least 1, got 'x'", base { "--band", "x" })
    refuses(2, "--nodata takes numbers separated by commas", base { "--nodata", "1,,2" })
    refuses(2, "--coverage-weight must be fraction or none or area_cartesian", base { "--coverage-weight", "area" })
    refuses(2, "--csv-bom is for CSV output", { "-r", ntl, "-p", poly, "-s", "sum",
      "-o", dir .. "/o.xlsx", "--csv-bom" })
  end)

  it("refuses an unknown statistic or a bad argument before any work (exit 2)", function()
    local err = refuses(2, "-s summ: unknown statistic 'summ'; known: ", base { "-s", "summ" })
    assert.truthy(err:find("quantile", 1, true))
    refuses(2, "-s quantile(q=1.5): q must be a number from 0 to 1, got '1.5'", base { "-s", "quantile(q=1.5)" })
    refuses(2, "-s quantile(q=x): q must be a number from 0 to 1", base { "-s", "quantile(q=x)" })
    refuses(2, "-s quantile: quantile needs q=", base { "-s", "quantile" })
    refuses(2, "-s quantile(p=0.5): quantile takes no argument 'p' (it takes q, coverage_weight, " ..
      "min_coverage_frac, default_weight)", base { "-s", "quantile(p=0.5)" })
    refuses(2, "-s sum(q=1): sum takes no argument 'q' (it takes coverage_weight, min_coverage_frac, " ..
      "default_weight)", base { "-s", "sum(q=1)" })
    refuses(2, "-s count(coverage_weight=some): option 'coverage_weight': unknown value 'some' " ..
      "(expected one of: fraction, none, area_cartesian, area_spherical_m2, area_spherical_km2)",
      base { "-s", "count(coverage_weight=some)" })
    refuses(2, "-s mean(min_coverage_frac=2): min_coverage_frac must be a number from 0 to 1",
      base { "-s", "mean(min_coverage_frac=2)" })
    refuses(2, "-s mean(default_weight=x): default_weight must be a number, got 'x'",
      base { "-s", "mean(default_weight=x)" })
    refuses(2, "-s mean(q): arguments are key=value, got 'q'", base { "-s", "mean(q)" })
    refuses(2, "-s quantile(q=0.5,q=0.6): argument q given twice", base { "-s", "quantile(q=0.5,q=0.6)" })
    refuses(2, "-s quantile(q=0.50) asks for the same statistic as -s quantile(q=0.5)",
      { "-r", ntl, "-p", poly, "-s", "quantile(q=0.5)", "-s", "quantile(q=0.50)", "-o", out })
    refuses(2, "-s sum is given twice", base { "-s", "sum" })
    refuses(2, "-s weighted_sum needs weights", base { "-s", "weighted_sum" })
    refuses(2, "unknown statistic 'sum(q'", base { "-s", "sum(q" })
  end)

  it("refuses -w without a statistic that uses it", function()
    refuses(2, "-w weighs only the weighted_* statistics", base { "-w", "area" })
  end)

  it("names a raster it cannot read", function()
    refuses(1, "cannot open raster '" .. dir .. "/nope.tif'", base { "-r", dir .. "/nope.tif" })
    T.write(dir .. "/junk.tif", "not a raster")
    refuses(1, "not recognized as a supported file format", base { "-r", dir .. "/junk.tif" })
    refuses(1, "-r " .. dir .. "/x*.tif: no file matches", base { "-r", dir .. "/x*.tif" })
    refuses(1, "band 2 does not exist", base { "--band", "2" })
    refuses(1, ntl .. " is given twice", base { "-r", ntl })
    refuses(1, "two rasters are named 'ntl'", base { "-r", "ntl:" .. F.raster(dir, "other.tif") })
  end)

  it("refuses frac on a raster of too many distinct values", function()
    local v = {}
    for i = 1, 1200 * 3 do v[i] = i + 0.5 end
    local many = dir .. "/many.tif"
    cbal.write_raster(many, { width = 1200, height = 3, geotransform = { 500000, 1000 / 300, 0,
      3500000, 0, -1000 }, crs = F.crs, values = cbal.array(v) })
    refuses(1, "frac and weighted_frac make one column per distinct value, and raster '" ..
      many .. "' has too many", { "-r", many, "-p", poly, "-s", "frac", "-o", out })
  end)

  it("leaves the earlier output when a raster fails in the middle of a series", function()
    local bad = dir .. "/trunc.tif"
    cbal.write_raster(bad, { width = 4, height = 3, geotransform = F.gt, crs = F.crs,
      values = cbal.array(12, 1), tiled = true, compress = "NONE" })
    assert.equal(0, (T.sh("truncate -s 2000 " .. T.quote(bad))))
    refuses(1, "cannot read rows", base { "-r", bad })
  end)

  it("refuses rasters in different CRSs, or with and without one", function()
    local merc = F.raster(dir, "merc.tif", 1, { crs = "EPSG:3857" })
    refuses(1, "the rasters are in different CRSs: " .. ntl .. " is in EPSG:32650, " ..
      merc .. " in EPSG:3857; warp them into one", base { "-r", merc })
    local bare = F.raster(dir, "bare.tif", 1, { crs = false })
    refuses(1, "has a CRS but " .. bare .. " has none", base { "-r", bare })
  end)

  it("refuses a weight raster off the values' grid", function()
    local fine = F.raster(dir, "fine.tif", nil, { width = 8, height = 6,
      geotransform = { 500000, 500, 0, 3500000, 0, -500 }, values = cbal.array(48, 1):totable() })
    -- no weighted statistic exists yet in every build: the grid is checked first
    local args = { "-r", ntl, "-p", poly, "-s", "weighted_sum", "-w", fine, "-o", out }
    refuses(1, "-w " .. fine .. " is not on the grid of " .. ntl, args)
  end)

  it("refuses polygons it cannot use", function()
    refuses(1, "cannot open vector file '" .. dir .. "/nope.shp'",
      { "-r", ntl, "-p", dir .. "/nope.shp", "-s", "sum", "-o", out })
    refuses(1, "cannot open vector file '" .. ntl .. "': it is a raster (rasters go to -r)",
      { "-r", ntl, "-p", ntl, "-s", "sum", "-o", out })
    local shp = dir .. "/c.shp"
    assert.equal(0, (T.sh(("ogr2ogr -q %s %s"):format(T.quote(shp), T.quote(poly)))))
    refuses(1, "cannot open raster '" .. shp .. "': it is a vector file (polygons go to -p)",
      base { "-r", shp })
    refuses(1, "has no layer 'x'", base { "--layer", "x" })
    -- an unknown field in a GeoPackage filter (GDAL's driver matched nothing)
    refuses(1, "'" .. poly .. "': bad where filter 'nosuch = 1': no such column: nosuch "
      .. "(fields: code, name, pop)", base { "--where", "nosuch = 1" })
    refuses(1, "-p " .. poly .. ": no polygons pass --where 'code > 900'", base { "--where", "code > 900" })
    local gj = dir .. "/c.geojson"
    assert.equal(0, (T.sh(("ogr2ogr -q %s %s"):format(T.quote(gj), T.quote(poly)))))
    refuses(1, "bad where filter 'nosuch = 1'",
      { "-r", ntl, "-p", gj, "-s", "sum", "-o", out, "--where", "nosuch = 1" })
    refuses(1, "--include-col: 'nmae' is not a field of " .. poly .. " (fields: code, name, pop)",
      base { "--include-col", "nmae" })
    refuses(1, "--id: 'adcode' is not a field of", base { "--id", "adcode" })
    local pts = dir .. "/pts.gpkg"
    assert.equal(0, (T.sh(("ogr2ogr -q %s %s -dialect sqlite -sql %s"):format(T.quote(pts),
      T.quote(poly), T.quote("select code, ST_Centroid(geom) as geom from counties")))))
    refuses(1, "feature 1 (FID 1) is a Point, not a polygon",
      { "-r", ntl, "-p", pts, "-s", "sum", "-o", out })
  end)

  it("refuses text in another encoding than UTF-8, naming --encoding", function()
    local shp = dir .. "/gbk.shp"
    assert.equal(0, (T.sh(("ogr2ogr -q -f 'ESRI Shapefile' -lco ENCODING=GBK %s %s && rm %s")
      :format(T.quote(shp), T.quote(poly), T.quote(dir .. "/gbk.cpg")))))
    refuses(1, "field 'name' of " .. shp .. " is not UTF-8 text (feature 1); give the file's " ..
      "encoding with --encoding", { "-r", ntl, "-p", shp, "--id", "name", "-s", "sum", "-o", out })
  end)

  it("refuses an output it cannot write, before any work", function()
    local function o(path) return { "-r", ntl, "-p", poly, "-s", "sum", "-o", path } end
    refuses(1, "-o " .. dir .. "/o.shp: cannot write '.shp' files (use .csv, .xlsx, .gpkg",
      o(dir .. "/o.shp"))
    refuses(1, "cannot write a file without an extension", o(dir .. "/results"))
    refuses(1, "-o " .. dir .. "/no/o.csv: the folder '" .. dir .. "/no' does not exist",
      o(dir .. "/no/o.csv"))
    refuses(1, "-o " .. poly .. " is also an input", o(poly))
    refuses(1, "is also an input", o(dir .. "/.//counties.gpkg"))
  end)

  it("names a user function it cannot load", function()
    refuses(1, "-s lua:" .. dir .. "/none.lua:f: cannot load", base { "-s", "lua:" .. dir .. "/none.lua:f" })
    T.write(dir .. "/fns.lua", "function g(v, c) return 1 end\nreturn { h = 1 }\n")
    refuses(2, "defines no function 'f'", base { "-s", "lua:" .. dir .. "/fns.lua:f" })
    refuses(2, "returns no function; name one with lua:", base { "-s", "lua:" .. dir .. "/fns.lua" })
    T.write(dir .. "/boom.lua", "error('no luck')\n")
    refuses(1, "boom.lua failed: " .. dir .. "/boom.lua:1: no luck", base { "-s", "lua:" .. dir .. "/boom.lua:f" })
    T.write(dir .. "/syntax.lua", "function (\n")
    refuses(1, "cannot load " .. dir .. "/syntax.lua:1:", base { "-s", "lua:" .. dir .. "/syntax.lua:f" })
  end)
end)
