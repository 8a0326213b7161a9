-- cbal.validate: the metrics against hand computations, missing values,
-- zero references, the lines for a scatter box, and bad input.
local cbal = require "cbal"

describe("cbal.validate", function()
  it("computes n, r, R², slope, intercept, RMSE, MAE, MAPE, bias", function()
    local ref = { 10, 20, 30, 40 }
    local pred = { 12, 18, 33, 41 }
    local v = cbal.validate(pred, ref, { names = { "a", "b", "c", "d" } })
    assert.equal(4, v.n)
    -- by hand: d = {2, -2, 3, 1}
    assert.near(math.sqrt((4 + 4 + 9 + 1) / 4), v.rmse, 1e-12)
    assert.near((2 + 2 + 3 + 1) / 4, v.mae, 1e-12)
    assert.near((20 + 10 + 10 + 2.5) / 4, v.mape, 1e-12)
    assert.near(1, v.bias, 1e-12)
    assert.near(100 * 4 / 100, v.pbias, 1e-12)
    -- least squares of pred on ref: mean ref 25, mean pred 26
    local sxy = (-15) * (-14) + (-5) * (-8) + 5 * 7 + 15 * 15
    local sxx, syy = 500, 14 ^ 2 + 8 ^ 2 + 7 ^ 2 + 15 ^ 2
    assert.near(sxy / sxx, v.slope, 1e-12)
    assert.near(26 - sxy / sxx * 25, v.intercept, 1e-12)
    assert.near(sxy / math.sqrt(sxx * syy), v.r, 1e-12)
    assert.near(v.r ^ 2, v.r2, 1e-15)
    assert.near(1 - 18 / 500, v.nse, 1e-12)
    assert.same({ name = "c", pred = 33, ref = 30, diff = 3, pct = 10 }, v.pairs[3])
    assert.same({}, v.dropped)
  end)

  it("is perfect on identical values and takes arrays", function()
    local a = cbal.array { 1, 5, 9, 2 }
    local v = cbal.validate(a, a)
    assert.equal(1, v.r)
    assert.equal(0, v.rmse)
    assert.equal(0, v.mape)
    assert.equal(1, v.slope)
    assert.equal(0, v.intercept)
  end)

  it("leaves out pairs with NaN on either side, naming them", function()
    local v = cbal.validate({ 1, 0 / 0, 3, 4 }, { 1, 2, 0 / 0, 5 },
      { names = { "南京", "无锡", "徐州", "常州" } })
    assert.equal(2, v.n)
    assert.same({ "无锡", "徐州" }, v.dropped)
    assert.near(math.sqrt(0.5), v.rmse, 1e-12)
    local w = cbal.validate({ 1, 0 / 0 }, { 1, 2 })
    assert.same({ 2 }, w.dropped) -- positions without names
    assert.is_true(w.r ~= w.r)   -- one pair: no correlation
    assert.is_true(w.slope ~= w.slope)
  end)

  it("keeps MAPE to non-zero references", function()
    local v = cbal.validate({ 1, 2, 3 }, { 0, 2, 2 })
    assert.equal(3, v.n)
    assert.equal(2, v.mape_n)
    assert.near(25, v.mape, 1e-12)
  end)

  it("gives short lines for a figure", function()
    local v = cbal.validate({ 12, 18, 33, 41 }, { 10, 20, 30, 40 })
    local l = cbal.validate.lines(v, "Mt")
    assert.equal("n = 4", l[1])
    assert.truthy(l[2]:match("^r = 0%.9%d+, R² = 0%.9%d+$"), l[2])
    assert.equal("RMSE = 2.12 Mt", l[4])
    assert.equal("MAPE = 10.6 %", l[5])
    -- r and R² keep three decimals, so boxes side by side read alike
    v = cbal.validate({ 1, 2, 3, 4, 5 }, { 1, 3, 2, 5, 4 })
    assert.equal("r = 0.800, R² = 0.640", cbal.validate.lines(v)[2])
  end)

  it("refuses bad input", function()
    local function err(pattern, ...)
      local ok, msg = pcall(cbal.validate, ...)
      assert.is_false(ok)
      assert.truthy(msg:find(pattern, 1, true), msg)
    end
    err("pred has 2 values but ref has 3", { 1, 2 }, { 1, 2, 3 })
    err("no pair has both values (all 2 have a missing pred or ref)", { 0 / 0, 1 }, { 1, 0 / 0 })
    err("ref[2] must be a number (NaN for a missing value), got string", { 1, 2 }, { 1, "x" })
    err("names must be a list of 2 names (one per pair), got 1 entries", { 1, 2 }, { 1, 2 }, { names = { "a" } })
    err("unknown key 'name' in validate", { 1, 2 }, { 1, 2 }, { name = { "a", "b" } })
    err("pred must be an array or a list of numbers, got string", "x", { 1 })
  end)
end)

