-- examples/tour.lua, shown in the README, runs as printed on a small
-- synthetic province.
local T = require "testutil"

describe("examples/tour.lua", function()
  it("allocates the total, counts imbalanced counties and draws the map", function()
    local dir = T.tmpdir()
    local rc, _, err = T.run_cbal { "-e", ("require('cbal.synthetic').generate{dir = %q, small = true, years = {2010, 2010}, quiet = true}"):format(dir) }
    assert.equal(0, rc, err)
    local out
    rc, out, err = T.run_cbal { "examples/tour.lua", dir, dir .. "/q.png" }
    assert.equal(0, rc, err)
    local n, total, imbalanced = out:match("^(%d+) counties: Σ C = ([%d.]+) Mt, Σ N = [%d.]+ Mt, imbalanced %(Q > 1%): (%d+)\n")
    assert.truthy(n, out)
    assert.equal("590.000000", total)
    assert.truthy(tonumber(imbalanced) <= tonumber(n))
    assert.truthy(out:find("map in " .. dir .. "/q.png", 1, true))
    assert.equal("\137PNG", T.read(dir .. "/q.png"):sub(1, 4))
    T.rmtree(dir)
  end)
end)
