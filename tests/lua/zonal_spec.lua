-- cbal.zones and zones:stats: hand-computed grids, modes, weights, MOD17-like
-- nodata, CRS handling, thread-count independence, warnings and errors.
local cbal = require "cbal"
local T = require "testutil"

local make = T.float_raster

-- A GeoJSON layer from {id, ring-or-rings coordinates JSON} pairs.
local function layer(path, polys, crs)
  local feats = {}
  for i, p in ipairs(polys) do
    feats[i] = ('{"type":"Feature","properties":{"id":%d},"geometry":{"type":"Polygon","coordinates":%s}}')
      :format(p[1], p[2])
  end
  local head = crs and ('"crs":{"type":"name","properties":{"name":"%s"}},'):format(crs) or ""
  T.write(path, ('{"type":"FeatureCollection",%s"features":[%s]}'):format(head, table.concat(feats, ",")))
  return path
end

local function rect(x0, y0, x1, y1)
  return ("[[[%.17g,%.17g],[%.17g,%.17g],[%.17g,%.17g],[%.17g,%.17g],[%.17g,%.17g]]]")
    :format(x0, y0, x1, y0, x1, y1, x0, y1, x0, y0)
end

local function near(a, b, tol)
  return math.abs(a - b) <= (tol or 1e-12) * math.max(1, math.abs(b))
end

local function bits(a)
  local t = {}
  for i = 1, #a do t[i] = ("%a"):format(a[i]) end
  return table.concat(t, " ")
end

