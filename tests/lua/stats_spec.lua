-- The library's one median and one element-wise NaN-skipping mean, and no
-- copies of them elsewhere in lua/cbal.
local cbal = require "cbal"
local stats = require "cbal.stats"
local tu = require "testutil"

describe("cbal.stats", function()
  it("takes the median of the values present", function()
    assert.equal(2, stats.median({ 3, 1, 2 }))
    assert.equal(2.5, stats.median(cbal.array { 4, 1, 0 / 0, 2, 3 }))
    assert.is_true(stats.median({ 0 / 0 }) ~= stats.median({ 0 / 0 }))
  end)

  it("averages arrays element by element over the values present", function()
    local m = stats.mean({ cbal.array { 1, 0 / 0, 0 / 0 }, { 3, 4, 0 / 0 } })
    assert.same({ 2, 4, false }, m:totable(false))
  end)

  it("is the only median and element-wise mean of the Lua library", function()
    local _, out = tu.sh("grep -rlE 'function [^(]*median|cnt:where\\(cnt:gt\\(0\\)\\)' lua/cbal")
    assert.equal("lua/cbal/stats.lua\n", out)
  end)
end)
