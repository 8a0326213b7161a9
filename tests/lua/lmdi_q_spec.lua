-- LMDI of Q: per county (additive effects sum to ΔQ_i), regional and
-- provincial by the exact 5-factor identity (effects sum to ΔQ_R, which is
-- not the sum of county ΔQ), period-wise and chained.
local cbal = require "cbal"
local lq = require "cbal.lmdi"

local function close(a, b, tol)
  tol = tol or 1e-10
  assert.is_true(math.abs(a - b) <= tol * math.max(1, math.abs(a), math.abs(b)),
    ("%.17g vs %.17g"):format(a, b))
end

-- A panel of n counties in 2 regions, years y0..y1, random positive data.
local function make_panel(n, y0, y1, seed)
  local x = seed or 42
  local function rnd() x = (x * 1103515245 + 12345) % 2147483648 return x / 2147483648 end
  local ids, region, city = {}, {}, {}
  for i = 1, n do
    ids[i] = ("%06d"):format(320100 + i)
    region[i] = i <= n // 2 and "south" or "north"
    city[i] = "city" .. (i % 3)
  end
  local p = cbal.panel.new{ ids = ids, region = region, city = city }
  for y = y0, y1 do
    for _, v in ipairs{ "C", "N", "G", "P", "S" } do
      local t = {}
      for i = 1, n do t[i] = 0.2 + 10 * rnd() end
      p:set(v, y, t)
    end
  end
  return p
end

