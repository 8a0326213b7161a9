-- Carbon accounting: allocation, sequestration units, Q, the ECC/ESC
-- identities, drivers, per-capita figures, flagged inputs, growth of the
-- published provincial figures.
local cbal = require "cbal"
local carbon = cbal.carbon

local function close(a, b, tol)
  tol = tol or 1e-12
  assert.is_true(math.abs(a - b) <= tol * math.max(1, math.abs(a), math.abs(b)),
    ("%.17g vs %.17g"):format(a, b))
end

-- A reproducible province of n counties with positive values.
local function province(n, seed)
  local x = seed or 12345
  local function rnd() x = (x * 1103515245 + 12345) % 2147483648 return x / 2147483648 end
  local t = { C = {}, N = {}, G = {}, P = {}, S = {} }
  for i = 1, n do
    t.C[i] = 0.5 + 20 * rnd()
    t.N[i] = 0.1 + 5 * rnd()
    t.G[i] = 10 + 900 * rnd()
    t.P[i] = 5 + 150 * rnd()
    t.S[i] = 100 + 3000 * rnd()
  end
  for k, v in pairs(t) do t[k] = cbal.array(v) end
  return t
end

describe("carbon", function()
  before_each(function() cbal.warnings(true) end)

  it("allocates a total by pluggable weights, summing to the total", function()
    local light = cbal.array{ 10, 30, 60 }
    local C = carbon.emissions(199.37, light)
    close(199.37, C:sum())
    close(199.37 * 0.3, C[2])
    local pop = cbal.array{ 1, 1, 2 }
    close(199.37 / 2, carbon.emissions(199.37, pop)[3])
  end)

  it("converts NPP carbon mass to Mt CO2 with explicit units", function()
    -- 1e12 g C = 1 Mt C -> 1.62/0.45 = 3.6 Mt CO2
    close(3.6, carbon.sequestration({ 1e12 }, "g C")[1])
    close(3.6, carbon.sequestration({ 1e9 }, "kg C")[1])
    close(3.6, carbon.sequestration({ 1e6 }, "t C")[1])
    close(7.2, carbon.sequestration({ 2 }, "Mt C")[1])
    -- g C/m² density × cell area in m²: 500 g C/m² over 1 km² = 5e8 g C
    close(5e8 * 1e-12 * 3.6, carbon.sequestration({ 500 * 1e6 }, "g C")[1])
    assert.has_error(function() carbon.sequestration({ 1 }) end)
    assert.has_error(function() carbon.sequestration({ 1 }, "gC/m2") end)
  end)

  it("satisfies the ECC and ESC identities", function()
    local p = province(40)
    local r = carbon.indicators(p)
    local C, G, N = r.totals.C, r.totals.G, r.totals.N
    local wECC, wESC = 0, 0
    for i = 1, #p.C do
      local share = p.C[i] / C
      wECC = wECC + share * r.ECC[i]
      wESC = wESC + share * r.ESC[i]
      close(r.ECC[i], (p.G[i] / p.C[i]) / (G / C))
      close(r.ESC[i], r.Q_prov / r.Q[i])
      close(r.Q[i], r.CI[i] * r.R[i] * r.I[i] * r.M[i])
    end
    close(1, wECC)
    close(1, wESC)
    close(r.Q_prov, C / N)
  end)

  it("reports per-capita emissions and intensity both ways, labelled", function()
    local r = carbon.indicators{ C = { 10, 1 }, N = { 1, 1 }, G = { 100, 100 }, P = { 10, 1 } }
    close(11 / 11, r.per_capita.aggregate)       -- ΣC/ΣP
    close((1 + 1) / 2, r.per_capita.mean_of_counties)
    close(11 / 200, r.intensity.aggregate)
    close((0.1 + 0.01) / 2, r.intensity.mean_of_counties)
    assert.is_truthy(r.per_capita.label:find("aggregate"))
    assert.is_truthy(r.intensity.label:find("mean_of_counties"))
  end)

  it("flags zero or negative inputs: NaN ratios, a warning naming county and year", function()
    local r = carbon.indicators{ C = { 5, 4, -1 }, N = { 0, 2, 1 }, G = { 1, 1, 1 },
      ids = { "320102", "320104", "320105" }, names = { "Xuanwu", "Qinhuai", "Jianye" },
      year = 2005 }
    assert.is_true(r.Q[1] ~= r.Q[1])
    assert.is_true(r.Q[3] ~= r.Q[3])
    close(2, r.Q[2])
    for i = 1, 3 do
      for _, k in ipairs{ "Q", "ECC", "ESC" } do
        assert.is_true(r[k][i] ~= math.huge and r[k][i] ~= -math.huge)
      end
    end
    assert.equal(2, #r.flags)
    local w = table.concat(cbal.warnings(true), "\n")
    assert.is_truthy(w:find("320102 (Xuanwu) has N = 0 in 2005", 1, true))
    assert.is_truthy(w:find("320105 (Jianye) has C = -1 in 2005", 1, true))
    -- totals leave the flagged counties out, so the shares still add to 1
    close(4, r.totals.C)
    close(1, r.ECC[2])
    -- only the ratios that use a flagged input are NaN
    local r2 = carbon.indicators{ C = { 2, 4 }, N = { 1, 2 }, G = { 0, 8 }, P = { 1, 1 }, year = 2010 }
    close(2, r2.Q[1])
    assert.is_true(r2.ECC[1] ~= r2.ECC[1] and r2.CI[1] ~= r2.CI[1] and r2.R[1] ~= r2.R[1])
    close(0.5, r2.CI[2])
    close(3, r2.per_capita.aggregate)  -- both counties have C and P
    close(0.5, r2.intensity.aggregate) -- county 1 has no valid G
  end)

  it("warns once per county and variable over a panel's years, naming them", function()
    local p = cbal.panel.new{ ids = { "320102", "320104" }, names = { "Xuanwu", "Qinhuai" } }
    for y = 2000, 2005 do
      p:set("C", y, { 1, 2 })
      p:set("N", y, { y >= 2002 and 0 or 1, y == 2001 and -2 or (y == 2004 and -1 or 1) })
    end
    cbal.warnings(true)
    carbon.panel_indicators(p, { 2000, 2001, 2002, 2003, 2004, 2005 })
    local w = cbal.warnings(true)
    assert.equal(2, #w)
    assert.is_truthy(w[1]:find("320102 (Xuanwu) has N = 0 in 2002-2005", 1, true))
    assert.is_truthy(w[2]:find("320104 (Qinhuai) has N <= 0 (-2 to -1) in 2001, 2004", 1, true))
    assert.is_true(p:get("Q", 2003)[1] ~= p:get("Q", 2003)[1])
  end)

  it("reproduces the study's published provincial growth", function()
    local function pct(x) return math.floor(x * 10000 + 0.5) / 100 end
    local total = cbal.growth(199, 847, 21)
    assert.equal(325.63, pct(total))        -- +325.63 %
    local total2, aagr = cbal.growth(142, 171, 21)
    assert.equal(20.42, pct(total2))        -- +20.42 %
    assert.equal(0.89, pct(aagr))           -- 0.89 %/yr
  end)

  it("allocates and computes indicators over a panel", function()
    local p = cbal.panel.new{ ids = { "1", "2" } }
    p:set("light", 2000, { 1, 3 })
    p:set("light", 2001, { 1, 1 })
    for _, y in ipairs{ 2000, 2001 } do
      p:set("N", y, { 1, 2 })
      p:set("G", y, { 10, 10 })
      p:set("P", y, { 1, 1 })
      p:set("S", y, { 1, 1 })
    end
    carbon.allocate_panel(p, { [2000] = 8, [2001] = 4 }, "light")
    close(6, p:get("C", 2000)[2])
    local res = carbon.panel_indicators(p, { 2000, 2001 })
    close(2 / 1, p:get("Q", 2000)[1])
    close(8 / 3, res[2000].Q_prov)
    assert.has_error(function() carbon.allocate_panel(p, { [2002] = 1 }, "light") end,
      "panel: variable 'light' has no year 2002 (years: 2000-2001)")
  end)
end)
