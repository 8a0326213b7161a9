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
    assert.has_error(function() carbon.sequestration({ 1 }) end, "carbon.sequestration: units are "
      .. "required: the carbon mass of each county's NPP total, one of: g C, kg C, t C, Mt C")
    assert.has_error(function() carbon.sequestration({ 1 }, "gC/m2") end, "carbon.sequestration: "
      .. "option 'units': unknown value 'gC/m2' (expected one of: g C, kg C, t C, Mt C)")
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

  it("treats zero C and N as data: Q = +inf and ESC = 0, or Q = 0 and ECC = +inf", function()
    -- hand-computed: totals over every county C = 8, N = 3, G = 10
    local r = carbon.indicators{ C = { 5, 0, 3 }, N = { 0, 2, 1 }, G = { 2, 4, 4 }, S = { 1, 1, 1 },
      ids = { "320102", "320104", "320105" }, year = 2005 }
    assert.equal(0, #r.flags)
    close(8, r.totals.C); close(3, r.totals.N); close(10, r.totals.G)
    close(8 / 3, r.Q_prov)
    assert.equal(math.huge, r.Q[1]); assert.equal(0, r.Q[2]); close(3, r.Q[3])
    assert.equal(0, r.ESC[1]); assert.equal(math.huge, r.ESC[2]); close(8 / 9, r.ESC[3])
    close(0.32, r.ECC[1]); assert.equal(math.huge, r.ECC[2]); close(16 / 15, r.ECC[3])
    assert.equal(math.huge, r.M[1]); assert.equal(0, r.CI[2])
  end)

  it("sums the provincial totals over every county, so one zero shifts no one's share", function()
    local C, N, G = { 4, 2, 2 }, { 2, 0, 2 }, { 4, 2, 4 }
    local r = carbon.indicators{ C = C, N = N, G = G }
    -- ESC_3 = (2/4) / (2/8) = 2 with N = 4 (counties 1 and 3) and C = 8 (all three)
    close(2, r.ESC[3])
    close((4 / 10) / (2 / 8), r.ECC[3])
    close(8 / 4, r.Q_prov)
  end)

  it("makes a ratio NaN only where an input is missing or invalid, named in one warning", function()
    cbal.warnings(true)
    local r = carbon.indicators{ C = { 5, 4, -1, 0 }, N = { 0 / 0, 2, 1, 0 }, G = { 1, 0, 1, 1 },
      ids = { "320102", "320104", "320105", "320106" }, names = { "Xuanwu", "Qinhuai", "Jianye", "Gulou" },
      year = 2005 }
    assert.is_true(r.Q[1] ~= r.Q[1])       -- N missing
    close(2, r.Q[2])                        -- G = 0 leaves Q alone
    assert.is_true(r.ECC[2] ~= r.ECC[2] and r.CI[2] ~= r.CI[2])
    assert.is_true(r.Q[3] ~= r.Q[3])       -- C < 0 is invalid
    assert.is_true(r.Q[4] ~= r.Q[4])       -- C = N = 0: undefined
    assert.equal(4, #r.flags)
    local w = cbal.warnings(true)
    assert.equal(1, #w)
    assert.is_truthy(w[1]:find("carbon: 4 counties have missing or invalid inputs, so the ratios "
      .. "that use them are missing (NaN): 320102 (Xuanwu): N missing in 2005; 320104 (Qinhuai): "
      .. "G = 0 (invalid) in 2005; 320105 (Jianye): C = -1 (invalid) in 2005; 320106 (Gulou): "
      .. "Q undefined (C = N = 0) in 2005", 1, true), w[1])
    -- totals over every county with a valid value
    close(9, r.totals.C); close(3, r.totals.N)
    -- what one county misses is named once
    carbon.indicators{ C = { 1, 2 }, N = { 1, 1 }, G = { 0 / 0, 1 }, P = { 0 / 0, 1 }, S = { 0 / 0, 1 },
      ids = { "320102", "320104" }, year = 2005 }
    assert.is_truthy(cbal.warnings(true)[1]:find("(NaN): 320102: G, P, S missing in 2005", 1, true))
    local r2 = carbon.indicators{ C = { 2, 4 }, N = { 1, 2 }, G = { 0, 8 }, P = { 1, 1 }, year = 2010, warn = false }
    close(3, r2.per_capita.aggregate)  -- both counties have C and P
    close(0.5, r2.intensity.aggregate) -- county 1 has no valid G
  end)

  it("warns once per run over a panel's years, naming counties and years", function()
    local p = cbal.panel.new{ ids = { "320102", "320104" }, names = { "Xuanwu", "Qinhuai" } }
    for y = 2000, 2005 do
      p:set("C", y, { 1, 2 })
      p:set("N", y, { y >= 2002 and 0 / 0 or 0, y == 2001 and -2 or (y == 2004 and -1 or 1) })
    end
    cbal.warnings(true)
    carbon.panel_indicators(p, { 2000, 2001, 2002, 2003, 2004, 2005 })
    local w = cbal.warnings(true)
    assert.equal(1, #w)
    assert.is_truthy(w[1]:find("320102 (Xuanwu): N missing in 2002-2005; "
      .. "320104 (Qinhuai): N from -2 to -1 (invalid) in 2001, 2004", 1, true), w[1])
    assert.equal(math.huge, p:get("Q", 2000)[1])   -- N = 0 is data
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
