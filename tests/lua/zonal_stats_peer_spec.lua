-- zones:stats against exactextract's own numbers on the grids and polygons of
-- its test suite (recreated here). The references were produced with
-- exactextract 0.3.1-dev (commit 3b4926bd, built by
-- ../shared/peer-data/exactextract-build/build.sh) on float32 copies of its
-- synthetic grids:
--   S=peer-data/exactextract/synthetic
--   gdal_translate -ot Float32 $S/grid3_1to9_int32.tif g.tif   (and the others)
--   exactextract -r v:g.tif -w w:grid3_weights_321.f32.tif -p $S/<polygons>.geojson -f id \
--     -s count -s sum -s mean -s min -s max -s variance -s stdev \
--     -s coefficient_of_variation -s median -s 'quantile(q=0)' -s 'quantile(q=0.25)' \
--     -s 'quantile(q=0.75)' -s 'quantile(q=1)' -s majority -s minority -s variety \
--     -s weighted_sum -s weighted_mean -s weighted_stdev -s weighted_variance -o out.csv
-- Agreement is to 1e-9 relative, except: exactextract returns quantiles in
-- the raster's type, so on float32 rasters they are compared after rounding
-- cbal's to float32; and on ties exactextract's majority is the largest
-- value, cbal's the smallest (documented), noted where it happens.
local cbal = require "cbal"
local T = require "testutil"

local function near(a, b)
  if a ~= a or b ~= b then return a ~= a and b ~= b end
  return math.abs(a - b) <= 1e-9 * math.max(1, math.abs(b))
end

local function f32(x) return (string.unpack("<f", string.pack("<f", x))) end

local GRID3 = "-a_srs EPSG:4326 -a_ullr 0 3 3 0"
local NAN = 0 / 0

-- exactextract's polygons (synthetic/*.geojson)
local POLY = {
  square_center = "[[[0.5,0.5],[2.5,0.5],[2.5,2.5],[0.5,2.5],[0.5,0.5]]]",
  diagonal_frac = "[[[0,0],[3,0],[0,3],[0,0]]]",
  diamond = "[[[1.5,0.5],[2.5,1.5],[1.5,2.5],[0.5,1.5],[1.5,0.5]]]",
  nonrect_notch = "[[[0.5,0.5],[2.5,0.5],[2.5,2.0],[2,2],[2.0,2.5],[0.5,2.5],[0.5,0.5]]]",
  rect_upper = "[[[0.5,1.0],[2.5,1.0],[2.5,2.5],[0.5,2.5],[0.5,1.0]]]",
  cli_poly = "[[[0.5,0.5],[2.5,0.5],[2.5,2.0],[0.5,2.0],[0.5,0.5]]]",
  quarter = "[[[0.5,0.5],[1.0,0.5],[1,1],[0.5,1.0],[0.5,0.5]]]", -- frac_rects' first
}

local COLS = {"count", "sum", "mean", "min", "max", "variance", "stdev", "coefficient_of_variation",
  "median", "quantile_0", "quantile_25", "quantile_75", "quantile_100", "majority", "minority",
  "variety", "weighted_sum", "weighted_mean", "weighted_stdev", "weighted_variance"}
local STATS = {"count", "sum", "mean", "min", "max", "variance", "stdev", "coefficient_of_variation",
  "median", "quantile(q=0)", "quantile(q=0.25)", "quantile(q=0.75)", "quantile(q=1)", "majority",
  "minority", "variety", "weighted_sum", "weighted_mean", "weighted_stdev", "weighted_variance"}

-- exactextract's rows (grid3 1..9, weights 3,3,3,2,2,2,1,1,1)
local WANT = {
  square_center = {4, 20, 5, 1, 9, 5, 2.23606797749979, 0.447213595499958, 5, 1, 3.5, 6.5, 9, 5, 1,
    9, 34, 4.25, 2.10653744329409, 4.4375},
  diagonal_frac = {4.5, 26.5, 5.88888888888889, 1, 9, 5.87654320987654, 2.42415824769683,
    0.411649513759838, 6.22222232818604, 1, 4.42500019073486, 7.64583349227905, 9, 8, 1, 6, 34,
    4.85714285714286, 2.58725289661069, 6.69387755102041},
  diamond = {2, 10, 5, 2, 8, 2.5, 1.58113883008419, 0.316227766016838, 5, 2, 4.27272748947144,
    5.72727251052856, 8, 5, 2, 5, 18.5, 4.625, 1.53602571593056, 2.359375},
  nonrect_notch = {3.75, 19.25, 5.13333333333333, 1, 9, 5.04888888888889, 2.24697327284703,
    0.437722066139032, 5.22916650772095, 1, 4.05681800842285, 6.70454549789429, 9, 5, 1, 8, 31.75,
    4.37931034482759, 2.17214010317567, 4.71819262782402},
  rect_upper = {3, 12, 4, 1, 6, 2.5, 1.58113883008419, 0.395284707521047, 4.19999980926514, 1,
    2.79999995231628, 4.94999980926514, 6, 5, 1, 6, 26, 3.71428571428571, 1.64440920474591,
    2.70408163265306},
  cli_poly = {3, 18, 6, 4, 9, 2.5, 1.58113883008419, 0.263523138347365, 5.80000019073486, 4,
    5.05000019073486, 7.19999980926514, 9, 5, 7, 6, 28, 5.6, 1.39283882771841, 1.94},
  quarter = {0.25, 1.75, 7, 7, 7, 0, 0, 0, 7, 7, 7, 7, 7, 7, 7, 1, 1.75, 7, 0, 0},
}
-- ties: exactextract's majority of diagonal_frac is 8 (4, 7 and 8 each
-- cover a whole cell); cbal's rule gives the smallest, 4
local TIES = {diagonal_frac = {majority = 4}}

