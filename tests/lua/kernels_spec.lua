-- Specs for the native analytics kernels as Lua sees them: alloc, lmdi,
-- lmdi_chain, logmean, classify, breaks, classify_breaks, count_classes,
-- growth.
local cbal = require "cbal"

local function close(a, b, tol)
  return math.abs(a - b) <= (tol or 1e-9) * math.max(1, math.abs(b))
end

-- The LMDIR vector (METHOD.md): states as lists of factor arrays.
local function state(rows)
  local f = {}
  for k = 1, 3 do f[k] = cbal.array { rows[1][k], rows[2][k] } end
  return f
end
local S = {
  state { { 1, 10, 2 }, { 4, 5, 3 } }, state { { 4, 5, 3 }, { 5, 6, 4 } },
  state { { 8, 2, 4 }, { 5, 7, 5 } }, state { { 10, 1, 5 }, { 6, 8, 6 } },
}

describe("cbal.alloc", function()
  it("splits a total by weights and sums to it exactly", function()
    local w = {}
    for i = 1, 95 do w[i] = 10 ^ ((i * 7919 % 97) / 11 - 3) end
    local s = cbal.alloc(847.25, w)
    assert.equal(95, #s)
    assert.equal(847.25, s:sum())
    assert.is_true(close(s[1] / s[2], w[1] / w[2], 1e-13))
  end)

  it("allocates each group's total to its own items", function()
    local s = cbal.alloc({ Jiangsu = 100, [32] = 30 }, cbal.array { 1, 3, 1, 2 },
      { "Jiangsu", 32, "Jiangsu", 32.0 })
    assert.is_true(close(s[1], 50) and close(s[3], 50))
    assert.is_true(close(s[2], 18) and close(s[4], 12))
    -- group ids from an array (numbers)
    local t = cbal.alloc({ [1] = 10, [2] = 20 }, { 1, 1, 1 }, cbal.array { 2, 2, 1 })
    assert.is_true(close(t[3], 10) and close(t[1], 10))
  end)

  it("names the group or index in its errors", function()
    assert.error_matches(function() cbal.alloc(5, { 0, 0 }) end, "sum to zero")
    assert.error_matches(function() cbal.alloc(5, { 1, -1 }) end, "weight 2 is negative")
    assert.error_matches(function() cbal.alloc(5, cbal.array { 1, 0 / 0 }) end,
      "weight 2 is missing")
    assert.error_matches(function()
      cbal.alloc({ A = 1, B = 2 }, { 1, 0 }, { "A", "B" })
    end, "group B sum to zero")
    assert.error_matches(function()
      cbal.alloc({ A = 1 }, { 1, 1 }, { "A", "Anhui" })
    end, "group Anhui has 1 items but no total")
    assert.error_matches(function() cbal.alloc({ A = 1 }, { 1, 1 }, { "A" }) end,
      "2 weights but 1 group ids")
    assert.error_matches(function() cbal.alloc({ A = 1 }, { 1 }, { true }) end,
      "group of item 1 is a boolean")
    assert.error_matches(function() cbal.alloc({ [true] = 1 }, { 1 }, { "A" }) end,
      "a key of the totals table is a boolean")
    assert.error_matches(function() cbal.alloc({ A = "x" }, { 1 }, { "A" }) end,
      "total of group 'A' is a string")
    assert.error_matches(function() cbal.alloc({ A = {} }, { 1 }, { "A" }) end,
      "total of group 'A' is a table")
  end)

  it("warns about a total with no items", function()
    cbal.warnings(true)
    cbal.alloc({ A = 1, B = 2 }, { 1 }, { "A" })
    local w = cbal.warnings(true)
    assert.equal(1, #w)
    assert.matches("group B has a total", w[1])
  end)
end)

describe("cbal.lmdi", function()
  it("reproduces the published additive vector", function()
    local want = {
      { 69.79006598, -9.455125793, 39.66505981 },
      { 42.96021467, -34.31902656, 50.3588119 },
      { 54.01064234, -9.021284671, 54.01064234 },
    }
    for y = 1, 3 do
      local r = cbal.lmdi(S[y], S[y + 1])
      assert.equal("additive", r.method)
      for k = 1, 3 do assert.is_true(close(r.effects[k], want[y][k], 1e-9)) end
      assert.is_true(close(r.effects[1] + r.effects[2] + r.effects[3], r.change, 1e-12))
      -- per-item effects sum to the aggregate
      for k = 1, 3 do assert.is_true(close(r.items[k]:sum(), r.effects[k], 1e-12)) end
    end
  end)

  it("reproduces the published multiplicative vector and names factors", function()
    local r = cbal.lmdi(S[1], S[2], { method = "multiplicative", names = { "a", "b", "c" } })
    assert.is_true(close(r.effects.a, 1.761117821, 1e-9))
    assert.is_true(close(r.effects[2], 0.926191306, 1e-9))
    assert.is_true(close(r.effects.c, 1.379410116, 1e-9))
    assert.is_true(close(r.effects[1] * r.effects[2] * r.effects[3], 180 / 80, 1e-14))
    assert.equal(r.items[1], r.items.a)
    assert.is_true(close(r.item_log.b:sum(), math.log(r.effects.b), 1e-13))
  end)

  it("uses the analytical limit for a zero (Ang & Liu), not a small value", function()
    local x0 = state { { 0, 10, 2 }, { 4, 5, 3 } }
    local r = cbal.lmdi(x0, S[2])
    assert.equal(60, r.items[1][1])
    assert.equal(0, r.items[2][1])
    assert.equal(0, r.items[3][1])
    assert.equal(0, #r.undefined)
  end)

  it("flags a sign change as undefined and never invents a number", function()
    local x0 = { { 1, 2 }, { 3, 3 } }
    local x1 = { { 2, -1 }, { 3, 4 } }
    local r = cbal.lmdi(x0, x1)
    assert.same({ 2 }, r.undefined)
    assert.equal(1, r.undefined_mask[2])
    assert.is_true(r.items[1][2] ~= r.items[1][2]) -- NaN
    assert.is_true(close(r.effects[1] + r.effects[2] + r.unexplained, r.change, 1e-12))
  end)

  it("has zero residual on random data", function()
    local rnd = 12345
    local function u() rnd = (rnd * 1103515245 + 12345) % 2147483648; return rnd / 2147483648 end
    for _ = 1, 20 do
      local x0, x1 = {}, {}
      for k = 1, 4 do
        x0[k], x1[k] = cbal.array(60), cbal.array(60)
        for i = 1, 60 do
          x0[k][i] = math.exp(6 * u() - 3); x1[k][i] = x0[k][i] * math.exp(u() - 0.5)
        end
      end
      local a = cbal.lmdi(x0, x1)
      local s = a.effects[1] + a.effects[2] + a.effects[3] + a.effects[4]
      assert.is_true(math.abs(s - a.change) <= 1e-12 * math.abs(a.v0))
      local m = cbal.lmdi(x0, x1, { method = "multiplicative" })
      local p = m.effects[1] * m.effects[2] * m.effects[3] * m.effects[4]
      assert.is_true(math.abs(p / m.change - 1) <= 1e-12)
    end
  end)

  it("chains year by year and keeps the steps", function()
    local r = cbal.lmdi_chain(S)
    assert.is_true(r.chained)
    assert.equal(3, #r.steps)
    for k = 1, 3 do
      local s = r.steps[1].effects[k] + r.steps[2].effects[k] + r.steps[3].effects[k]
      assert.is_true(close(r.effects[k], s, 1e-12))
    end
    assert.is_true(close(r.change, 338 - 80, 1e-12))
    local m = cbal.lmdi_chain(S, { method = "multiplicative" })
    assert.is_true(close(m.effects[1] * m.effects[2] * m.effects[3], 338 / 80, 1e-13))
    -- each step is the two-state decomposition of its pair
    for s = 1, 3 do
      local q = cbal.lmdi(S[s], S[s + 1], { method = "multiplicative" })
      local p = m.steps[s]
      assert.is_false(p.chained)
      assert.equal(q.change, p.change)
      for k = 1, 3 do
        assert.equal(q.effects[k], p.effects[k])
        assert.equal(q.items[k], p.items[k])
        assert.equal(q.item_log[k], p.item_log[k])
      end
    end
  end)

  it("checks its arguments", function()
    assert.error_matches(function() cbal.lmdi(S[1], S[2], { methd = "additive" }) end,
      "unknown key \'methd\'")
    assert.error_matches(function() cbal.lmdi(S[1], S[2], { method = "mult" }) end,
      "lmdi: option 'method': unknown value 'mult' %(expected one of: additive, multiplicative%)")
    assert.error_matches(function() cbal.lmdi(S[1], { S[2][1], S[2][2] }) end,
      "x1 has 2 factors, expected 3")
    assert.error_matches(function() cbal.lmdi({ { 1, 2 } }, { { 1 } }) end,
      "factor 1 of x1 has 1 items, expected 2")
    assert.error_matches(function() cbal.lmdi_chain({ S[1] }) end, "at least 2 states")
  end)

  it("exposes the logarithmic mean", function()
    assert.equal(2, cbal.logmean(2, 2))
    assert.equal(0, cbal.logmean(2, 0))
    assert.is_true(close(cbal.logmean(1, math.exp(1)), math.exp(1) - 1, 1e-15))
  end)
end)

describe("cbal.classify", function()
  local rules = {
    { zone = "high carbon control", all = { { "ECC", ">=", 1 }, { "ESC", "<", 1 } } },
    { zone = "high carbon optimization", all = { { "ECC", "<", 1 }, { "ESC", "<", 1 } } },
    { zone = "low carbon development", all = { { "ECC", "<", 1 }, { "ESC", ">=", 1 } } },
    { zone = "low carbon economic", all = { { "ECC", ">=", 1 }, { "ESC", ">=", 1 } } },
  }

  it("puts one county per quadrant in its zone", function()
    local zones, counts, index, names = cbal.classify(rules, {
      ECC = cbal.array { 2, 0.5, 0.3, 1.7 }, ESC = { 0.2, 0.4, 3, 1.2 } })
    assert.same({ "high carbon control", "high carbon optimization",
      "low carbon development", "low carbon economic" }, zones)
    assert.equal(1, counts["low carbon economic"])
    assert.equal(3, index[3])
    assert.equal("low carbon development", names[3])
  end)

  it("lets the first matching rule win and handles missing values", function()
    local r = { { zone = "sink", all = { { "Q", "<", 1 } } } }
    for _, x in ipairs(rules) do r[#r + 1] = x end
    local vars = { ECC = { 0.5, 2, 0 / 0 }, ESC = { 3, 0.5, 1 }, Q = { 0.5, 3, 2 } }
    assert.error_matches(function() cbal.classify(r, vars) end,
      "item 3 matches no rule")
    local zones, counts = cbal.classify(r, vars, { default = "unknown" })
    assert.same({ "sink", "high carbon control", "unknown" }, zones)
    assert.equal(0, counts["low carbon economic"])
    zones = cbal.classify(r, vars, { unmatched = "keep" })
    assert.equal(false, zones[3])
  end)

  it("accepts Lua predicates alongside native conditions", function()
    local seen = 0
    local r = {
      { zone = "big sink", all = { { "Q", "<", 1 } },
        when = function(row, i) seen = seen + 1; return row.C > 10 and i ~= 3 end },
      { zone = "other" },
    }
    local zones = cbal.classify(r, { Q = { 0.5, 0.5, 0.5, 2 }, C = { 20, 5, 20, 20 } })
    assert.same({ "big sink", "other", "other", "other" }, zones)
    assert.equal(4, seen)
    assert.error_matches(function()
      cbal.classify({ { zone = "x", when = function() error("boom") end } }, { Q = { 1 } })
    end, "rule 1: 'when' failed on item 1: .*boom")
    assert.error_matches(function()
      cbal.classify({ { zone = "x", when = 3 } }, { Q = { 1 } })
    end, "'when' must be a function")
  end)

  it("reports bad rules clearly", function()
    local v = { Q = { 1 } }
    assert.error_matches(function()
      cbal.classify({ { zone = "a", all = { { "X", "<", 1 } } } }, v)
    end, "rule 1 condition 1 uses variable 'X'")
    assert.error_matches(function()
      cbal.classify({ { zone = "a", all = { { "Q", "=<", 1 } } } }, v)
    end, "rule 1 condition 1: option 'op': unknown value '=<' %(expected one of: <, <=, >, >=, ==, ~=%)")
    assert.error_matches(function()
      cbal.classify({ { zone = "a", any = { { "Q", "<", 1 } } } }, v)
    end, "unknown key \'any\'")
  end)
end)

describe("cbal.mask", function()
  it("is the native kernel of the rules, which are Lua", function()
    assert.equal("C", debug.getinfo(cbal.mask).what)
    assert.equal("Lua", debug.getinfo(cbal.classify).what)
    local v = cbal.array { 0.5, 1, 2, 0 / 0 }
    assert.same({ 0, 1, 1, 0 }, cbal.mask(v, ">=", 1):totable())
    assert.same({ 1, 0, 1, 0 }, cbal.mask(v, "~=", 1):totable())  -- NaN never holds
    assert.same({ 0, 0, 1, 0 }, cbal.mask(v, ">=", 1, { 1, 0, 1, 1 }):totable())
    assert.same({ 0, 0, 0, 0 }, cbal.mask(v, "<", 0 / 0):totable())
    assert.error_matches(function() cbal.mask(v, "=<", 1) end,
      "mask: option 'op': unknown value '=<' %(expected one of: <, <=, >, >=, ==, ~=%)")
    assert.error_matches(function() cbal.mask(v, "<", 1, { 1 }) end,
      "'within' has 1 values, 'values' has 4")
  end)
end)

describe("cbal.breaks", function()
  it("shares Jenks breaks across years by pooling", function()
    local y2000 = cbal.array { 1, 2, 3, 50 }
    local y2021 = cbal.array { 10, 11, 12, 0 / 0, 51 }
    local e = cbal.breaks({ y2000, y2021 }, { method = "jenks", k = 3, round = false })
    assert.same({ 1, 3, 12, 51 }, e:totable())
    local c, counts = cbal.classify_breaks(y2021, e)
    assert.same({ 2, 2, 2, false, 3 }, c:totable(false))
    assert.same({ 0, 3, 1 }, counts)
  end)

  it("does quantile, equal and manual breaks", function()
    local v = {}
    for i = 0, 100 do v[#v + 1] = i end
    assert.same({ 0, 25, 50, 75, 100 }, cbal.breaks(v, { method = "quantile", k = 4, round = false }):totable())
    assert.same({ 0, 50, 100 }, cbal.breaks(v, { method = "equal", k = 2, round = false }):totable())
    local m = cbal.breaks(v, { method = "manual", breaks = { -math.huge, 1, 10, 40, math.huge } })
    assert.equal(5, #m)
    local c, counts = cbal.classify_breaks({ 0.5, 1, 10, 41 }, m, { closed = "left" })
    assert.same({ 1, 2, 3, 4 }, c:totable())
    assert.same({ 1, 1, 1, 1 }, counts)
  end)

  it("rounds computed limits to pretty numbers without moving a value to another class", function()
    local y2000 = cbal.array { 1, 2, 3, 50 }
    local y2021 = cbal.array { 10, 11, 12, 0 / 0, 51 }
    local e, moved = cbal.breaks({ y2000, y2021 }, { method = "jenks", k = 3 })
    assert.same({ 0, 5, 20, 55 }, e:totable())
    assert.equal(0, moved)
    local exact = cbal.breaks({ y2000, y2021 }, { method = "jenks", k = 3, round = false })
    for _, closed in ipairs { "right", "left" } do -- no value sits on a limit
      local _, c1 = cbal.classify_breaks(y2021, e, { closed = closed })
      local _, c0 = cbal.classify_breaks(y2021, exact)
      assert.same(c0, c1)
    end
    -- a gap with no round number in it: the limit itself moves, and says so
    local v = { 1.0, 1.516, 1.517, 2.0 }
    local r, n = cbal.breaks(v, { method = "manual", breaks = { 1, 1.516, 2 } })
    assert.same({ 1, 1.516, 2 }, r:totable()) -- manual limits are the user's
    local m = cbal.breaks({ -3.7, -1.2, 0.4, 2.6 }, { method = "manual", round = true,
                                                     breaks = { -3.7, -1.2, 0.4, 2.6 } })
    assert.same({ -4, -1, 1, 3 }, m:totable()) -- unless asked
    assert.error_matches(function()
      cbal.breaks(nil, { method = "manual", breaks = { 1, 2 }, round = true })
    end, "round = true needs the values")
    r, n = cbal.breaks(v, { method = "quantile", k = 2 })
    assert.same({ 1, 1.5, 2 }, r:totable())
    assert.equal(1, n)
    -- 0..100 in two equal classes: the limit steps off the value 50
    local w = {}
    for i = 0, 100 do w[#w + 1] = i end
    assert.same({ 0, 50.5, 100 }, cbal.breaks(w, { method = "equal", k = 2 }):totable())
  end)

  it("uses fewer classes, with a warning, when values run out", function()
    cbal.warnings(true)
    local e = cbal.breaks({ 3, 3, 7 }, { k = 4 })
    assert.equal(3, #e)
    assert.matches("only 2 distinct values", cbal.warnings(true)[1])
  end)

  it("rejects bad input", function()
    assert.error_matches(function() cbal.breaks({ 0 / 0, 0 / 0 }, { k = 3 }) end,
      "no non%-missing values")
    assert.error_matches(function() cbal.breaks({ 1, 2 }, { method = "kmeans" }) end,
      "breaks: option 'method': unknown value 'kmeans' %(expected one of: quantile, equal, jenks, manual%)")
    assert.error_matches(function() cbal.classify_breaks({ 1 }, { 0, 2 }, { closed = "both" }) end,
      "classify_breaks: option 'closed': unknown value 'both' %(expected one of: left, right%)")
    assert.error_matches(function() cbal.breaks({ 1, 2 }, { method = "manual" }) end,
      "needs the option 'breaks'")
    assert.error_matches(function() cbal.classify_breaks({ 1 }, { 0, 2, 1 }) end,
      "edges must increase")
  end)
end)

describe("cbal.count_classes", function()
  it("counts items per class per year", function()
    local counts, missing = cbal.count_classes(cbal.array { 1, 3, 3, 0 / 0, 2 }, 4)
    assert.same({ 1, 1, 2, 0 }, counts)
    assert.equal(1, missing)
    assert.error_matches(function() cbal.count_classes({ 1, 5 }, 4) end,
      "item 2 has class 5")
  end)
end)

describe("cbal.growth", function()
  it("reproduces the study's provincial figures", function()
    local t = cbal.growth(199, 847, 21)
    assert.equal("325.63", ("%.2f"):format(t * 100))
    local t2, g2 = cbal.growth(142, 171, 21)
    assert.equal("20.42", ("%.2f"):format(t2 * 100))
    assert.equal("0.89", ("%.2f"):format(g2 * 100))
  end)

  it("works element-wise and gives NaN with a warning when undefined", function()
    cbal.warnings(true)
    local t, g = cbal.growth(cbal.array { 1, 0, 4 }, 4, 2)
    assert.equal(3, t[1])
    assert.equal(1, g[1])
    assert.is_true(t[2] ~= t[2])
    assert.matches("1 of 3 items undefined", cbal.warnings(true)[1])
    assert.error_matches(function() cbal.growth(1, 2, 0) end, "years must be a positive")
  end)
end)
