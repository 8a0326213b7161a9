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

  it("sorts by a value that may be missing: largest first, NaN last, ties by name", function()
    local nan = 0 / 0
    local input = { { 3, "d" }, { nan, "z" }, { 5, "b" }, { 3, "c" }, { nan, "a" },
      { math.huge, "y" }, { -1, "e" }, { nan, "m" }, { 5, "a" }, { 0, "x" } }
    local want = { "y", "a", "b", "c", "d", "x", "e", "a", "m", "z" }
    for _ = 1, 20 do -- any starting order gives the same result
      local list = {}
      for i, p in ipairs(input) do list[i] = { v = p[1], name = p[2] } end
      for i = #list, 2, -1 do
        local j = math.random(i)
        list[i], list[j] = list[j], list[i]
      end
      local got = stats.sort_desc(list, function(t) return t.v end, function(t) return t.name end)
      local names = {}
      for k, t in ipairs(got) do names[k] = t.name end
      assert.same(want, names)
      assert.is_true(got[8].v ~= got[8].v and got[10].v ~= got[10].v)
    end
  end)
end)
