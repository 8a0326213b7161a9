-- Zoning: the study's four zones, ties at the cut, years and multi-year
-- means, predicates in the sandbox, the example criteria, bad criteria.
local cbal = require "cbal"
local tu = require "testutil"

local function default_copy(over)
  local c = {
    tie = "upper",
    thresholds = { ECC = 1, ESC = 1 },
    zones = {
      { name = "control", when = { ECC = "high", ESC = "low" } },
      { name = "optimization", when = { ECC = "low", ESC = "low" } },
      { name = "development", when = { ECC = "low", ESC = "high" } },
      { name = "economic", when = { ECC = "high", ESC = "high" } },
    },
  }
  for k, v in pairs(over or {}) do c[k] = v end
  return c
end

local function write_criteria(src)
  local d = tu.tmpdir()
  tu.write(d .. "/crit.lua", src)
  return d, d .. "/crit.lua"
end

describe("zoning.classify", function()
  it("puts one county per quadrant in the study's four zones", function()
    local names, counts, info = cbal.zoning.classify("default", {
      ECC = cbal.array{ 1.8, 0.4, 0.6, 2.5 },
      ESC = cbal.array{ 0.3, 0.7, 3.0, 1.6 },
    })
    assert.same({ "high carbon control zone", "high carbon optimization zone",
      "low carbon development zone", "low carbon economic zone" }, names)
    for _, z in ipairs(names) do assert.equal(1, counts[z]) end
    assert.same({ 1, 2, 3, 4 }, info.index:totable())
  end)

  it("follows the tie rule at the cut", function()
    local vars = { ECC = { 1, 1 }, ESC = { 1, 0.5 } }
    local up = cbal.zoning.classify(default_copy(), vars)
    assert.same({ "economic", "control" }, up)
    local low = cbal.zoning.classify(default_copy{ tie = "lower" }, vars)
    assert.same({ "optimization", "optimization" }, low)
  end)

  it("leaves counties with missing values unclassified", function()
    local names, counts, info = cbal.zoning.classify(default_copy{ otherwise = "none" },
      { ECC = { 0 / 0, 2 }, ESC = { 2, 2 } })
    assert.same({ "none", "economic" }, names)
    assert.equal(1, counts.none)
    -- order lists the criteria's zones once; the fallback is info.otherwise
    assert.same({ "control", "optimization", "development", "economic" }, info.order)
    assert.equal("none", info.otherwise)
  end)

  it("picks a year, the last year or a multi-year mean", function()
    local vars = {
      ECC = { [2000] = { 0.5, 2 }, [2001] = { 1.7, 2 }, [2002] = { 1.7, 0.1 } },
      ESC = { [2000] = { 0.5, 2 }, [2001] = { 0.5, 2 }, [2002] = { 0.5, 2 } },
    }
    assert.same({ "optimization", "economic" }, cbal.zoning.classify(default_copy{ year = 2000 }, vars))
    assert.same({ "control", "development" }, cbal.zoning.classify(default_copy{ year = "last" }, vars))
    -- mean 2000-2001: ECC = 1.1, 2 -> control, economic
    local n, _, info = cbal.zoning.classify(default_copy{ year = { 2000, 2001 } }, vars)
    assert.same({ "control", "economic" }, n)
    assert.equal("mean 2000-2001", info.year)
    -- mean of all: ECC = 1.3, 1.3667
    assert.same({ "control", "economic" }, cbal.zoning.classify(default_copy{ year = "mean" }, vars))
    -- the caller can override the criteria's year
    assert.same({ "optimization", "economic" },
      cbal.zoning.classify(default_copy{ year = "last" }, vars, { year = 2000 }))
  end)

  it("raises on a missing year naming the variable and year", function()
    local vars = { ECC = { [2000] = { 1 }, [2002] = { 1 } }, ESC = { [2000] = { 1 }, [2002] = { 1 } } }
    assert.has_error(function()
      cbal.zoning.classify(default_copy{ year = { 2000, 2002 } }, vars)
    end, "zoning: variable 'ECC' has no year 2001 (criteria year: mean 2000-2002)")
  end)

  it("runs predicate zones from the carbon-sink example in the sandbox", function()
    local y = {}
    for yr = 2017, 2021 do y[yr] = true end
    local function by_year(v)
      local t = {}
      for yr in pairs(y) do t[yr] = v end
      return t
    end
    local vars = {
      Q = by_year{ 0.8, 3, 3, 3, 3 },
      ECC = by_year{ 2, 2, 0.5, 0.5, 2 },
      ESC = by_year{ 2, 0.5, 0.5, 2, 2 },
    }
    local names, counts = cbal.zoning.classify("examples/criteria/carbon_sink_first.lua", vars)
    assert.same({ "carbon sink zone", "high carbon control zone", "high carbon optimization zone",
      "low carbon development zone", "low carbon economic zone" }, names)
    assert.equal(1, counts["carbon sink zone"])
  end)

  it("splits emission level against the mean (emission_level example)", function()
    -- mean C = 2.5; tie "lower": C = 2.5 is low, ESC = 1 is weak
    local names = cbal.zoning.classify("examples/criteria/emission_level.lua", {
      C = { 1, 2, 3, 4, 2.5 }, ESC = { 0.5, 2, 0.5, 2, 1 } })
    assert.same({ "low emission, weak support", "low emission, strong support",
      "high emission, weak support", "high emission, strong support",
      "low emission, weak support" }, names)
  end)

  it("accepts Lua predicate functions in a criteria table", function()
    local names = cbal.zoning.classify({ zones = {
      { name = "odd", when = function(v) return v.X % 2 == 1 end },
      { name = "rest", when = {} },
    } }, { X = { 1, 2, 3 } })
    assert.same({ "odd", "rest", "odd" }, names)
  end)

  it("uses only the listed variables, so unrelated years do not matter", function()
    local vars = {
      Q = { [2020] = { 0.5, 2 }, [2021] = { 0.5, 2 } },
      other = { [1999] = { 1, 1 } }, -- shares no year with Q
    }
    local names = cbal.zoning.classify({ variables = { "Q" }, year = "last", zones = {
      { name = "sink", when = function(v) return v.Q < 1 and v.other == nil end },
      { name = "source", when = {} } } }, vars)
    assert.same({ "sink", "source" }, names)
    assert.has_error(function()
      cbal.zoning.classify({ variables = { "Z" }, zones = { { name = "a", when = {} } } }, vars)
    end, "criteria table: uses variable 'Z', which was not given")
  end)

  it("reports a criteria file that touches io with file and line", function()
    local d, path = write_criteria("local t = {}\nlocal f = io.open('/etc/passwd')\nreturn t\n")
    local ok, err = pcall(cbal.zoning.classify, path, { ECC = { 1 }, ESC = { 1 } })
    tu.rmtree(d)
    assert.is_false(ok)
    assert.is_truthy(err:find(path .. ":2: 'io' is not available", 1, true))
  end)

  it("stops a predicate that loops forever", function()
    local d, path = write_criteria([[
return { zones = { { name = "x", when = function(v)
  while true do pcall(function() while true do end end) end
end } } }
]])
    local ok, err = pcall(cbal.zoning.classify, path, { Q = { 1, 2 } }, { budget = 1e5 })
    tu.rmtree(d)
    assert.is_false(ok)
    assert.is_truthy(err:find("zone 'x', county 1", 1, true))
    assert.is_truthy(err:find("instruction budget of 100000 exceeded", 1, true))
  end)

  it("reports a syntax error with its line", function()
    local d, path = write_criteria("return {\n zones = {\n  { name = 'a' when = {} },\n } }\n")
    local ok, err = pcall(cbal.zoning.classify, path, { Q = { 1 } })
    tu.rmtree(d)
    assert.is_false(ok)
    assert.is_truthy(err:find(path .. ":3:", 1, true))
  end)

  it("rejects malformed criteria loudly", function()
    local vars = { ECC = { 1 }, ESC = { 1 } }
    assert.has_error(function() cbal.zoning.classify(default_copy{ treshold = 1 }, vars) end,
      "criteria table: unknown key 'treshold' in the criteria table (expected one of: "
      .. "name, description, year, tie, thresholds, zones, otherwise, variables)")
    assert.has_error(function() cbal.zoning.classify(default_copy{ tie = ">=" }, vars) end,
      "criteria table: option 'tie': unknown value '>=' (expected one of: upper, lower); upper: a "
      .. "value at the cut is high (>=), lower: it is low (high needs >)")
    assert.has_error(function()
      cbal.zoning.classify({ zones = { { name = "a", when = { Q = "high" } } } }, { Q = { 1 } })
    end, "criteria table: zone 'a': Q = \"high\" needs thresholds.Q")
    assert.has_error(function()
      cbal.zoning.classify({ zones = { { name = "a", when = { Z = { "<", 1 } } } } }, { Q = { 1 } })
    end, "criteria table: zone 'a' uses variable 'Z', which was not given")
    assert.has_error(function() cbal.zoning.classify(default_copy(), vars, { yaer = 1 }) end)
  end)
end)