describe("LMDI of Q", function()
  it("per county: additive effects sum exactly to each county's ΔQ", function()
    local p = make_panel(25, 2000, 2010)
    for _, chained in ipairs{ false, true } do
      local r = lq.county(p, { from = 2000, to = 2010, chained = chained })
      assert.equal(chained and "chained year by year 2000-2010" or "period-wise 2000-2010", r.label)
      for i = 1, p.n do
        local s = r.items.CI[i] + r.items.R[i] + r.items.I[i] + r.items.M[i]
        close(r.dQ[i], s)
        local q0 = p:get("C", 2000)[i] / p:get("N", 2000)[i]
        close(q0, r.Q0[i])
      end
    end
  end)

  it("period-wise and chained attribute differently but explain the same change", function()
    local p = make_panel(5, 2011, 2021, 7)
    local a = lq.county(p, { from = 2011, to = 2021 })
    local b = lq.county(p, { from = 2011, to = 2021, chained = true })
    local differs = false
    for i = 1, p.n do
      close(a.dQ[i], b.items.CI[i] + b.items.R[i] + b.items.I[i] + b.items.M[i])
      if math.abs(a.items.CI[i] - b.items.CI[i]) > 1e-9 then differs = true end
    end
    assert.is_true(differs)
  end)

  it("multiplicative effects multiply to Q_T/Q_0 per county", function()
    local p = make_panel(10, 2000, 2001, 3)
    local r = lq.county(p, { from = 2000, to = 2001, method = "multiplicative" })
    for i = 1, p.n do
      close(r.Q1[i] / r.Q0[i], r.items.CI[i] * r.items.R[i] * r.items.I[i] * r.items.M[i])
    end
  end)

  it("regional: the 5-factor effects sum exactly to ΔQ_R", function()
    local p = make_panel(30, 2000, 2010, 99)
    for _, by in ipairs{ "region", "city", "province" } do
      local order, res = lq.regional(p, { from = 2000, to = 2010, by = by })
      assert.is_true(#order >= 1)
      for _, g in ipairs(order) do
        local r = res[g]
        -- Q_R from sums, independently of the kernel
        local function qr(y)
          local C, N = 0, 0
          for _, i in ipairs(r.counties) do
            C = C + p:get("C", y)[i]
            N = N + p:get("N", y)[i]
          end
          return C / N
        end
        close(qr(2000), r.v0)
        close(qr(2010), r.v1)
        local s = 0
        for _, k in ipairs{ "CI", "R", "I", "M", "NS" } do s = s + r.effects[k] end
        close(qr(2010) - qr(2000), s, 1e-12)
        assert.equal(0, r.unexplained)
      end
    end
  end)

  it("regional ΔQ_R is not the sum of county ΔQ", function()
    local p = make_panel(12, 2000, 2001, 5)
    local _, res = lq.regional(p, { from = 2000, to = 2001 })
    local c = lq.county(p, { from = 2000, to = 2001 })
    close(res.province.change, res.province.v1 - res.province.v0)
    assert.is_true(math.abs(c.dQ:sum() - res.province.change) > 1e-6)
  end)

  it("chained regional effects also sum to ΔQ_R", function()
    local p = make_panel(8, 2000, 2005, 11)
    local _, res = lq.regional(p, { from = 2000, to = 2005, by = "region", chained = true })
    for _, r in pairs(res) do
      local s = 0
      for k = 1, 5 do s = s + r.effects[k] end
      close(r.v1 - r.v0, s, 1e-12)
      assert.equal(5, #r.steps)
    end
  end)

  -- a panel from per-county rows {C, N, G, P, S} of two years
  local function two_years(y0rows, y1rows, region)
    local ids, reg = {}, {}
    for i = 1, #y0rows do ids[i] = ("3201%02d"):format(i); reg[i] = region or "south" end
    local p = cbal.panel.new{ ids = ids, region = reg, names = ids }
    for y, rows in pairs({ [2000] = y0rows, [2001] = y1rows }) do
      for k, v in ipairs({ "C", "N", "G", "P", "S" }) do
        local t = {}
        for i, r in ipairs(rows) do t[i] = r[k] end
        p:set(v, y, t)
      end
    end
    return p
  end

  it("uses the zero-value limits: emissions from nothing go to CI alone", function()
    -- Q from 0 (C = 0: no light) to 2: the item appears, V_T goes to the
    -- factor that was zero (CI) and 0 to the others (Ang & Liu 2007)
    local p = two_years({ { 0, 2, 1, 1, 1 } }, { { 4, 2, 2, 1, 1 } })
    local r = lq.county(p, { from = 2000, to = 2001 })
    assert.same({}, r.undefined)
    assert.equal(0, r.Q0[1]); close(2, r.Q1[1]); close(2, r.dQ[1])
    close(2, r.items.CI[1])
    for _, f in ipairs({ "R", "I", "M" }) do assert.equal(0, r.items[f][1]) end
    -- and back: the item disappears, -V_0 to CI
    r = lq.county(two_years({ { 4, 2, 2, 1, 1 } }, { { 0, 2, 2, 1, 1 } }), { from = 2000, to = 2001 })
    close(-2, r.items.CI[1]); assert.equal(0, r.items.M[1])
  end)

  it("leaves a county with Q = +inf undefined and names it with the reason", function()
    local p = two_years({ { 2, 1, 1, 1, 1 }, { 1, 1, 1, 1, 1 } }, { { 4, 2, 1, 1, 1 }, { 2, 0, 1, 1, 1 } })
    cbal.warnings(true)
    local r = lq.county(p, { from = 2000, to = 2001 })
    assert.same({ 2 }, r.undefined)
    assert.same({ "320102: Q = +∞ (N = 0) in 2001" }, r.reasons)
    assert.equal(math.huge, r.Q1[2]); assert.equal(math.huge, r.dQ[2])
    assert.is_true(r.items.CI[2] ~= r.items.CI[2])
    close(r.dQ[1], r.items.CI[1] + r.items.R[1] + r.items.I[1] + r.items.M[1])
    local w = cbal.warnings(true)
    assert.equal(1, #w)
    assert.equal("lmdi period-wise 2000-2001: the decomposition of 1 county is undefined, its effects "
      .. "are missing (NaN): 320102: Q = +∞ (N = 0) in 2001", w[1])
    lq.county(p, { from = 2000, to = 2001, warn = false })
    assert.equal(0, #cbal.warnings(true))
  end)

  it("regional: names the counties left out and keeps Q_R over every county", function()
    -- Q_R: 3/2 -> 6/2 = 3. County 2 (N = 0 in 2001) is left out: county 1
    -- alone goes from 2/2 = 1 to 4/2 = 2 (change 1); the other 0.5 is
    -- county 2's C_i/N_R: 2/2 - 1/2
    local p = two_years({ { 2, 1, 1, 1, 1 }, { 1, 1, 1, 1, 1 } }, { { 4, 2, 1, 1, 1 }, { 2, 0, 1, 1, 1 } })
    cbal.warnings(true)
    local _, res = lq.regional(p, { from = 2000, to = 2001, by = "region" })
    local r = res.south
    close(1.5, r.q0); close(3, r.q1); close(1.5, r.dq)
    local s = 0
    for k = 1, 5 do s = s + r.effects[k] end
    close(1, s); close(0.5, r.not_decomposed)
    assert.same({ "320102: Q = +∞ (N = 0) in 2001" }, r.reasons)
    local w = cbal.warnings(true)
    assert.equal(1, #w)
    assert.truthy(w[1]:find("lmdi period-wise 2000-2001 of south: the decomposition of 1 county", 1, true))
    local _, prov = lq.regional(p, { from = 2000, to = 2001, warn = false })
    assert.equal(0, #cbal.warnings(true))
    close(3, prov.province.q1)
  end)

  it("raises on a missing year and bad options", function()
    local p = make_panel(3, 2000, 2001)
    assert.has_error(function() lq.county(p, { from = 2000, to = 2002 }) end,
      "panel: variable 'C' has no year 2002 (years: 2000-2001)")
    assert.has_error(function() lq.county(p, { from = 2000, too = 2001 }) end)
    assert.has_error(function() lq.county(p, { from = 2001, to = 2000 }) end)
  end)
end)
