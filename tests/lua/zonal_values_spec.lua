-- zones:stats' value statistics (median, quantiles, mode, minority, variety,
-- frac, unique), coverage_weight and min_coverage_frac, Lua functions and
-- zones:dump, on small grids worked out by hand.
local cbal = require "cbal"
local T = require "testutil"

local NAN = 0 / 0
local function near(a, b, tol)
  if a ~= a or b ~= b then return a ~= a and b ~= b end
  return math.abs(a - b) <= (tol or 1e-12) * math.max(1, math.abs(b))
end

local function rect(x0, y0, x1, y1)
  return ("[[[%g,%g],[%g,%g],[%g,%g],[%g,%g],[%g,%g]]]"):format(x0, y0, x1, y0, x1, y1, x0, y1, x0, y0)
end

describe("zones:stats value statistics", function()
  local dir
  setup(function() dir = T.tmpdir() end)
  teardown(function() T.rmtree(dir) end)

  local n = 0
  -- zones of polygons (coordinate JSON) over a raster of values (row-major)
  local function zones(w, h, values, polys, extra)
    n = n + 1
    local tif = T.float_raster(dir, "r" .. n, w, h, values,
      ("-a_srs EPSG:4326 -a_ullr 0 %d %d 0 -a_nodata -1 %s"):format(h, w, extra or ""))
    local feats = {}
    for i, c in ipairs(polys) do
      feats[i] = ('{"type":"Feature","properties":{"id":%d},"geometry":{"type":"Polygon","coordinates":%s}}')
        :format(10 * i, c)
    end
    local p = dir .. "/p" .. n .. ".geojson"
    T.write(p, ('{"type":"FeatureCollection","features":[%s]}'):format(table.concat(feats, ",")))
    local r = cbal.open_raster(tif)
    return cbal.zones(cbal.open_layer(p), r, {id = "id"}), r
  end

  it("interpolates quantiles between distinct values, with q = 0 and q = 1 at the ends", function()
    -- one row 10, 20, 20, 40 (whole cells): distinct 10, 20, 40 with C = 1, 2, 1;
    -- S = 0, 1*2 + 2*1 = 4, 2*1 + 2*3 = 8; n - 1 = 2, ΣC = 4, so q maps to 8q:
    -- median: 4 is not above S_1 = 4, so between 20 (S 4) and 40 (S 8): 20;
    -- q = 0.25: 2 lies between 10 (S 0) and 20 (S 4): 15; q = 0.9: 7.2: 20 + 3.2/4*20 = 36
    local z, r = zones(4, 1, {10, 20, 20, 40}, {rect(0, 0, 4, 1)})
    local s = z:stats(r, {"median", "quantile(q=0)", "quantile(q=0.25)", "quantile(q=0.9)",
      "quantile(q=1)", "quantile(q=0.125)"})
    assert.are.same({"median", "quantile_0", "quantile_25", "quantile_90", "quantile_100",
      "quantile_12.5"}, s.columns)
    assert.are.equal(20, s.median[1])
    assert.are.equal(10, s.quantile_0[1]); assert.are.equal(40, s.quantile_100[1])
    assert.are.equal(15, s.quantile_25[1])
    assert.is_true(near(s.quantile_90[1], 36))
    assert.is_true(near(s["quantile_12.5"][1], 12.5)) -- 8 x 0.125 = 1: 10 + 1/4 x 10
  end)

  it("weights values by their covered fraction", function()
    -- 10 covered half, 20 whole: C = 0.5, 1; S = 0, 1 + 0.5 = 1.5; median: 0.75: 15
    local z, r = zones(2, 1, {10, 20}, {rect(0.5, 0, 2, 1)})
    local s = z:stats(r, {"median", "mode", "minority", "count"})
    assert.are.same({15, 20, 10, 1.5}, {s.median[1], s.mode[1], s.minority[1], s.count[1]})
  end)

  it("breaks ties in mode and minority by the smallest value", function()
    -- 3, 1, 2, 1, 3, 2: every value covers 2 cells
    local z, r = zones(6, 1, {3, 1, 2, 1, 3, 2}, {rect(0, 0, 6, 1), rect(0, 0, 3, 1)})
    local s = z:stats(r, {"mode", "majority", "minority", "variety"})
    assert.are.same({1, 1, 1, 3}, {s.mode[1], s.majority[1], s.minority[1], s.variety[1]})
    -- second zone 3, 1, 2: one cell each
    assert.are.same({1, 1, 3}, {s.mode[2], s.minority[2], s.variety[2]})
  end)

  it("gives NaN, variety 0 and no classes for a zone without valid values", function()
    local z, r = zones(4, 1, {-1, -1, 5, 5}, {rect(0, 0, 2, 1), rect(0, 0, 4, 1)})
    cbal.warnings(true)
    local s = z:stats(r, {"median", "quantile(q=0.5)", "mode", "minority", "variety", "unique",
      "frac", "count", "sum", "mean", "stdev", "coefficient_of_variation"})
    assert.is_true(s.median[1] ~= s.median[1]); assert.is_true(s.mode[1] ~= s.mode[1])
    assert.is_true(s.minority[1] ~= s.minority[1])
    assert.are.equal(0, s.variety[1])
    assert.are.same({}, s.unique[1])
    assert.is_true(s.frac_5[1] ~= s.frac_5[1])  -- no valid cell: no share
    assert.are.same({0, 0}, {s.count[1], s.sum[1]})
    assert.is_true(s.mean[1] ~= s.mean[1] and s.stdev[1] ~= s.stdev[1])
    assert.are.same({5, 5, 5, 1, 1}, {s.median[2], s.mode[2], s["quantile_50"] and 5, s.variety[2], s.frac_5[2]})
    assert.are.same({5}, s.unique[2])
    assert.are.equal(0, s.coefficient_of_variation[2])
  end)

  it("names a frac column by the class value's shortest exact text, as tables write numbers", function()
    -- float32 4/7919 reads back from 16 digits (a 15-then-17 rule gave 17), 0.1 needs 17
    local z, r = zones(2, 1, {4 / 7919, 0.1}, {rect(0, 0, 2, 1)})
    local s = z:stats(r, {"frac", "unique"})
    local u = s.unique[1]
    assert.are.same({"frac_" .. cbal.number_text(u[1]), "frac_" .. cbal.number_text(u[2]), "unique"}, s.columns)
    assert.are.same({"frac_0.0005051142652519047", "frac_0.10000000149011612"}, {s.columns[1], s.columns[2]})
  end)

  it("makes one frac column per class, ascending, 0 where a zone lacks it", function()
    -- classes 1 1 2 7 / 7 7 7 2; zone A = top row, zone B = right half (half of column 2 too)
    local z, r = zones(4, 2, {1, 1, 2, 7, 7, 7, 7, 2}, {rect(0, 1, 4, 2), rect(1.5, 0, 4, 2)})
    local w <close> = cbal.open_raster(T.float_raster(dir, "w", 4, 2, {1, 1, 1, 1, 2, 2, 2, 2},
      "-a_srs EPSG:4326 -a_ullr 0 2 4 0"))
    local s = z:stats(r, {"frac", "weighted_frac", "unique", "variety"}, {weights = w})
    assert.are.same({"frac_1", "frac_2", "frac_7", "weighted_frac_1", "weighted_frac_2",
      "weighted_frac_7", "unique", "variety"}, s.columns)
    assert.are.same({0.5, 0.25, 0.25}, {s.frac_1[1], s.frac_2[1], s.frac_7[1]})
    -- B covers 1 (half), 2, 7 in the top row and 7 (half), 7, 2 below: C = 0.5, 2, 2.5 of 5
    assert.are.same({0.1, 0.4, 0.5}, {s.frac_1[2], s.frac_2[2], s.frac_7[2]})
    -- weighted: top cells weigh 1, bottom 2: Σcw = 0.5 + 1 + 1 + 2x(0.5 + 1 + 1) = 7.5
    assert.is_true(near(s.weighted_frac_1[2], 0.5 / 7.5))
    assert.is_true(near(s.weighted_frac_2[2], 3 / 7.5))
    assert.is_true(near(s.weighted_frac_7[2], 4 / 7.5))
    assert.are.same({1, 2, 7}, s.unique[1]); assert.are.same({1, 2, 7}, s.unique[2])
  end)

  it("refuses frac on a raster that is not made of classes", function()
    local v = {}
    for i = 1, 40 * 30 do v[i] = i / 7 end
    local z, r = zones(40, 30, v, {rect(0, 0, 40, 30)})
    local ok, err = pcall(z.stats, z, r, {"frac"})
    assert.is_false(ok)
    assert.truthy(err:find("frac and weighted_frac make one column per distinct value, and raster '" ..
      r.path .. "' has too many (zone 1 has 1200 distinct values, more than 1000; at most 1000)", 1, true), err)
    assert.are.equal(1200, #z:stats(r, {"unique"}).unique[1]) -- unique has no such limit
  end)

  it("applies coverage_weight and min_coverage_frac to every statistic", function()
    -- 1 2 3 / 4 5 6 / 7 8 9 and the centred 2 x 2 square: corners 0.25, edges 0.5, centre 1
    local z, r = zones(3, 3, {1, 2, 3, 4, 5, 6, 7, 8, 9}, {rect(0.5, 0.5, 2.5, 2.5)})
    local none = z:stats(r, {"count", "sum", "mean", "median", "mode"}, {coverage_weight = "none"})
    assert.are.same({9, 45, 5, 5, 1}, {none.count[1], none.sum[1], none.mean[1], none.median[1], none.mode[1]})
    local half = z:stats(r, {"count", "sum", "min", "max", "variety"}, {min_coverage_frac = 0.5})
    assert.are.same({3, 15, 2, 8, 5}, {half.count[1], half.sum[1], half.min[1], half.max[1], half.variety[1]})
    local cart = z:stats(r, {"count", "sum"}, {coverage_weight = "area_cartesian"})
    assert.are.same({4, 20}, {cart.count[1], cart.sum[1]}) -- 1 x 1 degree cells
    -- a 1 x 1 degree cell between 0 and 1 N on a sphere of 6378137 m
    local sph = z:stats(r, {"count"}, {coverage_weight = "area_spherical_km2"})
    local R, d = 6378137, math.pi / 180
    local row = function(y0, y1) return R * R * d * math.abs(math.sin(y0 * d) - math.sin(y1 * d)) * 1e-6 end
    assert.is_true(near(sph.count[1], row(2, 3) + 2 * row(1, 2) + row(0, 1), 1e-12))
    local ok, err = pcall(z.stats, z, r, {"sum"}, {min_coverage_frac = 2})
    assert.is_false(ok)
    assert.truthy(err:find("option 'min_coverage_frac' must be between 0 and 1, got 2", 1, true), err)
  end)

  it("gives coverage_area in m2 from true cell areas", function()
    local z, r = zones(3, 3, {1, 2, 3, 4, 5, 6, 7, 8, 9}, {rect(0.5, 0.5, 2.5, 2.5)})
    local s = z:stats(r, {"coverage_area", "weighted_sum"}, {weights = "area"})
    -- every cell's weight is its area, so Σ c x area is the weighted sum of ones
    local ones = z:stats(r, {"count", "weight"}, {weights = "area"})
    assert.is_true(near(s.coverage_area[1], ones.weight[1], 1e-12))
    assert.is_true(s.coverage_area[1] > 4 * 1.2e10 and s.coverage_area[1] < 4 * 1.24e10)
  end)

  it("rejects bad quantiles, repeated columns and unknown arguments", function()
    local z, r = zones(2, 1, {1, 2}, {rect(0, 0, 2, 1)})
    local cases = {
      {{"quantile"}, "stats: 'quantile' needs q, e.g. \"quantile(q=0.9)\""},
      {{"quantile(q=1.5)"}, "stats: 'quantile(q=1.5)': q must be between 0 and 1"},
      {{"quantile(q=abc)"}, "stats: 'quantile(q=abc)': write q as a number, e.g. \"quantile(q=0.9)\""},
      {{"quantile(p=0.5)"}, "stats: 'quantile(p=0.5)': quantile takes one argument, q"},
      {{"mean(min_coverage_frac=0.5)"}, "stats: 'mean(min_coverage_frac=0.5)': this statistic takes no arguments"},
      {{"median", "quantile(q=0.5)", "quantile(q=0.50)"}, "stats: column 'quantile_50' is asked twice"},
      {{"weighted_frac"}, "stats: 'weighted_frac' needs weights"},
      {{}, "stats: the list of statistics is empty"},
    }
    for _, c in ipairs(cases) do
      local ok, err = pcall(z.stats, z, r, c[1])
      assert.is_false(ok)
      assert.truthy(err:find(c[2], 1, true), err)
    end
  end)
end)

describe("zones:stats with Lua functions", function()
  local dir, z, r
  setup(function()
    dir = T.tmpdir()
    local tif = T.float_raster(dir, "g", 3, 3, {1, 2, 3, 4, -1, 6, 7, 8, 9},
      "-a_srs EPSG:4326 -a_ullr 0 3 3 0 -a_nodata -1")
    T.write(dir .. "/p.geojson", '{"type":"FeatureCollection","features":[' ..
      '{"type":"Feature","properties":{"id":"a"},"geometry":{"type":"Polygon","coordinates":' .. rect(0.5, 0.5, 2.5, 2.5) .. '}},' ..
      '{"type":"Feature","properties":{"id":"b"},"geometry":{"type":"Polygon","coordinates":' .. rect(0, 2, 3, 3) .. '}}]}')
    r = cbal.open_raster(tif)
    z = cbal.zones(cbal.open_layer(dir .. "/p.geojson"), r, {id = "id"})
  end)
  teardown(function() T.rmtree(dir) end)

  it("calls each function once per zone with its valid cells, row by row", function()
    local seen = {}
    local s = z:stats(r, {"sum", function(v, c)
      seen[#seen + 1] = {v:totable(), c:totable()}
      local t = 0
      for i = 1, #v do t = t + v[i] * c[i] end
      return t
    end, {name = "n", fn = function(v) return #v end}})
    assert.are.same({"sum", "fn2", "n"}, s.columns)
    assert.are.same({s.sum[1], s.sum[2]}, {s.fn2[1], s.fn2[2]})
    assert.are.same({8, 3}, s.n:totable()) -- the centre is nodata
    table.sort(seen, function(a, b) return #a[1] > #b[1] end)
    assert.are.same({{1, 2, 3, 4, 6, 7, 8, 9}, {0.25, 0.5, 0.25, 0.5, 0.5, 0.25, 0.5, 0.25}}, seen[1])
    assert.are.same({{1, 2, 3}, {1, 1, 1}}, seen[2])
  end)

  it("passes weights as a third array and stores nil as NaN", function()
    local w <close> = cbal.open_raster(T.float_raster(dir, "w", 3, 3, {1, 2, 3, 4, 5, 6, 7, 8, 9},
      "-a_srs EPSG:4326 -a_ullr 0 3 3 0"))
    local s = z:stats(r, {"weighted_sum", {name = "ws", fn = function(v, c, wt)
      local t = 0
      for i = 1, #v do t = t + v[i] * c[i] * wt[i] end
      return t
    end}, {name = "none", fn = function() return nil end}}, {weights = w})
    assert.are.same(s.weighted_sum:totable(), s.ws:totable())
    assert.is_true(s.none[1] ~= s.none[1])
  end)

  it("names the function and the zone when one fails or returns a non-number", function()
    local ok, err = pcall(z.stats, z, r, {{name = "bad", fn = function(v) if #v == 3 then error("boom") end return 1 end}})
    assert.is_false(ok)
    assert.truthy(err:find("stats: function 'bad' failed on zone 2: ", 1, true), err)
    assert.truthy(err:find("boom", 1, true), err)
    ok, err = pcall(z.stats, z, r, {function() return "x" end})
    assert.is_false(ok)
    assert.truthy(err:find("stats: function 'fn1' failed on zone 1: returned a string (return a number, or nil for none)", 1, true), err)
    ok, err = pcall(z.stats, z, r, {function() error(setmetatable({}, {__tostring = function() return "custom" end})) end})
    assert.truthy(err:find("failed on zone 1: custom", 1, true), err)
    ok, err = pcall(z.stats, z, r, {{name = "valid", fn = print}})
    assert.truthy(err:find("stats: 'valid' is a key of every result; name the function otherwise", 1, true), err)
    ok, err = pcall(z.stats, z, r, {function() z:close() end})
    assert.truthy(err:find("cannot close zones while their stats run", 1, true), err)
    assert.are.equal(2, #z) -- still open
  end)
end)

describe("zones:dump", function()
  local dir
  setup(function() dir = T.tmpdir() end)
  teardown(function() T.rmtree(dir) end)

  it("lists a zone's cells, values and coverage as exactextract's cell_id does", function()
    local tif = T.float_raster(dir, "g", 3, 3, {1, 2, 3, 4, -1, 6, 7, 8, 9},
      "-a_srs EPSG:4326 -a_ullr 0 3 3 0 -a_nodata -1")
    T.write(dir .. "/p.geojson", '{"type":"FeatureCollection","features":[' ..
      '{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":' .. rect(0.5, 0.5, 2.5, 2.5) .. '}}]}')
    local r <close> = cbal.open_raster(tif)
    local z = cbal.zones(cbal.open_layer(dir .. "/p.geojson"), r)
    local d = z:dump(r, 1)
    assert.are.same({0, 1, 2, 3, 5, 6, 7, 8}, d.cell_id:totable())
    assert.are.same({1, 2, 3, 4, 6, 7, 8, 9}, d.values:totable())
    assert.are.same({0.25, 0.5, 0.25, 0.5, 0.5, 0.25, 0.5, 0.25}, d.coverage:totable())
    assert.is_nil(d.weights)
    local all = z:dump(r, 1, {nodata = true, coverage_weight = "none"})
    assert.are.same({0, 1, 2, 3, 4, 5, 6, 7, 8}, all.cell_id:totable())
    assert.is_true(all.values[5] ~= all.values[5])
    assert.are.same({1, 1, 1, 1, 1, 1, 1, 1, 1}, all.coverage:totable())
    local wd = z:dump(r, 1, {weights = r, min_coverage_frac = 0.5})
    assert.are.same({1, 3, 5, 7}, wd.cell_id:totable())
    assert.are.same({2, 4, 6, 8}, wd.weights:totable())
    assert.has_error(function() z:dump(r, 2) end, "dump: zone 2 does not exist (the zones are 1..1)")
    assert.has_error(function() z:dump(r, 1, {threads = 2}) end)
  end)
end)
