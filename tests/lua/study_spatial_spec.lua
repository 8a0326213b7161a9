-- cbal.study with spatial = {...} on the reduced synthetic province: t9-t13
-- hold what cbal.spatial computes on the study's panel, Fig. 9-13 parse,
-- counties.gpkg gains the clusters and states, the report has the section,
-- and bad spatial options fail before any work.
local cbal = require "cbal"
local syn = require "cbal.synthetic"
local report = require "cbal.report"
local tu = require "testutil"

local desc = require("study_fixture").desc

local function csv(path) return cbal.read_table(path) end

describe("cbal.study spatial", function()
  local dir, data, S, out, w
  setup(function()
    dir = tu.tmpdir()
    data = syn.generate { dir = dir .. "/data", small = true, quiet = true }
    out = dir .. "/out"
    S = cbal.study(desc(data, out, { spatial = { weights = { rule = "queen", snap = 1 },
      variables = { "Q", "C", "N" }, alpha = 0.1, permutations = 499, seed = 3 } }))
    w = cbal.weights(cbal.open_layer(data.counties, { layer = "counties" }), { snap = 1 })
  end)
  teardown(function() tu.rmtree(dir) end)

  it("gives Moran's I per variable and year (t9) as cbal.spatial.moran", function()
    local t = csv(out .. "/t9_moran.csv")
    assert.are.equal(15, #t.variable) -- 3 variables x 5 years
    local m = cbal.spatial.moran(S.panel, w, { variables = { "Q", "C", "N" }, permutations = 499,
      seed = 3 })
    for i = 1, #t.variable do
      local r = m[t.variable[i]][math.tointeger(t.year[i])]
      assert.are.near(r.I, t.I[i], 1e-12)
      assert.are.equal(r.p_sim, t.p_sim_I[i])
    end
  end)

  it("gives the LISA cluster of each county in the map years (t10)", function()
    local t = csv(out .. "/t10_lisa.csv")
    assert.are.equal(S.panel.n, #t.code)
    local l = cbal.spatial.local_moran(S.panel:get("C", 2004), w, { alpha = 0.1,
      permutations = 499, seed = 3 })
    for i = 1, S.panel.n do
      assert.are.equal(l.labels[math.tointeger(l.cluster[i])], t.C_2004[i])
    end
  end)

  it("decomposes Theil between and within regions (t11)", function()
    local t = csv(out .. "/t11_theil.csv")
    for i = 1, #t.T do
      assert.are.near(t.T[i], t.T_between[i] + t.T_within[i], 1e-12)
      assert.is_true(t.Gini[i] > 0 and t.Gini[i] < 1)
    end
  end)

  it("gives gravity centres inside the province and their moves (t12)", function()
    local t = csv(out .. "/t12_centres.csv")
    local x0, y0, x1, y1 = cbal.open_layer(data.counties):polygons { crs = "EPSG:4326" }:bbox()
    for i = 1, #t.lon do
      assert.is_true(t.lon[i] > x0 and t.lon[i] < x1 and t.lat[i] > y0 and t.lat[i] < y1)
      assert.are.equal(t.year[i] == 2000, t.move_km[i] ~= t.move_km[i]) -- no move in year 1
    end
  end)

  it("gives Tapio states per county and period (t13) with their counts", function()
    local t = csv(out .. "/t13_tapio.csv")
    local r = cbal.spatial.tapio(S.panel:get("C", 2000), S.panel:get("C", 2002),
      S.panel:get("G", 2000), S.panel:get("G", 2002))
    for i = 1, S.panel.n do
      assert.are.equal(r.labels[math.tointeger(r.state[i])], t.state_2000_2002[i])
    end
    local c = csv(out .. "/t13_tapio_counts.csv")
    local sum = 0
    for k, name in pairs(c) do
      if k ~= "period" then sum = sum + name[1] end
    end
    assert.are.equal(S.panel.n, sum)
  end)

  it("draws Fig. 9-13 and puts the section in the report", function()
    local names = {}
    for _, f in ipairs(S.figures) do names[f.name] = f end
    for _, n in ipairs({ "fig9_lisa", "fig10_moran_scatter", "fig11_centres", "fig12_tapio",
      "fig13_theil" }) do
      local f = assert(names[n], n)
      assert.are.equal("\137PNG\r\n\26\n", tu.read(f.png):sub(1, 8))
      local rc = tu.sh("pdftoppm -r 20 -png " .. tu.quote((f.png:gsub("%.png$", ".pdf"))) .. " "
        .. tu.quote(dir .. "/pp"))
      assert.are.equal(0, rc, n)
    end
    local html = tu.read(out .. "/report.html")
    assert.truthy(html:find("9. Spatial analysis", 1, true))
    local t = csv(out .. "/t9_moran.csv")
    assert.truthy(html:find('<td class="n">' .. report.fmt(t.I[1]) .. "</td>", 1, true))
  end)

  it("adds clusters, G_i* and Tapio states to counties.gpkg", function()
    local l = cbal.open_layer(out .. "/counties.gpkg")
    local t = csv(out .. "/t10_lisa.csv")
    local g = l:field("lisa_N_2000")
    for i = 1, #g do assert.are.equal(t.N_2000[i], g[i]) end
    local gi = cbal.spatial.getis_ord(S.panel:get("Q", 2004), w)
    assert.are.near(gi.z[1], l:field("gi_Q_2004")[1], 1e-12)
    assert.are.equal(csv(out .. "/t13_tapio.csv").state_2002_2004[2], l:field("tapio_2002_2004")[2])
  end)

  it("rejects bad spatial options before any work", function()
    local function fails(extra, msg)
      local ok, err = pcall(cbal.study, desc(data, dir .. "/bad", { spatial = extra }))
      assert.is_false(ok)
      assert.are.equal(msg, err)
    end
    fails({ weights = { rule = "queen", snapp = 1 } }, "study: unknown key 'snapp' in "
      .. "spatial.weights (expected one of: rule, snap, k, band, metric, style, islands, crs)")
    fails({ alpha = 2 }, "study: spatial.alpha must be a number between 0 and 1, got 2")
    fails({ groups = "county" }, "study: spatial: option 'groups': unknown value 'county' "
      .. "(expected one of: region, city) (the grouping of Theil's decomposition)")
    fails({ weights = { rule = "knn", k = 500 } }, ("study: spatial.weights: k = 500 nearest "
      .. "neighbours needs k < the number of counties (%d)"):format(S.panel.n))
    -- misspelt variables and weight options fail before the zonal step
    -- (which would stop on max_uncovered = 0 first)
    local function early(extra, msg)
      local ok, err = pcall(cbal.study, desc(data, dir .. "/bad", { spatial = extra,
        max_uncovered = { warn = 0, error = 0 } }))
      assert.is_false(ok)
      assert.are.equal(msg, err)
    end
    local ok, err = pcall(cbal.study, desc(data, dir .. "/bad", { max_uncovered = { warn = 0,
      error = 0 } }))
    assert.truthy(not ok and err:find("uncovered in", 1, true), err)
    early({ variables = { "Q", "q" } }, "study: spatial.variables: the study has no variable 'q' "
      .. "(it has light, NPP, C, N, G, P, S, Q, ECC, ESC, CI, R, I, M, light_uncovered, "
      .. "npp_uncovered)")
    early({ weights = { rule = "queens" } }, "study: spatial.weights: option 'rule': unknown "
      .. "value 'queens' (expected one of: queen, rook, knn, distance)")
    early({ weights = { style = "w" } }, "study: spatial.weights: option 'style': unknown "
      .. "value 'w' (expected one of: W, B)")
    assert.is_false(tu.exists(dir .. "/bad"))
  end)
end)
