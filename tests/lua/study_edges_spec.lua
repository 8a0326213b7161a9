-- The study at its edges (METHOD.md): a county without vegetation (N = 0)
-- is data, not a gap: Q = +inf, ESC = 0, imbalanced, in the top class,
-- zoned; totals over every county; its LMDI is undefined and named; the
-- regional decomposition says it left it out and keeps t3's Q. Also the
-- paper's classes, per-capita growth, the tie at a cut and coverage gaps.
local cbal = require "cbal"
local syn = require "cbal.synthetic"
local tu = require "testutil"

local function close(a, b, tol)
  tol = tol or 1e-9
  assert.is_true(math.abs(a - b) <= tol * math.max(1, math.abs(a), math.abs(b)),
    ("%.17g vs %.17g"):format(a, b))
end

local desc = require("study_fixture").desc_tables

local function csv(path)
  local _, names = cbal.read_table(path)
  for _, n in ipairs(names) do
    if n == "code" then return cbal.read_table(path, { text = { "code" } }) end
  end
  return cbal.read_table(path)
end

describe("a study with a county without vegetation", function()
  local dir, data, S, warnings, z, zname
  setup(function()
    dir = tu.tmpdir()
    data = syn.generate{ dir = dir .. "/data", small = true, quiet = true, zero_npp = true }
    cbal.warnings(true)
    S = cbal.study(desc(data, dir .. "/out", { figures = true,
      spatial = { permutations = 99, variables = { "Q", "C", "N" } } }))
    warnings = table.concat(cbal.warnings(true), "\n")
    z = S.panel.index[data.zero_npp]
    zname = S.panel:label(z)
  end)
  teardown(function() tu.rmtree(dir) end)

  it("has N = 0, Q = +inf and ESC = 0 in every year, written as inf", function()
    local t = csv(dir .. "/out/county_panel.csv")
    local n = 0
    for i = 1, #t.code do
      if t.code[i] == data.zero_npp then
        n = n + 1
        assert.equal(0, t.N[i]); assert.equal(math.huge, t.Q[i]); assert.equal(0, t.ESC[i])
        assert.is_true(t.ECC[i] > 0 and t.ECC[i] < math.huge)
      end
      -- complete inputs: no ratio is missing
      for _, v in ipairs({ "Q", "ECC", "ESC", "CI", "R", "I", "M" }) do
        assert.is_true(t[v][i] == t[v][i], v)
      end
    end
    assert.equal(#S.years, n)
    assert.truthy(tu.read(dir .. "/out/county_panel.csv"):find(",inf,", 1, true))
    assert.is_nil(warnings:find("carbon:", 1, true), warnings)
    local l = cbal.open_layer(dir .. "/out/counties.gpkg")
    assert.equal(math.huge, l:field("Q_2000")[z])
    l:close()
  end)

  it("sums the provincial totals over every county", function()
    local t, t3 = csv(dir .. "/out/county_panel.csv"), csv(dir .. "/out/t3_province.csv")
    for k, y in ipairs(t3.year:totable()) do
      local C, N, G = 0, 0, 0
      for i = 1, #t.code do
        if t.year[i] == y then C, N, G = C + t.C[i], N + t.N[i], G + t.G[i] end
      end
      close(C, t3.C_Mt[k]); close(N, t3.N_Mt[k]); close(C / N, t3.Q[k])
      -- ECC and ESC of the others against those totals
      for i = 1, #t.code do
        if t.year[i] == y and t.code[i] ~= data.zero_npp then
          close((t.G[i] / G) / (t.C[i] / C), t.ECC[i], 1e-12)
          close((t.N[i] / N) / (t.C[i] / C), t.ESC[i], 1e-12)
        end
      end
    end
  end)

  it("counts it imbalanced and in the top Q class, zones it and maps it in the top class", function()
    local t5 = csv(dir .. "/out/t5_Q_classes.csv")
    for k = 1, #t5.year do
      local Q = S.panel:get("Q", t5.year[k])
      assert.equal(Q:gt(1):sum(), t5.imbalanced[k])
      local top = 0
      for i = 1, S.panel.n do if Q[i] >= 40 then top = top + 1 end end
      assert.equal(top, t5.Q_ge_40[k])
      assert.truthy(t5.Q_ge_40[k] >= 1)
      assert.equal(S.panel.n, t5.Q_lt_1[k] + t5.Q_1_10[k] + t5.Q_10_40[k] + t5.Q_ge_40[k])
    end
    assert.truthy(S.zones[z]:find("high carbon") ~= nil, S.zones[z])   -- ESC = 0: low
    -- Fig. 5's classes end at +inf, and a map puts e <= v < next in a class
    local cl = require("cbal.report.classes").of("Q", nil, S.panel, S.map_years)
    assert.equal(math.huge, cl.edges[#cl.edges])
    assert.is_true(S.panel:get("Q", S.map_years[1])[z] >= cl.edges[#cl.edges - 1])
    assert.equal("\137PNG", tu.read(dir .. "/out/figures/fig5_Q.png"):sub(1, 4))
  end)

  it("names it as undefined in the LMDI tables, a warning and the report", function()
    local t = csv(dir .. "/out/t6_lmdi_county.csv")
    for i = 1, #t.code do
      if t.code[i] == data.zero_npp then
        assert.equal(math.huge, t.Q_from[i])
        assert.is_true(t.CI[i] ~= t.CI[i])
      else
        close(t.dQ[i], t.CI[i] + t.R[i] + t.I[i] + t.M[i])
      end
    end
    assert.truthy(S.tables.t6_lmdi_county.note:find(zname .. ": Q = +∞ (N = 0) in 2000, 2002", 1, true),
      S.tables.t6_lmdi_county.note)
    assert.truthy(warnings:find("lmdi: the decomposition of Q is undefined for 1 county, so its "
      .. "effects are missing (NaN)", 1, true), warnings)
    assert.truthy(warnings:find("2002-2004: " .. zname .. ": Q = +∞ (N = 0) in 2002-2004", 1, true), warnings)
    local html = tu.read(dir .. "/out/report.html")
    assert.truthy(html:find(zname .. ": Q = +∞ (N = 0)", 1, true))
  end)

  it("leaves it out of Q's spatial statistics only, and says so", function()
    -- Moran's I of Q by hand over the other counties: binary queen rows
    -- without it, standardised again
    local w = cbal.weights(cbal.open_layer(data.counties, { layer = "counties" }), { style = "B" })
    local ti, tj = w:triplets()
    local t9 = csv(dir .. "/out/t9_moran.csv")
    for k = 1, #t9.year do
      local v, y = t9.variable[k], math.tointeger(t9.year[k])
      local x, rows, n, mean = S.panel:get(v, y), {}, 0, 0
      local skip = v == "Q" and z or 0
      for i = 1, #x do if i ~= skip then n, mean = n + 1, mean + x[i] end end
      mean = mean / n
      for j = 1, #ti do
        if ti[j] ~= skip and tj[j] ~= skip then
          rows[ti[j]] = rows[ti[j]] or {}
          table.insert(rows[ti[j]], tj[j])
        end
      end
      local num, den, s0 = 0, 0, 0
      for i = 1, #x do
        if i ~= skip then
          den = den + (x[i] - mean) ^ 2
          local r = rows[i] or {}
          for _, j in ipairs(r) do num = num + (x[i] - mean) * (x[j] - mean) / #r end
          if #r > 0 then s0 = s0 + 1 end
        end
      end
      close(n / s0 * num / den, t9.I[k], 1e-10)
      assert.equal(v == "Q" and S.panel.n - 1 or S.panel.n, t9.n[k])
      -- Theil T of Q over the others too
      if v == "Q" then
        local sum, T = 0, 0
        for i = 1, #x do if i ~= skip then sum = sum + x[i] end end
        for i = 1, #x do
          if i ~= skip then T = T + x[i] / sum * math.log(x[i] / sum * n) end
        end
        close(T, S.spatial.theil.Q[y].T, 1e-12)
      end
    end
    local t10 = csv(dir .. "/out/t10_lisa.csv")
    local row
    for i = 1, #t10.code do if t10.code[i] == data.zero_npp then row = i end end
    assert.equal("left out", t10.Q_2000[row])
    assert.is_true(t10.C_2000[row] ~= "left out")
    assert.truthy(S.tables.t9_moran.note:find("Q: " .. zname .. " (Q = +∞ in 2000)", 1, true),
      S.tables.t9_moran.note)
    assert.truthy(warnings:find("study: spatial: counties without a finite value are left out", 1,
      true), warnings)
    assert.equal("\137PNG", tu.read(dir .. "/out/figures/fig9_lisa.png"):sub(1, 4))
    assert.equal("\137PNG", tu.read(dir .. "/out/figures/fig10_moran_scatter.png"):sub(1, 4))
    -- with islands dropped from the weights too: each keeps its own class
    local Si = cbal.study(desc(data, dir .. "/isl", { spatial = { permutations = 9,
      weights = { rule = "distance", band = 80000, islands = "drop" } } }))
    local island = Si.spatial.weights.island_index
    assert.truthy(#island > 0 and island[1] ~= z)
    for _, y in ipairs(Si.spatial.map_years) do
      local l = Si.spatial.lisa.Q[y]
      assert.equal("left out", l.labels[l.cluster[z]])
      for _, i in ipairs(island) do assert.equal("no neighbours", l.labels[l.cluster[i]]) end
      assert.equal(S.panel.n - 1 - #island, Si.spatial.moran.Q[y].n)
    end
  end)

  it("says which counties the regional decomposition left out, with t3's Q", function()
    local r, t3 = csv(dir .. "/out/t6_lmdi_regional.csv"), csv(dir .. "/out/t3_province.csv")
    local q = {}
    for k = 1, #t3.year do q[t3.year[k]] = t3.Q[k] end
    local seen = 0
    for i = 1, #r.group do
      local y0, y1 = r.period[i]:match("(%d+)-(%d+)")
      if r.level[i] == "province" then
        assert.equal(q[tonumber(y0)], r.Q_from[i]); assert.equal(q[tonumber(y1)], r.Q_to[i])
      end
      local s = r.CI[i] + r.R[i] + r.I[i] + r.M[i] + r.NS[i] + r.not_decomposed[i]
      close(r.dQ[i], s)
      if r.not_included[i] ~= "" then
        seen = seen + 1
        assert.equal(zname, r.not_included[i])
        assert.is_true(math.abs(r.not_decomposed[i]) > 0)
      end
    end
    assert.equal(4, seen)   -- its region and the province, two periods
    -- Fig. 6b stacks the part not decomposed too, so each stack adds up to dQ
    local F, spec = cbal.figures, nil
    local orig = F.lmdi_bars
    F.lmdi_bars = function(o) spec = o; return orig(o) end
    local ok, e = pcall(require("cbal.report.fig6b_lmdi_regional").build, { lmdi = S.lmdi })
    F.lmdi_bars = orig
    assert.is_true(ok, e)
    assert.equal("not decomposed", spec.effects[#spec.effects].name)
    for k, cat in ipairs(spec.categories) do
      local sum = 0
      for _, ef in ipairs(spec.effects) do sum = sum + ef.values[k] end
      local g, period = cat:match("^(%S+) (%S+)$")
      for i = 1, #r.group do
        if r.group[i] == g and r.period[i] == period then close(r.dQ[i], sum, 1e-9) end
      end
    end
  end)
end)

describe("the study's classes, growth, ties and coverage", function()
  local dir, data
  require("study_fixture").province(function(d, g) dir, data = d, g end)

  it("uses the paper's sequestration classes by default, Jenks or cuts on request", function()
    local S = cbal.study(desc(data, dir .. "/c1"))
    local t = cbal.read_table(dir .. "/c1/t2_sequestration_classes.csv")
    assert.same({ "year", "N_lt_1", "N_1_2", "N_ge_2" }, select(2, cbal.read_table(dir .. "/c1/t2_sequestration_classes.csv")))
    for k, y in ipairs(t.year:totable()) do
      local N, a, b, c = S.panel:get("N", y), 0, 0, 0
      for i = 1, S.panel.n do
        if N[i] < 1 then a = a + 1 elseif N[i] < 2 then b = b + 1 else c = c + 1 end
      end
      assert.same({ a, b, c }, { t.N_lt_1[k], t.N_1_2[k], t.N_ge_2[k] })
    end
    cbal.study(desc(data, dir .. "/c2", { classes = { sequestration = { 0.5, 1.5 }, Q = { 2, 20 } } }))
    assert.same({ "year", "N_lt_0.5", "N_0.5_1.5", "N_ge_1.5" },
      select(2, cbal.read_table(dir .. "/c2/t2_sequestration_classes.csv")))
    assert.same({ "year", "Q_lt_2", "Q_2_20", "Q_ge_20", "imbalanced", "counties" },
      select(2, cbal.read_table(dir .. "/c2/t5_Q_classes.csv")))
    local S3 = cbal.study(desc(data, dir .. "/c3", { classes = { sequestration = "jenks" } }))
    local names = select(2, cbal.read_table(dir .. "/c3/t2_sequestration_classes.csv"))
    assert.equal(6, #names)
    assert.truthy(S3.tables.t2_sequestration_classes.title:find("Jenks", 1, true))
    local ok, err = pcall(cbal.study, desc(data, dir .. "/c4", { classes = { sequestration = { 2, 1 } } }))
    assert.truthy(not ok and err:find("classes.sequestration: cut 2 (1) must be a finite number above", 1, true), err)
    ok, err = pcall(cbal.study, desc(data, dir .. "/c4", { classes = { N = { 1 } } }))
    assert.truthy(not ok and err:find("unknown key 'N' in field 'classes'", 1, true), err)
  end)

  it("refuses periods and years outside the study years or backwards, never clamps them", function()
    local function err(extra)
      local ok, e = pcall(cbal.study, desc(data, dir .. "/p", extra))
      assert.is_false(ok)
      return e
    end
    assert.equal("study: per_capita_periods[2] = {2004, 2003}: a period is {first, last} with first "
      .. "< last, both within the study years 2000-2004",
      err({ per_capita_periods = { { 2000, 2003 }, { 2004, 2003 } } }))
    assert.truthy(err({ periods = { { 2000, 2010 } } }):find("^study: periods%[1%] = {2000, 2010}"))
    assert.truthy(err({ growth_periods = { 2000, 2004 } }):find("^study: growth_periods%[1%] = 2000"))
    assert.equal("study: map_years[2] = 2021: give years within the study years 2000-2004",
      err({ map_years = { 2000, 2021 } }))
    -- one map year is kept as given
    local S = cbal.study(desc(data, dir .. "/p1", { map_years = { 2003 } }))
    assert.same({ 2003 }, S.map_years)
    assert.is_false(tu.exists(dir .. "/p"))
  end)

  it("gives total growth and AAGR of per-capita emissions and intensity per period", function()
    local S = cbal.study(desc(data, dir .. "/g", { per_capita_periods = { { 2000, 2003 }, { 2003, 2004 } } }))
    local t = cbal.read_table(dir .. "/g/t1_growth.csv")
    assert.equal(8, #t.variable)
    for i = 1, #t.variable do
      local y0, y1 = t.period[i]:match("(%d+)-(%d+)")
      y0, y1 = tonumber(y0), tonumber(y1)
      local x0 = S.ind[y0][t.variable[i]][t.measure[i]] * 100
      local x1 = S.ind[y1][t.variable[i]][t.measure[i]] * 100
      close(x0, t.from[i]); close(x1, t.to[i])
      close((x1 / x0 - 1) * 100, t.total_pct[i])
      close(((x1 / x0) ^ (1 / (y1 - y0)) - 1) * 100, t.aagr_pct[i])
    end
  end)

  it("counts a value exactly at a cut as high, and says so", function()
    local names = cbal.zoning.classify("default", { ECC = { 1, 1, 0.99 }, ESC = { 1, 0.5, 1 } })
    assert.same({ "low carbon economic zone", "high carbon control zone", "low carbon development zone" }, names)
    local text = tu.read(package.searchpath("cbal.criteria.default", package.path))
    assert.truthy(text:find("a value of exactly 1 counts as HIGH", 1, true))
    local S = cbal.study(desc(data, dir .. "/tie"))
    local note = "Cuts: ECC 1, ESC 1; a value exactly at a cut counts as high (ECC >= 1 is high)."
    assert.equal(note, S.tables.t7_zoning.note)
    assert.truthy(tu.read(dir .. "/tie/report.html"):find(note:gsub(">", "&gt;"), 1, true))
  end)

  it("leaves NaN only where an input is missing, named in one warning", function()
    local cols, names = cbal.read_table(data.socio, { text = { "code" } })
    local gdp = {}
    for i = 1, #cols.gdp do gdp[i] = ("%.17g"):format(cols.gdp[i]) end
    gdp[3] = ""                                  -- one county-year without GDP
    cols.gdp = gdp
    local path = dir .. "/socio_gap.csv"
    cbal.write_table(path, cols, { order = names })
    cbal.warnings(true)
    local S = cbal.study(desc(data, dir .. "/nan", { socio = { table = path } }))
    local w = cbal.warnings(true)
    local y, i = math.tointeger(tonumber(cols.year[3])), S.panel.index[cols.code[3]]
    local carbon = {}
    for _, m in ipairs(w) do if m:find("^carbon:") then carbon[#carbon + 1] = m end end
    assert.equal(1, #carbon)
    assert.truthy(carbon[1]:find(S.panel:label(i) .. ": G missing in " .. y, 1, true), carbon[1])
    for _, v in ipairs({ "ECC", "CI", "R" }) do assert.is_true(S.panel:get(v, y)[i] ~= S.panel:get(v, y)[i]) end
    for _, v in ipairs({ "Q", "ESC", "I", "M" }) do assert.is_true(S.panel:get(v, y)[i] == S.panel:get(v, y)[i]) end
    for j = 1, S.panel.n do
      if j ~= i then assert.is_true(S.panel:get("ECC", y)[j] == S.panel:get("ECC", y)[j]) end
    end
  end)

  -- a light series cropped by `cols` columns on its west side (4 km cells),
  -- with nodata 255 over the first `holes[year]` columns of some years
  local function cropped(name, cols, holes)
    local d = dir .. "/" .. name
    tu.sh("mkdir -p " .. tu.quote(d))
    for y = 2000, 2004 do
      local src, out = data.light:gsub("{year}", tostring(y)), d .. "/L" .. y .. ".tif"
      assert.equal(0, (tu.sh(("gdal_translate -q -srcwin %d 0 %d 118 %s %s"):format(cols, 144 - cols,
        tu.quote(src), tu.quote(out)))))
      if holes and holes[y] then
        local r = cbal.open_raster(out)
        local w, h, gt, crs = r.width, r.height, r.geotransform, r:crs()
        local v = r:read(1, h)
        r:close()
        for row = 0, h - 1 do
          for c = 1, holes[y] do v[row * w + c] = 255 end
        end
        cbal.write_raster(out, { width = w, height = h, geotransform = gt, crs = crs, type = "Byte",
          values = v })
      end
    end
    return d .. "/L{year}.tif"
  end

  it("measures each county's uncovered share, warns past max_uncovered and stops past the error", function()
    local S = cbal.study(desc(data, dir .. "/cov0"))
    local t = cbal.read_table(dir .. "/cov0/county_panel.csv")
    for i = 1, #t.year do
      assert.is_true(t.light_uncovered[i] >= 0 and t.light_uncovered[i] < 0.005)
      assert.is_true(t.npp_uncovered[i] >= 0 and t.npp_uncovered[i] < 0.05)
    end
    local light = cropped("crop5", 5)
    cbal.warnings(true)
    S = cbal.study(desc(data, dir .. "/cov1", { light = { path = light } }))
    local w = table.concat(cbal.warnings(true), "\n")
    local i = S.panel.index["321324"]
    local share = S.panel:get("light_uncovered", 2000)[i]
    assert.is_true(share > 0.05 and share < 0.1, tostring(share))
    assert.truthy(w:find("study: light: 2 counties are more than 0.5 % uncovered", 1, true), w)
    assert.truthy(w:find(("%s %.2f %% (2000)"):format(S.panel:label(i), 100 * share), 1, true), w)
    local d = cbal.read_table(dir .. "/cov1/data_coverage.csv", { text = { "code" } })
    assert.equal("light", d.product[1]); assert.equal("321324", d.code[1])
    for k = 1, #d.product do assert.is_true(d.max_uncovered_pct[k] > 0) end  -- no covered county
    close(100 * share, d.max_uncovered_pct[1])
    assert.truthy(tu.read(dir .. "/cov1/report.html"):find("<h2>Data</h2>", 1, true))
    -- a stricter warning threshold names more, a looser one none
    cbal.warnings(true)
    cbal.study(desc(data, dir .. "/cov2", { light = { path = light }, max_uncovered = 0.2 }))
    assert.is_nil(table.concat(cbal.warnings(true), "\n"):find("study: light:", 1, true))
    -- 21.5 % in 2003 stops the study, naming the county and the year
    light = cropped("crop12", 5, { [2003] = 7 })
    local ok, err = pcall(cbal.study, desc(data, dir .. "/cov3", { light = { path = light, nodata = { 255 } } }))
    assert.is_false(ok)
    assert.truthy(err:find("^study: light: county 321324 %(泗洪县%) is 21%.%d %% uncovered in 2003"), err)
    assert.is_false(tu.exists(dir .. "/cov3"))
    ok = pcall(cbal.study, desc(data, dir .. "/cov4", { light = { path = light, nodata = { 255 } },
      max_uncovered = { error = 0.3 } }))
    assert.is_true(ok)
    ok, err = pcall(cbal.study, desc(data, dir .. "/cov5", { max_uncovered = 0.3 }))
    assert.truthy(not ok and err:find("^study: max_uncovered: the warning threshold 0.3 is above the "
      .. "error threshold 0.2"), err)
  end)
end)