describe("cbal.zones", function()
  local dir, grid9, sq
  setup(function()
    dir = T.tmpdir()
    grid9 = make(dir, "g9", 3, 3, {1, 2, 3, 4, 5, 6, 7, 8, 9},
      "-ot Float32 -a_srs EPSG:3857 -a_ullr 0 3 3 0")
    sq = layer(dir .. "/sq.geojson", {{7, rect(0.5, 0.5, 2.5, 2.5)},
      {8, rect(0.6, 0.6, 2.4, 2.4)}}, "EPSG:3857")
  end)
  teardown(function() T.rmtree(dir) end)

  it("computes exact coverage of a centred square (0.25/0.5/1)", function()
    local r = cbal.open_raster(grid9)
    local z = cbal.zones(cbal.open_layer(sq), r, {id = "id"})
    assert.are.equal("exact", z.mode)
    assert.are.equal(2, #z)
    for _, m in ipairs{"center", "touched"} do
      local zm = cbal.zones(cbal.open_layer(sq), r, {mode = m})
      assert.are.equal(m, zm.mode)
      assert.is_truthy(tostring(zm):find(", " .. m .. ", 3x3 grid", 1, true))
    end
    assert.are.same({7, 8}, z.ids:totable())
    local s = z:stats(r, {"count", "sum", "mean", "min", "max", "stddev"})
    -- corners 0.25, edges 0.5, centre 1: sum = 0.25*20 + 0.5*20 + 5
    assert.are.equal(4, s.count[1])
    assert.are.equal(20, s.sum[1])
    assert.are.equal(5, s.mean[1])
    assert.are.equal(1, s.min[1]); assert.are.equal(9, s.max[1])
    -- weighted population sd: sum c (v-5)^2 / 4
    local var = (0.25 * (16 + 4 + 4 + 16) + 0.5 * (9 + 1 + 1 + 9)) / 4
    assert.is_true(near(s.stddev[1], math.sqrt(var)))
    -- 1.8 x 1.8 square: 3.24 cells of area; symmetric so the mean is 5
    -- (span weights are float32, hence 1e-7)
    assert.is_true(near(s.count[2], 3.24, 1e-7))
    assert.is_true(near(s.mean[2], 5, 1e-7))
    assert.is_true(near(s.cells[2], 3.24, 1e-7))
    assert.are.equal(4, s.cells[1])
    assert.are.equal(s.count[1], s.valid[1])
    assert.are.equal(0, s.missing[1])
  end)

  it("counts whole cells in center and touched modes", function()
    local r = cbal.open_raster(grid9)
    local l = cbal.open_layer(sq, {where = "id = 8"})
    local c = cbal.zones(l, r, {mode = "center"}):stats(r, {"count", "sum"})
    assert.are.equal(1, c.count[1]); assert.are.equal(5, c.sum[1])
    local t = cbal.zones(l, r, {mode = "touched"}):stats(r, {"count", "sum"})
    assert.are.equal(9, t.count[1]); assert.are.equal(45, t.sum[1])
  end)

  it("applies a nodata set and scale on MOD17-like int16 data", function()
    local v = {100, 32761, 32767, -30001, 5000, 32765, 0, 32700, 1234}
    local p = make(dir, "npp", 3, 3, v, "-ot Int16 -a_srs EPSG:3857 -a_ullr 0 3 3 0 -a_nodata 32767")
    local r = cbal.open_raster(p, {scale = 0.0001, range = {-30000, 32700},
      nodata = {32761, 32762, 32763, 32764, 32765, 32766, 32767}})
    local l = layer(dir .. "/all.geojson", {{1, rect(0, 0, 3, 3)}}, "EPSG:3857")
    local s = cbal.zones(cbal.open_layer(l), r):stats(r, {"count", "sum", "mean"})
    assert.are.equal(5, s.count[1])
    assert.are.equal(4, s.missing[1])
    assert.is_true(near(s.sum[1], (100 + 5000 + 0 + 32700 + 1234) * 0.0001))
    assert.is_true(near(s.mean[1], (100 + 5000 + 32700 + 1234) * 0.0001 / 5))
  end)

  it("weights by true cell area on a geographic grid", function()
    local w, h = 168, 96 -- 15" cells over 117.9..118.6 E, 31.9..32.3 N
    local ones = {}
    for i = 1, w * h do ones[i] = 1 end
    local p = make(dir, "geo", w, h, ones,
      "-ot Float32 -a_srs EPSG:4326 -a_ullr 117.9 32.3 118.6 31.9")
    local l = cbal.open_layer(layer(dir .. "/box.geojson",
      {{1, rect(118, 32, 118.5, 32.25)}}, "EPSG:4326"))
    local r = cbal.open_raster(p)
    local s = cbal.zones(l, r):stats(r, {"weighted_sum", "count", "weighted_mean", "sum"},
      {weights = "area"})
    -- the same box in an equal-area CRS on WGS84 (edges stay straight)
    local want = l:polygons{crs = "EPSG:6933"}:area(1)
    assert.is_true(near(s.weighted_sum[1], want, 1e-9), s.weighted_sum[1] .. " vs " .. want)
    assert.is_true(near(s.count[1], 120 * 60, 1e-9))
    assert.is_true(near(s.sum[1], 120 * 60, 1e-9))   -- sum is not weighted by area
    assert.is_true(near(s.weighted_mean[1], 1))
  end)

  it("weights by a raster on the same grid: mean = sum vw / sum w", function()
    local r = cbal.open_raster(grid9)
    local wr = cbal.open_raster(make(dir, "w9", 3, 3, {1, 0, 2, 0, 1, 0, 3, 0, 1},
      "-ot Float32 -a_srs EPSG:3857 -a_ullr 0 3 3 0"))
    local l = cbal.open_layer(layer(dir .. "/all9.geojson", {{1, rect(0, 0, 3, 3)}}, "EPSG:3857"))
    local s = cbal.zones(l, r):stats(r, {"weighted_sum", "weighted_mean", "weight", "count",
      "sum", "mean"}, {weights = wr})
    local sw = 1 + 2 + 1 + 3 + 1
    local svw = 1 * 1 + 3 * 2 + 5 * 1 + 7 * 3 + 9 * 1
    assert.are.equal(svw, s.weighted_sum[1])
    assert.are.equal(sw, s.weight[1])
    assert.are.equal(svw / sw, s.weighted_mean[1])
    assert.are.equal(9, s.count[1])
    assert.are.equal(45, s.sum[1]); assert.are.equal(5, s.mean[1])  -- as exactextract: no weights
    assert.are.same({"weighted_sum", "weighted_mean", "weight", "count", "sum", "mean"}, s.columns)
  end)

  it("reprojects polygons into the raster's CRS: same as pre-reprojected", function()
    -- a UTM 50N raster and lon/lat polygons around 118.9E 32N
    local w, h = 200, 150
    local vals = {}
    for i = 1, w * h do vals[i] = (i * 7919) % 1000 / 10 end
    local p = make(dir, "utm", w, h, vals,
      "-ot Float32 -a_srs EPSG:32650 -a_ullr 680000 3560000 700000 3545000")
    local ll = layer(dir .. "/ll.geojson", {
      {1, "[[[118.92,32.08],[119.05,32.1],[119.02,32.15],[118.95,32.17],[118.92,32.08]]]"},
      {2, rect(118.99, 32.04, 119.03, 32.07)}}, "EPSG:4326")
    local pre = dir .. "/pre.gpkg"
    assert.are.equal(0, (T.sh("ogr2ogr -f GPKG -t_srs EPSG:32650 " .. pre .. " " .. ll)))
    local r = cbal.open_raster(p)
    local z1 = cbal.zones(cbal.open_layer(ll), r)
    local z2 = cbal.zones(cbal.open_layer(pre), r)
    assert.is_true(z1.reprojected)
    assert.is_false(z2.reprojected)
    local a, b = z1:stats(r), z2:stats(r)
    for _, k in ipairs{"count", "sum", "mean", "min", "max", "stddev"} do
      for i = 1, 2 do
        assert.is_true(near(a[k][i], b[k][i], 1e-9), k .. i .. ": " .. a[k][i] .. " vs " .. b[k][i])
      end
    end
    assert.is_true(a.count[1] > 1000)
    -- the same polygons without a CRS, stated with the crs option
    local bare = dir .. "/bare.shp"
    assert.are.equal(0, (T.sh("ogr2ogr " .. bare .. " " .. ll .. " && rm " .. dir .. "/bare.prj")))
    local z3 = cbal.zones(cbal.open_layer(bare), r, {crs = "EPSG:4326"})
    assert.is_true(z3.reprojected)
    local c = z3:stats(r)
    assert.are.equal(bits(a.sum), bits(c.sum))
    assert.are.equal(bits(a.count), bits(c.count))
    -- the run says so on stderr (unless CBAL_QUIET)
    local script = dir .. "/rp.lua"
    T.write(script, ("local cbal = require 'cbal'\ncbal.zones(cbal.open_layer(%q), cbal.open_raster(%q))\n")
      :format(ll, p))
    local rc, _, err = T.sh("env -u CBAL_QUIET " .. T.quote(T.cbal) .. " " .. T.quote(script))
    assert.are.equal(0, rc)
    assert.truthy(err:find("cbal: reprojecting ll from EPSG:4326 to EPSG:32650", 1, true), err)
    rc, _, err = T.sh("CBAL_QUIET=1 " .. T.quote(T.cbal) .. " " .. T.quote(script))
    assert.are.equal("", err)
  end)

  it("gives bit-identical results for 1, 2 and 3 threads", function()
    local w, h = 1500, 1400 -- > 2 strips of 128-row blocks
    local vals, x = {}, 12345
    for i = 1, w * h do
      x = (x * 1103515245 + 12345) % 2147483648
      vals[i] = x % 7 == 0 and -9999 or (x % 100000) / 997
    end
    local p = make(dir, "big", w, h, vals, "-ot Float32 -a_srs EPSG:3857 -a_ullr 0 1400 1500 0 " ..
      "-a_nodata -9999 -co TILED=YES -co BLOCKXSIZE=128 -co BLOCKYSIZE=128")
    local polys = {}
    for k = 1, 12 do
      local cx, cy, pts = 120 * k, 100 + 100 * k, {}
      for j = 0, 16 do
        local a = 2 * math.pi * j / 16
        local rr = (j % 2 == 0) and 300 or 140
        pts[#pts + 1] = ("[%.6f,%.6f]"):format(cx + rr * math.cos(a), cy + rr * math.sin(a))
      end
      polys[k] = {k, "[[" .. table.concat(pts, ",") .. "]]"}
    end
    local l = cbal.open_layer(layer(dir .. "/stars.geojson", polys, "EPSG:3857"))
    local r = cbal.open_raster(p)
    for _, mode in ipairs{"exact", "center"} do
      local z = cbal.zones(l, r, {mode = mode})
      local VALUES = {"median", "quantile(q=0.1)", "majority", "minority", "variety", "variance"}
      local ref = z:stats(r, nil, {threads = 1})
      local vref = z:stats(r, VALUES, {threads = 1})
      for _, n in ipairs{2, 3} do
        local s = z:stats(r, nil, {threads = n})
        for _, k in ipairs{"count", "sum", "mean", "min", "max", "stddev", "missing"} do
          assert.are.equal(bits(ref[k]), bits(s[k]), mode .. " " .. k .. " threads " .. n)
        end
        local v = z:stats(r, VALUES, {threads = n})
        for _, k in ipairs(vref.columns) do
          assert.are.equal(bits(vref[k]), bits(v[k]), mode .. " " .. k .. " threads " .. n)
        end
      end
      -- stars overlap and stick out of the raster: cells + outside = area
      for k = 1, 12 do
        assert.is_true(near(ref.valid[k] + ref.missing[k], l:polygons():area(k), 1e-6)
          or mode == "center")
      end
    end
  end)

  it("sums a tiling of the raster to the raster's own total", function()
    local w, h, vals, total, n, x = 50, 40, {}, 0, 0, 7
    for i = 1, w * h do
      x = (x * 1103515245 + 12345) % 2147483648
      vals[i] = x % 9 == 0 and -1 or (x % 1000) / 7
      if vals[i] ~= -1 then total, n = total + vals[i], n + 1 end
    end
    local p = make(dir, "tile", w, h, vals, "-ot Float32 -a_srs EPSG:3857 -a_ullr 0 40 50 0 -a_nodata -1")
    local r = cbal.open_raster(p)
    local v = r:read(1, h) -- the float32 values as read
    total = 0
    for i = 1, #v do if v[i] == v[i] then total = total + v[i] end end
    local l = cbal.open_layer(layer(dir .. "/tiles.geojson", {
      {1, "[[[0,0],[50,0],[50,13.3],[21.7,19.1],[0,27.7],[0,0]]]"},
      {2, "[[[0,27.7],[21.7,19.1],[50,13.3],[50,40],[0,40],[0,27.7]]]"}}, "EPSG:3857"))
    for _, mode in ipairs{"exact", "center"} do
      local s = cbal.zones(l, r, {mode = mode}):stats(r, {"sum", "count"})
      assert.is_true(near(s.sum[1] + s.sum[2], total, 1e-6), mode)
      assert.is_true(near(s.count[1] + s.count[2], n, 1e-6), mode)
      assert.is_true(near(s.cells[1] + s.cells[2], w * h, 1e-6), mode)
    end
  end)

  it("warns when the raster covers no polygon: counts 0, means NaN", function()
    local r = cbal.open_raster(grid9)
    local far = cbal.open_layer(layer(dir .. "/far.geojson", {{1, rect(10, 10, 12, 11)}}, "EPSG:3857"))
    cbal.warnings(true)
    local z = cbal.zones(far, r)
    local w = cbal.warnings(true)
    assert.are.equal(1, #w)
    assert.truthy(w[1]:find("covers none of the 1 polygons", 1, true), w[1])
    local s = z:stats(r, {"count", "mean"})
    assert.are.equal(0, s.count[1])
    assert.is_true(s.mean[1] ~= s.mean[1])
    assert.are.equal(2, s.missing[1]) -- all of it is outside (2 cells of area)
  end)

  it("warns on an all-nodata raster", function()
    local p = make(dir, "nd", 3, 3, {-1, -1, -1, -1, -1, -1, -1, -1, -1},
      "-ot Float32 -a_srs EPSG:3857 -a_ullr 0 3 3 0 -a_nodata -1")
    local r = cbal.open_raster(p)
    local z = cbal.zones(cbal.open_layer(sq), r)
    cbal.warnings(true)
    local s = z:stats(r, {"count", "sum"})
    local w = cbal.warnings(true)
    assert.are.equal(1, #w)
    assert.truthy(w[1]:find("has no valid value inside any zone", 1, true), w[1])
    assert.are.equal(0, s.count[1]); assert.are.equal(0, s.sum[1])
    assert.are.equal(4, s.missing[1])
  end)

  it("refuses a raster on another grid, saying how to proceed", function()
    local r = cbal.open_raster(grid9)
    local z = cbal.zones(cbal.open_layer(sq), r)
    local other = cbal.open_raster(make(dir, "o", 4, 3, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12},
      "-ot Float32 -a_srs EPSG:3857 -a_ullr 0 3 4 0"))
    local ok, err = pcall(z.stats, z, other)
    assert.is_false(ok)
    assert.truthy(err:find("is not on the zones' grid (size differs", 1, true), err)
    assert.truthy(err:find("build zones for that grid with cbal.zones(layer, raster)", 1, true), err)
    -- zones:fits says so beforehand, with the same reason
    assert.is_true(z:fits(r))
    local fits, why = z:fits(other)
    assert.is_false(fits)
    assert.are.equal(err, why)
    -- and raster:same_grid compares two rasters the same way
    assert.is_true(r:same_grid(cbal.open_raster(grid9)))
    assert.are.same({ false, "size" }, { r:same_grid(other) })
    local function tall(name, x0)
      return cbal.open_raster(make(dir, name, 2, 2, { 1, 2, 3, 4 },
        ("-ot Float32 -a_srs EPSG:3857 -a_ullr %.10f 2000 %.10f 0"):format(x0, x0 + 2)))
    end
    -- cells 1 x 1000: an x offset of 1e-7 is 1e-7 of a cell, too far for
    -- the engine (which measures x against the cell width)
    local a, b = tall("t1", 0), tall("t2", 1e-7)
    assert.are.same({ false, "origin" }, { a:same_grid(b) })
    assert.is_false(cbal.zones(cbal.open_layer(sq), a):fits(b))
    local utm = cbal.open_raster(make(dir, "u9s", 3, 3, {1, 2, 3, 4, 5, 6, 7, 8, 9},
      "-ot Float32 -a_srs EPSG:32650 -a_ullr 0 3 3 0"))
    assert.are.same({ false, "crs" }, { r:same_grid(utm) })
  end)

  it("refuses a raster in another CRS on the same numbers, and area weights without a CRS", function()
    local r = cbal.open_raster(grid9)
    local z = cbal.zones(cbal.open_layer(sq), r)
    local utm = cbal.open_raster(make(dir, "u9", 3, 3, {1, 2, 3, 4, 5, 6, 7, 8, 9},
      "-ot Float32 -a_srs EPSG:32650 -a_ullr 0 3 3 0"))
    local ok, err = pcall(z.stats, z, utm)
    assert.is_false(ok)
    assert.truthy(err:find("is in EPSG:32650, the zones in EPSG:3857; build zones for it with cbal.zones(layer, raster)", 1, true), err)
    local fits, why = z:fits(utm)
    assert.is_false(fits)
    assert.are.equal(err, "stats: " .. why)
    local bare = cbal.open_raster(make(dir, "b9", 3, 3, {1, 2, 3, 4, 5, 6, 7, 8, 9},
      "-ot Float32 -a_ullr 0 3 3 0"))
    cbal.warnings(true)
    local zb = cbal.zones(cbal.open_layer(dir .. "/sq.geojson"), bare, {crs = "EPSG:3857"})
    assert.are.equal(20, zb:stats(bare, {"weighted_sum"}, {weights = "area"}).weighted_sum[1]) -- 1 m2 cells
    local plain = dir .. "/p2.geojson"
    T.write(plain, '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":' .. rect(0.5, 0.5, 2.5, 2.5) .. '}}]}')
    assert.are.equal(0, (T.sh("ogr2ogr " .. dir .. "/p2.shp " .. plain .. " && rm " .. dir .. "/p2.prj")))
    local zn = cbal.zones(cbal.open_layer(dir .. "/p2.shp"), bare)
    assert.has_error(function() zn:stats(bare, {"weighted_sum"}, {weights = "area"}) end,
      "cell areas need the raster's CRS, and it has none (open the raster with {crs = \"EPSG:...\"})")
    cbal.warnings(true)
  end)

  it("handles one-sided and missing CRSs as stated", function()
    local nocrs = make(dir, "nocrs", 3, 3, {1, 2, 3, 4, 5, 6, 7, 8, 9}, "-ot Float32 -a_ullr 0 3 3 0")
    local r = cbal.open_raster(nocrs)
    local l = cbal.open_layer(sq)
    local ok, err = pcall(cbal.zones, l, r)
    assert.is_false(ok)
    assert.truthy(err:find("has a CRS but '" .. nocrs .. "' has none", 1, true), err)
    local z = cbal.zones(l, r, {crs = "EPSG:3857"})
    assert.are.equal(20, z:stats(r, {"sum"}).sum[1])
    assert.has_error(function() cbal.zones(l, cbal.open_raster(grid9), {crs = "EPSG:3857"}) end)
    -- neither side: same plane, with a warning
    local plain = dir .. "/plain.geojson"
    T.write(plain, '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":' .. rect(0.5, 0.5, 2.5, 2.5) .. '}}]}')
    local shp = dir .. "/plain.shp"
    assert.are.equal(0, (T.sh("ogr2ogr " .. shp .. " " .. plain .. " && rm " .. dir .. "/plain.prj")))
    cbal.warnings(true)
    local z2 = cbal.zones(cbal.open_layer(shp), r)
    local w = cbal.warnings(true)
    assert.truthy(w[1]:find("taking both as the same plane", 1, true), w[1])
    assert.are.equal(20, z2:stats(r, {"sum"}).sum[1])
  end)

  it("raises on an empty layer, unknown stats and options, and closed zones", function()
    local r = cbal.open_raster(grid9)
    local l = cbal.open_layer(sq)
    assert.has_error(function() cbal.zones(l, r, {where = "id = 99"}) end,
      ("zones: '%s' has no features passing the where filter; zones need at least one polygon"):format(sq))
    assert.has_error(function() cbal.zones(l, r, {mode = "centre"}) end,
      "zones: option 'mode': unknown value 'centre' (expected one of: exact, center, touched)")
    local z = cbal.zones(l, r)
    local ok, err = pcall(z.stats, z, r, {"medain"})
    assert.is_false(ok)
    assert.truthy(err:find("stats: unknown statistic 'medain' (expected one of: count, sum, mean,", 1, true), err)
    assert.has_error(function() z:stats(r, nil, {weight = "area"}) end,
      "unknown key \'weight\' in stats (expected one of: weights, threads, coverage_weight, min_coverage_frac, default_weight)")
    assert.has_error(function() z:stats(r, nil, {weights = "volume"}) end)
    z:close(); z:close()
    assert.has_error(function() z:stats(r) end, "attempt to use closed zones")
    r:close()
    assert.has_error(function() cbal.zones(l, r) end, "attempt to use a closed raster")
  end)
end)