describe("cbal.validate.to_units and sum_by", function()
  local V = cbal.validate

  it("sums reference rows into units through a crosswalk", function()
    -- three old districts merged into one, one recoded, one unchanged
    local ref_ids = { "320202", "320203", "320204", 320124, "320102", "320211（2）" }
    local ref = { 1, 2, 3, 4, 5, 6 }
    local units = { 320213, "320117", "320102", "320214", "320205" }
    local cw = { ["320202"] = "320213", [320203] = 320213, ["320204"] = "320213",
                 ["320124"] = "320117", ["320211（2）"] = "320214",
                 ["320999"] = "320205" } -- a source not in the reference: ignored
    local out, missing = V.to_units(ref_ids, ref, units, cw)
    assert.same({ 6, 4, 5, 6 }, { out[1], out[2], out[3], out[4] })
    assert.is_true(out[5] ~= out[5]) -- no row reaches 320205
    assert.same({ "320205" }, missing)
  end)

  it("keeps NaN in the reference as unknown", function()
    local out = V.to_units({ "1", "2", "3" }, { 1, 0 / 0, 2 }, { "9", "3" }, { ["1"] = "9", ["2"] = "9" })
    assert.is_true(out[1] ~= out[1]) -- 1 + NaN: the merged unit is unknown
    assert.equal(2, out[2])
    local v = cbal.validate({ 5, 2 }, out, { names = { "merged", "three" } })
    assert.same({ "merged" }, v.dropped)
  end)

  it("refuses reference ids that reach no unit and crosswalk rows that lead nowhere", function()
    local ok, msg = pcall(V.to_units, { "1", "2", "7" }, { 1, 2, 3 }, { "1" })
    assert.is_false(ok)
    assert.truthy(msg:find("reference ids 2, 7 match no unit and are not in the crosswalk", 1, true), msg)
    -- a crosswalk code missing from both sides
    ok, msg = pcall(V.to_units, { "1" }, { 1 }, { "1" }, { ["5"] = "6" })
    assert.truthy(msg:find("crosswalk 5 -> 6: neither code is known (5 is not in the reference, 6 is not one of the units)", 1, true), msg)
    ok, msg = pcall(V.to_units, { "1", "5" }, { 1, 2 }, { "1" }, { ["5"] = "6" })
    assert.truthy(msg:find("crosswalk 5 -> 6: 6 is not one of the units", 1, true), msg)
    ok, msg = pcall(V.to_units, { "1" }, { 1, 2 }, { "1" })
    assert.truthy(msg:find("1 reference ids but 2 values", 1, true), msg)
  end)

  it("sums values by key, sorted, NaN spreading to its key", function()
    local keys, sums = V.sum_by({ 1, 2, 3, 0 / 0 }, { 320200, "320100", "320100.0", "320300" })
    assert.same({ "320100", "320200", "320300" }, keys)
    assert.equal(5, sums[1])
    assert.equal(1, sums[2])
    assert.is_true(sums[3] ~= sums[3])
    local ok, msg = pcall(V.sum_by, { 1 }, { "a", "b" })
    assert.truthy(msg:find("1 values but 2 keys", 1, true), msg)
  end)
end)
