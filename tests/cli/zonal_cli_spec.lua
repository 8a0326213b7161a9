-- `cbal zonal` as a user runs it: rasters and their names, the year-series
-- pass, grids, modes and options, against values worked out by hand
-- (tests/cli/zonal_fixture.lua).
package.path = "tests/cli/?.lua;" .. package.path
local T = require "testutil"
local F = require "zonal_fixture"
local cbal = require "cbal"

local ok = F.ok

describe("cbal zonal", function()
  local dir, poly, ntl
  F.each_test(function(d, p, r) dir, poly, ntl = d, p, r end)

  it("prints its usage with -h, and cbal -h mentions it", function()
    local out = ok { "-h" }
    assert.truthy(out:find("usage: cbal zonal %-r"))
    for _, o in ipairs { "--include-col", "--mode", "--long", "--csv-bom",
      "--coverage-weight", "--threads", "--nodata", "--where", "--encoding" } do
      assert.truthy(out:find(o, 1, true), o)
    end
    local rc, top = T.run_cbal { "-h" }
    assert.equal(0, rc)
    assert.truthy(top:find("cbal zonal -r raster", 1, true))
  end)

  it("says nothing on success without --progress, even in a log", function()
    local out = dir .. "/q.csv"
    local rc, stdout, err = T.sh(("env -u CBAL_QUIET %s zonal -r %s -p %s -s sum -s median -o %s")
      :format(T.quote(T.cbal), T.quote(ntl), T.quote(poly), T.quote(out)))
    assert.equal(0, rc, err)
    assert.equal("", stdout)
    assert.equal("", err)
  end)

  it("names columns after the stat for one unnamed raster, in layer order", function()
    local out = dir .. "/o.csv"
    ok { "-r", ntl, "-p", poly, "-s", "sum", "-s", "count", "-s", "mean", "-s", "min",
      "-s", "max", "-o", out }
    local cols, names = F.csv(out)
    assert.same({ "sum", "count", "mean", "min", "max" }, names)
    for _, s in ipairs(names) do
      for i = 1, 3 do
        assert.truthy(F.near(cols[s][i], F.exact[s][i]), ("%s[%d] = %s"):format(s, i, cols[s][i]))
      end
    end
  end)

  it("puts --id first, then --include-col fields, then name_stat columns", function()
    local out = dir .. "/o.csv"
    ok { "-r", "ntl:" .. ntl, "-p", poly, "--id", "code", "--include-col", "name,pop",
      "-s", "sum", "-o", out }
    local cols, names = F.csv(out)
    assert.same({ "code", "name", "pop", "ntl_sum" }, names)
    assert.same({ 101, 102, 104 }, cols.code:totable())
    assert.same({ "甲", "乙", "丁" }, cols.name)
    assert.same({ 1.5, 2.25, 3 }, cols.pop:totable())
    assert.truthy(F.near(cols.ntl_sum[2], 30))
    -- -f and --fid are exactextract's spelling of --id; fields repeat too
    ok { "-r", ntl, "-p", poly, "-f", "name", "--include-col", "code",
      "--include-col", "pop", "-s", "sum", "-o", out }
    local _, n2 = F.csv(out)
    assert.same({ "name", "code", "pop", "sum" }, n2)
    -- the feature ids, as exactextract's -f fid: GeoPackage's fid column, FID anywhere
    ok { "-r", ntl, "-p", poly, "-f", "fid", "-s", "sum", "-o", out }
    assert.same({ 1, 2, 3 }, F.csv(out).fid:totable())
    local shp = dir .. "/c.shp"
    assert.equal(0, (T.sh(("ogr2ogr -q %s %s"):format(T.quote(shp), T.quote(poly)))))
    ok { "-r", ntl, "-p", shp, "--id", "FID", "-s", "sum", "-o", out }
    assert.same({ 0, 1, 2 }, F.csv(out).FID:totable())
  end)

  it("builds the coverage once for a year series on one grid", function()
    for k, y in ipairs { 2000, 2001, 2002 } do F.raster(dir, ("DMSP%d.tif"):format(y), k) end
    local out = dir .. "/y.csv"
    -- the shell's expansion (several paths after one -r)
    local _, err = ok { "-r", dir .. "/DMSP2000.tif", dir .. "/DMSP2001.tif",
      dir .. "/DMSP2002.tif", "-p", poly, "-s", "sum", "--progress", "-o", out }
    local _, builds = err:gsub("coverage of 3 polygons built", "")
    assert.equal(1, builds, err)
    assert.truthy(err:find("[3/3] " .. dir .. "/DMSP2002.tif", 1, true), err)
    local cols, names = F.csv(out)
    assert.same({ "DMSP2000_sum", "DMSP2001_sum", "DMSP2002_sum" }, names)
    for k, n in ipairs(names) do assert.truthy(F.near(cols[n][2], 30 * k)) end
    -- a quoted glob, named: each file gets the part the * matched
    ok { "-r", "ntl:" .. dir .. "/DMSP*.tif", "-p", poly, "-s", "sum", "-o", out }
    local _, n2 = F.csv(out)
    assert.same({ "ntl_2000_sum", "ntl_2001_sum", "ntl_2002_sum" }, n2)
    -- an unquoted glob is the same as the list
    ok { "-r", dir .. "/DMSP*.tif", "-p", poly, "-s", "sum", "-o", out }
    local _, n3 = F.csv(out)
    assert.same(names, n3)
  end)

  it("builds one coverage per grid and says so, with each grid's own sums", function()
    -- 500 m cells of 1: the sum over a polygon is its area in those cells
    local fine = F.raster(dir, "fine.tif", nil, { width = 8, height = 6,
      geotransform = { 500000, 500, 0, 3500000, 0, -500 }, values = (function()
        local t = {} for i = 1, 48 do t[i] = 1 end return t end)() })
    local out = dir .. "/g.csv"
    local _, err = ok { "-r", ntl, "-r", fine, "-p", poly, "-s", "sum", "-o", out }
    assert.truthy(err:find("grid 1 of 2 (4 x 3 cells of 1000 x 1000): 1 raster", 1, true), err)
    assert.truthy(err:find("grid 2 of 2 (8 x 6 cells of 500 x 500): 1 raster", 1, true), err)
    local cols, names = F.csv(out)
    assert.same({ "ntl_sum", "fine_sum" }, names)
    -- exactextract 0.3 puts both on the finer grid and reports 56 (14 x 4)
    -- for ntl_sum of A; each grid here keeps its own cells
    assert.truthy(F.near(cols.ntl_sum[1], 14))
    assert.truthy(F.near(cols.fine_sum[1], 16))
    assert.truthy(F.near(cols.fine_sum[2], 12.8))
  end)

  it("follows --mode center and touched", function()
    local out = dir .. "/m.csv"
    for _, mode in ipairs { "center", "touched" } do
      ok { "-r", ntl, "-p", poly, "-s", "sum", "-s", "count", "--mode", mode, "-o", out }
      local cols = F.csv(out)
      for i = 1, 3 do
        assert.truthy(F.near(cols.sum[i], F[mode].sum[i]), mode .. " sum " .. i)
        assert.truthy(F.near(cols.count[i], F[mode].count[i]), mode .. " count " .. i)
      end
    end
  end)

  it("reads every band of a multi-band raster, or the one of --band", function()
    local vals = {}
    for i = 1, 12 do vals[i], vals[12 + i] = F.values[i], 10 * F.values[i] end
    local two = T.float_raster(dir, "two", 4, 3, { F.values, (function()
      local t = {} for i = 1, 12 do t[i] = 10 * F.values[i] end return t end)() },
      "-a_srs EPSG:32650 -a_ullr 500000 3500000 504000 3497000")
    local out = dir .. "/b.csv"
    ok { "-r", two, "-p", poly, "-s", "sum", "-o", out }
    local cols, names = F.csv(out)
    assert.same({ "band_1_sum", "band_2_sum" }, names)
    assert.truthy(F.near(cols.band_2_sum[1], 140))
    ok { "-r", two, "-p", poly, "-s", "sum", "--band", "2", "-o", out }
    cols, names = F.csv(out)
    assert.same({ "sum" }, names)
    assert.truthy(F.near(cols.sum[1], 140))
    ok { "-r", "x:" .. two .. "[1]", "-p", poly, "-s", "sum", "-o", out }
    cols, names = F.csv(out)
    assert.same({ "x_sum" }, names)
    assert.truthy(F.near(cols.x_sum[1], 14))
  end)

  it("takes GDAL's DRIVER:\"file\":name paths, named or not", function()
    local nc = dir .. "/n.nc"
    assert.equal(0, (T.sh(("gdal_translate -q -of netCDF %s %s"):format(T.quote(ntl), T.quote(nc)))))
    local out = dir .. "/nc.csv"
    ok { "-r", ('NETCDF:"%s":Band1'):format(nc), "-r", ('x:NETCDF:"%s":Band1'):format(nc),
      "-p", poly, "-s", "sum", "-o", out }
    local cols, names = F.csv(out)
    assert.same({ "n_Band1_sum", "x_sum" }, names)
    assert.truthy(F.near(cols.x_sum[2], 30))
  end)

  it("takes --nodata values, --where, --layer and --threads", function()
    local out = dir .. "/n.csv"
    ok { "-r", ntl, "-p", poly, "-s", "sum", "-s", "count", "--nodata", "6,2", "-o", out }
    local cols = F.csv(out)
    assert.truthy(F.near(cols.sum[1], 6)) -- 1 + 5
    assert.truthy(F.near(cols.count[1], 2))
    ok { "-r", ntl, "-p", poly, "--id", "code", "-s", "sum", "--where", "code > 101",
      "--layer", "counties", "--threads", "1", "-o", out }
    cols = F.csv(out)
    assert.same({ 102, 104 }, cols.code:totable())
    assert.truthy(F.near(cols.sum[1], 30))
    -- exactextract's path[layer] form of -p
    ok { "-r", ntl, "-p", poly .. "[counties]", "-s", "sum", "-o", out }
  end)

  it("states a missing CRS with --crs", function()
    local bare = F.raster(dir, "bare.tif", 1, { crs = false })
    local out = dir .. "/c.csv"
    local rc, _, err = F.zonal { "-r", bare, "-p", poly, "-s", "sum", "-o", out }
    assert.equal(1, rc)
    assert.equal("cbal zonal: " .. poly .. " has a CRS (EPSG:32650) but " .. bare ..
      " has none; state it with --crs EPSG:32650\n", err)
    assert.falsy(T.exists(out))
    ok { "-r", bare, "-p", poly, "-s", "sum", "--crs", "EPSG:32650", "-o", out }
    assert.truthy(F.near(F.csv(out).sum[2], 30))
  end)

  it("converts GCJ-02 polygons to WGS84 with --datum gcj02", function()
    -- 0.001 degree cells near Nanjing holding their column number, and a
    -- 0.01 degree square: GCJ-02 is some 0.005 degree east of WGS84 there
    local v = {}
    for i = 1, 100 * 100 do v[i] = (i - 1) % 100 end
    local r = dir .. "/ll.tif"
    cbal.write_raster(r, { width = 100, height = 100, geotransform = { 118.75, 0.001, 0, 32.1, 0, -0.001 },
      crs = "EPSG:4326", values = cbal.array(v) })
    local p = dir .. "/gcj.gpkg"
    cbal.write_layer(p, { crs = "EPSG:4326", fields = { { name = "id", type = "integer" } },
      features = { { id = 1, geometry = { { { 118.78, 32.05, 118.79, 32.05, 118.79, 32.06,
        118.78, 32.06, 118.78, 32.05 } } } } } })
    local out = dir .. "/d.csv"
    ok { "-r", r, "-p", p, "-s", "mean", "--datum", "wgs84", "-o", out }
    assert.truthy(F.near(F.csv(out).mean[1], 34.5)) -- columns 30..39
    ok { "-r", r, "-p", p, "-s", "mean", "--datum", "gcj02", "-o", out }
    local shifted = F.csv(out).mean[1]
    assert.truthy(shifted > 28 and shifted < 31, tostring(shifted)) -- about 5 columns west
  end)

  it("reads a GBK shapefile without .cpg with --encoding", function()
    local shp = dir .. "/gbk.shp"
    local rc, _, err = T.sh(("ogr2ogr -q -f 'ESRI Shapefile' -lco ENCODING=GBK %s %s && rm -f %s")
      :format(T.quote(shp), T.quote(poly), T.quote(dir .. "/gbk.cpg")))
    assert.equal(0, rc, err)
    local out = dir .. "/e.csv"
    ok { "-r", ntl, "-p", shp, "--encoding", "GBK", "--id", "name", "-s", "sum", "-o", out }
    assert.same({ "甲", "乙", "丁" }, F.csv(out).name)
  end)

  it("writes --long: one row per polygon x raster x stat", function()
    F.raster(dir, "r2.tif", 2)
    local out = dir .. "/l.csv"
    ok { "-r", "a:" .. ntl, "-r", "b:" .. dir .. "/r2.tif", "-p", poly, "--id", "code",
      "-s", "sum", "-s", "mean", "--long", "-o", out }
    local cols, names = F.csv(out)
    assert.same({ "code", "raster", "stat", "value" }, names)
    assert.equal(12, #cols.value)
    assert.same({ 101, 101, 101, 101 }, cols.code:slice(1, 4):totable())
    assert.same({ "a", "a", "b", "b" }, { table.unpack(cols.raster, 1, 4) })
    assert.same({ "sum", "mean", "sum", "mean" }, { table.unpack(cols.stat, 1, 4) })
    assert.truthy(F.near(cols.value[5], 30)) -- B, a, sum
    assert.truthy(F.near(cols.value[7], 60)) -- B, b, sum
    -- the raster of one unnamed raster is its file name without extension
    ok { "-r", ntl, "-p", poly, "-s", "sum", "--long", "-o", out }
    cols = F.csv(out)
    assert.same({ "ntl", "ntl", "ntl" }, cols.raster)
  end)

  it("writes a UTF-8 byte-order mark with --csv-bom", function()
    local out = dir .. "/bom.csv"
    ok { "-r", ntl, "-p", poly, "--id", "name", "-s", "sum", "--csv-bom", "-o", out }
    assert.equal("\239\187\191name,sum\n甲,14\n", T.read(out):sub(1, 19))
    ok { "-r", ntl, "-p", poly, "--id", "name", "-s", "sum", "-o", out }
    assert.equal("name,sum\n", T.read(out):sub(1, 9))
  end)

  it("weighs only the weighted_* statistics, by -w area or a raster", function()
    local out = dir .. "/w.csv"
    ok { "-r", ntl, "-p", poly, "-s", "sum", "-s", "weighted_sum", "-s", "weighted_mean",
      "-w", "area", "-o", out }
    local cols, names = F.csv(out)
    assert.same({ "sum", "weighted_sum", "weighted_mean" }, names)
    assert.truthy(F.near(cols.sum[2], 30)) -- unweighted, as in exactextract
    assert.truthy(F.near(cols.weighted_sum[2], 30e6)) -- 1 km2 cells
    assert.truthy(F.near(cols.weighted_mean[2], 9.375))
    local w = F.raster(dir, "w.tif", nil, { values = cbal.array(12, 2):totable() })
    F.raster(dir, "r2.tif", 2)
    ok { "-r", "a:" .. ntl, "-r", "b:" .. dir .. "/r2.tif", "-p", poly, "-s", "weighted_sum",
      "-s", "sum", "-w", w, "-o", out }
    cols, names = F.csv(out)
    -- among several rasters a weighted column carries the weights' name too
    assert.same({ "a_w_weighted_sum", "a_sum", "b_w_weighted_sum", "b_sum" }, names)
    assert.truthy(F.near(cols.a_w_weighted_sum[1], 28))
    assert.truthy(F.near(cols.b_w_weighted_sum[1], 56))
  end)

  it("passes each statistic's own coverage arguments, one pass per set", function()
    local out = dir .. "/c.csv"
    ok { "-r", ntl, "-p", poly, "-s", "count", "-s", "n=count(coverage_weight=none)",
      "-s", "m=mean(min_coverage_frac=0.3)", "-s", "mean", "-o", out }
    local cols, names = F.csv(out)
    assert.same({ "count", "n", "m", "mean" }, names)
    assert.same({ 4, 4, 4 }, cols.n:totable())
    assert.truthy(F.near(cols.count[3], 1))
    -- B keeps its cells covered 0.6; D keeps only cell 5, covered 0.36
    assert.truthy(F.near(cols.m[2], 9.375))
    assert.truthy(F.near(cols.m[3], 5))
    ok { "-r", ntl, "-p", poly, "-s", "count", "--coverage-weight", "none", "-o", out }
    assert.same({ 4, 4, 4 }, F.csv(out).count:totable())
  end)

  it("accepts --opt=value, a named statistic and several statistics after one -s", function()
    local out = dir .. "/v.csv"
    ok { "-r", ntl, "-p", poly, "--stat=total=sum", "--mode=center", "--output=" .. out }
    local cols, names = F.csv(out)
    assert.same({ "total" }, names)
    assert.truthy(F.near(cols.total[2], 38))
    ok { "-r", ntl, "-p", poly, "-s", "sum", "mean", "max", "-o", out }
    local _, n2 = F.csv(out)
    assert.same({ "sum", "mean", "max" }, n2)
  end)
end)
