-- `cbal zonal` with the statistics that need each polygon's values:
-- quantiles, classes (frac_<value> columns), unique (JSON text), user
-- functions in Lua, and --dump of one polygon's cells. Values by hand on
-- the grid of tests/cli/zonal_fixture.lua, and the same as zones:stats.
package.path = "tests/cli/?.lua;" .. package.path
local T = require "testutil"
local F = require "zonal_fixture"
local cbal = require "cbal"

local ok = F.ok

describe("cbal zonal value statistics", function()
  local dir, poly, ntl
  F.each_test(function(d, p, r) dir, poly, ntl = d, p, r end)

  it("writes what zones:stats computes, under exactextract's column names", function()
    local out = dir .. "/v.csv"
    local asked = { "median", "quantile(q=0.9)", "quantile(q=0.125)", "majority", "minority",
      "variety", "coefficient_of_variation" }
    local args = { "-r", ntl, "-p", poly, "-o", out }
    for _, s in ipairs(asked) do args[#args + 1] = "-s"; args[#args + 1] = s end
    ok(args)
    local cols, names = F.csv(out)
    assert.same({ "median", "quantile_90", "quantile_12.5", "majority", "minority", "variety",
      "coefficient_of_variation" }, names)
    local l <close> = cbal.open_layer(poly)
    local r <close> = cbal.open_raster(ntl)
    local want = cbal.zones(l, r):stats(r, asked)
    for _, n in ipairs(names) do
      for i = 1, 3 do assert.equal(want[n][i], cols[n][i], n .. " " .. i) end
    end
    -- by hand: A holds 1 2 5 6 whole, B 7 11 whole and 8 12 at 0.6
    assert.same({ 1, 7, 5 }, cols.majority:totable()) -- ties: the smallest value
    assert.same({ 1, 8, 2 }, cols.minority:totable())
    assert.same({ 4, 4, 4 }, cols.variety:totable())
    assert.equal(3.5, cols.median[1])
  end)

  it("writes a column per class for frac, and unique as JSON text", function()
    local out = dir .. "/f.csv"
    ok { "-r", ntl, "-p", poly, "--id", "code", "-s", "frac", "-s", "unique", "-o", out }
    local cols, names = F.csv(out)
    assert.same({ "code", "frac_1", "frac_2", "frac_5", "frac_6", "frac_7", "frac_8",
      "frac_11", "frac_12", "unique" }, names)
    assert.same({ 0.25, 0 }, cols.frac_1:slice(1, 2):totable())
    assert.truthy(F.near(cols.frac_1[3], 0.24)) -- D: 0.24 of its 1 covered cell
    assert.truthy(F.near(cols.frac_7[2], 1 / 3.2))
    assert.truthy(F.near(cols.frac_8[2], 0.6 / 3.2))
    assert.same({ "[1,2,5,6]", "[7,8,11,12]", "[1,2,5,6]" }, cols.unique)
    -- renamed, and after a raster name
    ok { "-r", "lc:" .. ntl, "-p", poly, "-s", "share=frac", "-s", "p90=quantile(q=0.9)", "-o", out }
    local _, n2 = F.csv(out)
    assert.same({ "lc_share_1", "lc_share_2", "lc_share_5", "lc_share_6", "lc_share_7",
      "lc_share_8", "lc_share_11", "lc_share_12", "lc_p90" }, n2)
    -- --long: unique's text in the value column
    ok { "-r", ntl, "-p", poly, "--id", "code", "-s", "unique", "-s", "variety", "--long", "-o", out }
    cols = F.csv(out)
    assert.same({ "[1,2,5,6]", "4" }, { cols.value[1], cols.value[2] })
  end)

  it("writes unique as JSON text in a GeoPackage too", function()
    local out = dir .. "/u.gpkg"
    ok { "-r", ntl, "-p", poly, "-s", "unique", "-o", out }
    local l <close> = cbal.open_layer(out)
    assert.same({ "[1,2,5,6]", "[7,8,11,12]", "[1,2,5,6]" }, l:field("unique"))
  end)

  it("calls Lua functions from a file, named by -s lua:file.lua:name", function()
    local fns = dir .. "/fns.lua"
    T.write(fns, [[
-- covered cells brighter than 5 (a global function)
function lit(v, c)
  local n = 0
  for i = 1, #v do if v[i] > 5 then n = n + c[i] end end
  return n
end
-- fields of the returned table too
return { top = function(v) local m = -math.huge; for i = 1, #v do m = math.max(m, v[i]) end; return m end }
]])
    T.write(dir .. "/range.lua", "return function(v) return v:max() - v:min() end\n")
    local out = dir .. "/fn.csv"
    ok { "-r", ntl, "-p", poly, "-s", "lua:" .. fns .. ":lit", "-s", "lua:" .. fns .. ":top",
      "-s", "lua:" .. dir .. "/range.lua", "-s", "sum", "-o", out }
    local cols, names = F.csv(out)
    assert.same({ "lit", "top", "range", "sum" }, names)
    assert.same({ 6, 12, 6 }, cols.top:totable())
    assert.truthy(F.near(cols.lit[2], 3.2)) -- 7 8 11 12: 1 + 0.6 + 1 + 0.6
    assert.truthy(F.near(cols.lit[3], 0.24)) -- only 6, at 0.24
    assert.same({ 5, 5, 5 }, cols.range:totable())
    ok { "-r", "a:" .. ntl, "-r", "b:" .. ntl, "-p", poly, "-s", "lua:" .. fns .. ":top", "-o", out }
    local _, n2 = F.csv(out)
    assert.same({ "a_top", "b_top" }, n2)
  end)

  it("gives a function the weights of -w", function()
    T.write(dir .. "/w.lua", "return function(v, c, w) return w and w:sum() or -1 end\n")
    local out = dir .. "/w.csv"
    ok { "-r", ntl, "-p", poly, "-s", "lua:" .. dir .. "/w.lua", "-w", "area", "-o", out }
    local cols = F.csv(out)
    assert.same({ 4e6, 4e6, 4e6 }, cols.w:totable()) -- 1 km2 per cell, 4 cells each
  end)

  it("names the function, the polygon and the raster when a function fails", function()
    T.write(dir .. "/bad.lua", "return { f = function(v) if #v < 4 then error('too few') end return 1 end }\n")
    T.write(dir .. "/out.csv", "earlier\n")
    local rc, _, err = F.zonal { "-r", ntl, "-p", poly, "--id", "name", "-s",
      "lua:" .. dir .. "/bad.lua:f", "--mode", "center", "--where", "code > 102", "-o", dir .. "/out.csv" }
    assert.equal(1, rc)
    assert.equal("cbal zonal: -s lua:" .. dir .. "/bad.lua:f failed on polygon 1 (name 丁) of " ..
      ntl .. ": " .. dir .. "/bad.lua:1: too few\n", err)
    assert.equal("earlier\n", T.read(dir .. "/out.csv"))
  end)
end)

describe("cbal zonal --dump", function()
  local dir, poly, ntl
  F.each_test(function(d, p, r) dir, poly, ntl = d, p, r end)

  it("writes one row per cell of the polygon with that id, as exactextract's cell_id", function()
    local out = dir .. "/d.csv"
    ok { "-r", ntl, "-p", poly, "--id", "code", "--dump", "102", "-o", out }
    local cols, names = F.csv(out)
    assert.same({ "code", "cell_id", "x", "y", "coverage", "value" }, names)
    assert.same({ 102, 102, 102, 102 }, cols.code:totable())
    assert.same({ 6, 7, 10, 11 }, cols.cell_id:totable())
    assert.same({ 502500, 503500, 502500, 503500 }, cols.x:totable())
    assert.same({ 3498500, 3498500, 3497500, 3497500 }, cols.y:totable())
    assert.same({ 7, 8, 11, 12 }, cols.value:totable())
    assert.truthy(F.near(cols.coverage[2], 0.6))
  end)

  it("lists every raster's value, the weight, and each cell's square in a GeoPackage", function()
    F.raster(dir, "r2.tif", 2, { nodata = 4 }) -- 2 x 2 = 4: cell 2 is nodata there
    local out = dir .. "/d.gpkg"
    ok { "-r", "a:" .. ntl, "-r", "b:" .. dir .. "/r2.tif", "-p", poly, "--id", "name",
      "--dump", "丁", "-w", "area", "-o", out }
    local l <close> = cbal.open_layer(out)
    assert.same({ "name", "cell_id", "x", "y", "coverage", "weight", "a_value", "b_value" }, l:fields())
    assert.same({ 0, 1, 4, 5 }, l:field("cell_id"):totable())
    assert.same({ 1, 2, 5, 6 }, l:field("a_value"):totable())
    local b = l:field("b_value")
    assert.equal(2, b[1])
    assert.is_true(b[2] ~= b[2]) -- no data: an empty cell
    assert.same({ 1e6, 1e6, 1e6, 1e6 }, l:field("weight"):totable())
    local p = l:polygons()
    for i = 1, 4 do assert.truthy(F.near(p:area(i), 1e6)) end
    assert.same({ 500000, 3498000, 502000, 3500000 }, { p:bbox() })
  end)

  it("refuses what it cannot dump", function()
    local out = dir .. "/d.csv"
    local function refuses(code, want, args)
      local rc, _, err = F.zonal(args)
      assert.equal(code, rc, err)
      assert.truthy(err:find(want, 1, true), err)
      assert.falsy(T.exists(out))
    end
    refuses(1, "--dump 109: no polygons of " .. poly .. " have code = 109; --dump needs exactly one",
      { "-r", ntl, "-p", poly, "--id", "code", "--dump", "109", "-o", out })
    refuses(1, "--dump x: the id field 'code' holds numbers, and 'x' is not one",
      { "-r", ntl, "-p", poly, "--id", "code", "--dump", "x", "-o", out })
    refuses(2, "--dump names a polygon by its id: give the id field with --id",
      { "-r", ntl, "-p", poly, "--dump", "102", "-o", out })
    refuses(2, "--dump writes cells, not statistics: leave out -s",
      { "-r", ntl, "-p", poly, "--id", "code", "--dump", "102", "-s", "sum", "-o", out })
    refuses(2, "-s cell_id: the cells of a polygon (cell_id, values, coverage, ...) are written by --dump",
      { "-r", ntl, "-p", poly, "-s", "cell_id", "-o", out })
    local fine = F.raster(dir, "fine.tif", nil, { width = 8, height = 6,
      geotransform = { 500000, 500, 0, 3500000, 0, -500 }, values = cbal.array(48, 1):totable() })
    refuses(1, "--dump: the rasters are on 2 grids",
      { "-r", ntl, "-r", fine, "-p", poly, "--id", "code", "--dump", "102", "-o", out })
    local dup = dir .. "/dup.gpkg"
    assert.equal(0, (T.sh(("ogr2ogr -q %s %s && ogr2ogr -q -append %s %s"):format(
      T.quote(dup), T.quote(poly), T.quote(dup), T.quote(poly)))))
    refuses(1, "--dump 102: 2 polygons of " .. dup .. " have code = 102",
      { "-r", ntl, "-p", dup, "--id", "code", "--dump", "102", "-o", out })
  end)
end)
