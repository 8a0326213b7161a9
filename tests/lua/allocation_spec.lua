-- cbal.allocation.two_level: the province to cities by their inventories,
-- then to counties by light; totals kept; the city checks.
local cbal = require "cbal"

describe("cbal.allocation.two_level", function()
  local light = { 4, 1, 5, 2, 2 }
  local city = { 320100, 320100, "320200", "320200", "320200" }

  it("splits the total by the inventories, then by light within each city", function()
    local C, shares = cbal.allocation.two_level { total = 300, inventories = { [320100] = 10, ["320200"] = 20 },
      weights = light, city = city }
    assert.near(100, shares["320100"], 1e-12)
    assert.near(200, shares["320200"], 1e-12)
    assert.near(80, C[1], 1e-12)
    assert.near(20, C[2], 1e-12)
    assert.near(200 * 5 / 9, C[3], 1e-12)
    assert.near(300, C:sum(), 1e-12) -- the provincial total is kept
  end)

  it("refuses a city in the inventory that has no counties", function()
    local ok, msg = pcall(cbal.allocation.two_level, { total = 300,
      inventories = { [320100] = 10, [320200] = 20, [320300] = 5 }, weights = light, city = city })
    assert.is_false(ok)
    assert.truthy(msg:find("city 320300 is in the inventory but has no counties", 1, true), msg)
  end)

  it("refuses a city with counties but no inventory, and bad values", function()
    local ok, msg = pcall(cbal.allocation.two_level, { total = 300, inventories = { [320100] = 10 },
      weights = light, city = city })
    assert.truthy(msg:find("city 320200 (e.g. county 3) has counties but no inventory value", 1, true), msg)
    ok, msg = pcall(cbal.allocation.two_level, { total = 300, inventories = { [320100] = 10, [320200] = 0 / 0 },
      weights = light, city = city })
    assert.truthy(msg:find("the inventory of city 320200 is nan", 1, true) or msg:find("the inventory of city 320200 is -nan", 1, true), msg)
    ok, msg = pcall(cbal.allocation.two_level, { total = 300, inventories = { [320100] = 10, [320200] = 1 },
      weights = { 1, 2 }, city = city })
    assert.truthy(msg:find("2 weights but 5 cities", 1, true), msg)
    ok, msg = pcall(cbal.allocation.two_level, { total = 300, inventories = { [320100] = 10, [320200] = 1 },
      weights = { 0, 0, 1, 1, 1 }, city = city })
    assert.truthy(msg:find("sum to zero", 1, true), msg)
    ok, msg = pcall(cbal.allocation.two_level, { totl = 3 })
    assert.truthy(msg:find("unknown key 'totl'", 1, true), msg)
  end)
end)
