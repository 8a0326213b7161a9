-- cbal.study on the reduced synthetic province: invariants of the outputs
-- (allocation, LMDI, zoning), figures that parse, a report whose numbers
-- are the CSVs', a manifest with checksums, untouched inputs, and criteria
-- that change the zoning without recompiling.
local cbal = require "cbal"
local syn = require "cbal.synthetic"
local report = require "cbal.report"
local tu = require "testutil"

local desc = require("study_fixture").desc

local function csv(path) return cbal.read_table(path) end

describe("cbal.study", function()
  local dir, data, S, before
  setup(function()
    dir = tu.tmpdir()
    data = syn.generate{ dir = dir .. "/data", small = true, quiet = true }
    local _, out = tu.sh("find " .. tu.quote(dir .. "/data") .. " -type f")
    before = {}
    for f in out:gmatch("[^\n]+") do before[f] = cbal.sha256(f) end
    S = cbal.study(desc(data, dir .. "/out"))
  end)
  teardown(function() tu.rmtree(dir) end)

  it("allocates the provincial total exactly each year", function()
    local em, panel = csv(data.emissions), csv(dir .. "/out/county_panel.csv")
    for k = 1, #em.year do
      local s = 0
      for i = 1, #panel.year do
        if panel.year[i] == em.year[k] then s = s + panel.C[i] end
      end
      assert.are.near(em.emissions[k], s, 1e-9 * em.emissions[k])
    end
    local prov = csv(dir .. "/out/t3_province.csv")
    assert.are.near(em.emissions[1], prov.C_Mt[1], 1e-9)
  end)

  it("reports per-capita emissions and intensity both ways, in t CO2 per person and per 10k yuan", function()
    local t1, panel = csv(dir .. "/out/t1_emissions_per_capita.csv"), csv(dir .. "/out/county_panel.csv")
    for k = 1, #t1.year do
      local C, P, G, pc, it, n = 0, 0, 0, 0, 0, 0
      for i = 1, #panel.year do
        if panel.year[i] == t1.year[k] then
          C, P, G = C + panel.C[i], P + panel.P[i], G + panel.G[i]
          pc, it, n = pc + panel.C[i] / panel.P[i], it + panel.C[i] / panel.G[i], n + 1
        end
      end
      -- C in Mt, P in 10k persons, G in 100 million yuan
      assert.are.near(100 * C / P, t1.per_capita_t_aggregate[k], 1e-9 * C / P)
      assert.are.near(100 * pc / n, t1.per_capita_t_mean_of_counties[k], 1e-9 * pc / n)
      assert.are.near(100 * C / G, t1.intensity_t_per_10k_yuan_aggregate[k], 1e-9 * C / G)
      assert.are.near(100 * it / n, t1.intensity_t_per_10k_yuan_mean_of_counties[k], 1e-9 * it / n)
    end
  end)

  it("has LMDI effects that sum to the change of Q", function()
    local t = csv(dir .. "/out/t6_lmdi_county.csv")
    assert.are.equal(#S.panel.ids * 2, #t.code)
    for i = 1, #t.code do
      local s = t.CI[i] + t.R[i] + t.I[i] + t.M[i]
      assert.are.near(t.dQ[i], s, 1e-9 * math.max(1, math.abs(t.dQ[i])))
      assert.are.near(t.Q_to[i] - t.Q_from[i], t.dQ[i], 1e-9 * math.max(1, math.abs(t.dQ[i])))
    end
    local r = csv(dir .. "/out/t6_lmdi_regional.csv")
    for i = 1, #r.group do
      local s = r.CI[i] + r.R[i] + r.I[i] + r.M[i] + r.NS[i]
      assert.are.near(r.dQ[i], s, 1e-9 * math.max(1, math.abs(r.dQ[i])))
    end
  end)

  it("puts every county in one zone", function()
    local z, zc = csv(dir .. "/out/t7_zoning.csv"), csv(dir .. "/out/t7_zone_counts.csv")
    local n = 0
    for i = 1, #zc.zone do n = n + zc.counties[i] end
    assert.are.equal(#z.code, n)
    assert.are.equal(S.panel.n, n)
    -- the default criteria: cuts at 1, ties high
    local want = { [true] = { [true] = "low carbon economic zone", [false] = "high carbon control zone" },
                   [false] = { [true] = "low carbon development zone", [false] = "high carbon optimization zone" } }
    for i = 1, #z.code do
      if z.ECC[i] == z.ECC[i] and z.ESC[i] == z.ESC[i] then
        assert.are.equal(want[z.ECC[i] >= 1][z.ESC[i] >= 1], z.zone[i])
      end
    end
  end)

  it("writes figures that parse", function()
    assert.are.equal(8, #S.figures)
    for _, f in ipairs(S.figures) do
      local png = tu.read(f.png)
      assert.are.equal("\137PNG\r\n\26\n", png:sub(1, 8))
      local pdf = f.png:gsub("%.png$", ".pdf")
      local rc = tu.sh("pdftoppm -r 20 -png " .. tu.quote(pdf) .. " " .. tu.quote(dir .. "/pp"))
      assert.are.equal(0, rc, pdf)
    end
  end)

  it("writes a report whose numbers are the CSVs'", function()
    local html = tu.read(dir .. "/out/report.html")
    local rc = tu.sh("xmllint --html --noout " .. tu.quote(dir .. "/out/report.html"))
    assert.are.equal(0, rc)
    assert.truthy(html:find("data:image/png;base64,", 1, true))
    local prov = csv(dir .. "/out/t3_province.csv")
    for i = 1, #prov.year do
      for _, v in ipairs({ prov.C_Mt[i], prov.N_Mt[i], prov.Q[i] }) do
        assert.truthy(html:find('<td class="n">' .. report.fmt(v) .. "</td>", 1, true), report.fmt(v))
      end
    end
    local q = csv(dir .. "/out/t5_Q_classes.csv")
    assert.truthy(html:find(report.fmt(q.imbalanced[1]) .. " → " .. report.fmt(q.imbalanced[#q.imbalanced]), 1, true))
    -- the key figures are the first and last provincial values
    assert.truthy(html:find(report.fmt(prov.C_Mt[1]) .. " → " .. report.fmt(prov.C_Mt[#prov.C_Mt]), 1, true))
  end)

  it("writes a manifest with input checksums and leaves inputs untouched", function()
    local m = tu.read(dir .. "/out/manifest.json")
    for f, h in pairs(before) do
      assert.are.equal(h, cbal.sha256(f), f)
      if f:match("%.tif$") or f:match("%.gpkg$") or f:match("%.csv$") then
        assert.truthy(m:find(h, 1, true), f)
      end
    end
    assert.truthy(m:find('"coverage": "exact"', 1, true))
    assert.truthy(m:find('"gdal": "' .. cbal.gdal_version .. '"', 1, true))
    -- balanced braces and brackets outside strings: a cheap well-formedness check
    local depth = 0
    for ch in m:gsub('"[^"\\]*"', ""):gmatch("[%[%]{}]") do
      depth = depth + ((ch == "{" or ch == "[") and 1 or -1)
      assert.is_true(depth >= 0)
    end
    assert.are.equal(0, depth)
  end)

  it("writes the county GeoPackage with variables", function()
    local l = cbal.open_layer(dir .. "/out/counties.gpkg")
    assert.are.equal(S.panel.n, #l)
    local q = l:field("Q_2004")
    assert.are.near(S.panel:get("Q", 2004)[1], q[1], 1e-12)
  end)

  it("changes the zoning when the criteria file changes", function()
    local crit = dir .. "/crit.lua"
    tu.write(crit, [[
return { name = "strict", tie = "upper", year = "last", thresholds = { ECC = 1.5, ESC = 0.5 },
  zones = { { name = "rich", when = { ECC = "high" } }, { name = "green", when = { ESC = "high" } } },
  otherwise = "other" }
]])
    local S2 = cbal.study(desc(data, dir .. "/out2", { criteria = crit, figures = false }))
    local a, b = csv(dir .. "/out/t7_zoning.csv"), csv(dir .. "/out2/t7_zoning.csv")
    local differ = false
    for i = 1, #a.zone do differ = differ or a.zone[i] ~= b.zone[i] end
    assert.is_true(differ)
    assert.is_true((S2.zone_counts.rich or 0) + (S2.zone_counts.green or 0) + (S2.zone_counts.other or 0) == S2.panel.n)
  end)

  it("rejects unknown description fields and missing years", function()
    assert.has_error(function() cbal.study(desc(data, dir .. "/o3", { colour = 1 })) end)
    local ok, err = pcall(cbal.study, desc(data, dir .. "/o4", { years = { 2000, 2005 } }))
    assert.is_false(ok)
    assert.truthy(err:find("2005", 1, true))
    ok, err = pcall(cbal.study, desc(data, dir .. "/o5",
      { npp = { path = data.npp, units = "kg C", range = { 0, 100 } } }))
    assert.is_false(ok)
    assert.truthy(err:find("no valid NPP in any county", 1, true))
    ok, err = pcall(cbal.study, desc(data, dir .. "/o6", { regions = false }))
    assert.is_false(ok)
    assert.truthy(err:find("region membership", 1, true))
  end)

  it("keeps map classes valid when many counties share a value", function()
    assert.are.same({ 0, 1 }, report.strict_breaks({ 0, 0, 0, 1 }))
    assert.are.same({ 0, 1 }, report.strict_breaks({ 0, 0 }))
    assert.are.same({ 1, 2, 5 }, report.strict_breaks({ 1, 2, 2, 5 }))
  end)
end)
