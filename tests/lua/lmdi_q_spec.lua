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

  it("marks a county with a non-positive input as undefined, never inf", function()
    local p = make_panel(4, 2000, 2001, 1)
    local C = p:get("C", 2001)
    C[2] = 0
    cbal.warnings(true)
    local r = lq.county(p, { from = 2000, to = 2001 })
    assert.same({ 2 }, r.undefined)
    local w = table.concat(cbal.warnings(true), "\n")
    assert.is_truthy(w:find("lmdi period-wise 2000-2001: 1 county(ies) undefined", 1, true))
    assert.is_truthy(w:find("320102", 1, true))
    for i = 1, p.n do
      assert.is_true(r.items.CI[i] ~= math.huge and r.items.CI[i] ~= -math.huge)
    end
  end)

  it("names the group in regional warnings and stays quiet with warn = false", function()
    local p = make_panel(4, 2000, 2001, 1)
    p:get("N", 2001)[1] = 0
    cbal.warnings(true)
    lq.regional(p, { from = 2000, to = 2001, by = "region" })
    local w = cbal.warnings(true)
    assert.equal(1, #w)
    assert.is_truthy(w[1]:find("lmdi period-wise 2000-2001 of south: 1 county(ies) undefined", 1, true))
    local _, res = lq.regional(p, { from = 2000, to = 2001, warn = false })
    assert.equal(0, #cbal.warnings(true))
    assert.same({ 1 }, res.province.undefined)
  end)

  it("raises on a missing year and bad options", function()
    local p = make_panel(3, 2000, 2001)
    assert.has_error(function() lq.county(p, { from = 2000, to = 2002 }) end,
      "panel: variable 'C' has no year 2002 (years: 2000-2001)")
    assert.has_error(function() lq.county(p, { from = 2000, too = 2001 }) end)
    assert.has_error(function() lq.county(p, { from = 2001, to = 2000 }) end)
  end)
end)