describe("zones:stats against exactextract", function()
  local dir
  setup(function() dir = T.tmpdir() end)
  teardown(function() T.rmtree(dir) end)

  local function layer(name, polys)
    local feats = {}
    for i, c in ipairs(polys) do
      feats[i] = ('{"type":"Feature","properties":{"id":%d},"geometry":{"type":"Polygon","coordinates":%s}}')
        :format(i, c)
    end
    local p = dir .. "/" .. name .. ".geojson"
    T.write(p, ('{"type":"FeatureCollection","features":[%s]}'):format(table.concat(feats, ",")))
    return cbal.open_layer(p)
  end

  it("agrees on every statistic of every polygon of the 3 x 3 grid", function()
    local r <close> = cbal.open_raster(T.float_raster(dir, "g", 3, 3, {1, 2, 3, 4, 5, 6, 7, 8, 9}, GRID3))
    local w <close> = cbal.open_raster(T.float_raster(dir, "w", 3, 3, {3, 3, 3, 2, 2, 2, 1, 1, 1}, GRID3))
    for name, want in pairs(WANT) do
      local z = cbal.zones(layer(name, {POLY[name]}), r)
      local s = z:stats(r, STATS, {weights = w})
      assert.are.same(COLS, s.columns)
      for k, col in ipairs(COLS) do
        local got, ref = s[col][1], want[k]
        if TIES[name] and TIES[name][col] then ref = TIES[name][col] end
        if col == "median" or col:match("^quantile") then got = f32(got); ref = f32(ref) end
        assert.is_true(near(got, ref), ("%s %s: %.17g vs exactextract %.17g"):format(name, col, got, ref))
      end
    end
  end)

  it("agrees on classes: unique, frac, majority, minority, variety, median", function()
    -- exactextract -r v:grid3_classes_rows.f32.tif -p $S/diagonal_frac.geojson -f id
    --   -s unique -s frac -s majority -s minority -s variety -s median
    -- "1",3,0.555555555555556,3,1,"3",2.30769228935242  (and rows 2 -> 0.333.., 1 -> 0.111..)
    local r <close> = cbal.open_raster(T.float_raster(dir, "c", 3, 3, {1, 1, 1, 2, 2, 2, 3, 3, 3}, GRID3))
    local z = cbal.zones(layer("diag", {POLY.diagonal_frac}), r)
    local s = z:stats(r, {"unique", "frac", "majority", "minority", "variety", "median"})
    assert.are.same({"unique", "frac_1", "frac_2", "frac_3", "majority", "minority", "variety", "median"},
      s.columns)
    assert.are.same({1, 2, 3}, s.unique[1])
    assert.is_true(near(s.frac_1[1], 0.111111111111111))
    assert.is_true(near(s.frac_2[1], 0.333333333333333))
    assert.is_true(near(s.frac_3[1], 0.555555555555556))
    assert.are.same({3, 1, 3}, {s.majority[1], s.minority[1], s.variety[1]})
    assert.are.equal(f32(2.30769228935242), f32(s.median[1]))
  end)

  it("agrees on a polygon over nodata and one partly over it (10 x 10 grid)", function()
    -- exactextract -r v:grid10.f32.tif -p $S/nodata_rects.geojson -f id -s ... (as above, no weights)
    -- "1",0,0,nan,,,-nan,-nan,-nan,,,,,,,,"0"
    -- "2",0.75,43.5,58,54,65,24.6666666666667,4.96655480858378,0.08563025532041,55,54,54.5,60,65,65,54,"3"
    local v = {}
    for i = 1, 100 do v[i] = i end
    for _, i in ipairs{61, 62, 63, 64, 71, 72, 73, 74, 81, 82, 83, 84, 91, 92, 93, 94} do v[i] = -999 end
    local r <close> = cbal.open_raster(T.float_raster(dir, "g10", 10, 10, v,
      "-a_srs EPSG:4326 -a_ullr 0 10 10 0 -a_nodata -999"))
    local z = cbal.zones(layer("rects", {"[[[0,0],[3,0],[3,3],[0,3],[0,0]]]",
      "[[[3.5,3.5],[4.5,3.5],[4.5,4.5],[3.5,4.5],[3.5,3.5]]]"}), r)
    cbal.warnings(true)
    local s = z:stats(r, {"count", "sum", "mean", "min", "max", "variance", "stdev",
      "coefficient_of_variation", "median", "quantile(q=0)", "quantile(q=0.25)", "quantile(q=0.75)",
      "quantile(q=1)", "majority", "minority", "variety"})
    cbal.warnings(true)
    local want = {
      {0, 0, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, 0},
      -- 54, 55 and 65 cover a quarter cell each: exactextract's majority is
      -- 65, cbal's (the smallest) 54
      {0.75, 43.5, 58, 54, 65, 24.6666666666667, 4.96655480858378, 0.08563025532041, 55, 54, 54.5,
       60, 65, 54, 54, 3}}
    for i = 1, 2 do
      for k, col in ipairs(s.columns) do
        assert.is_true(near(s[col][i], want[i][k]), ("zone %d %s: %.17g vs %.17g"):format(i, col,
          s[col][i], want[i][k]))
      end
    end
  end)
end)
