-- cbal.array: constructors, indexing, arithmetic, masks, reductions, NaN policy.
local cbal = require "cbal"
local nan = 0 / 0

describe("cbal.array", function()
  it("is told from other values by cbal.type, as other cbal types are", function()
    assert.equal("cbal.Array", cbal.type(cbal.array { 1 }))
    assert.equal("cbal.Panel", cbal.type(cbal.panel.new { ids = { 1 } }))
    assert.equal("table", cbal.type({ 1 }))
    assert.equal("table", cbal.type(setmetatable({}, { __name = "other.Thing" })))
    assert.equal("number", cbal.type(1))
    assert.equal("nil", cbal.type(nil))
    local sb = cbal.sandbox {}
    assert.equal("cbal.SandboxFunction", cbal.type(sb:dostring("return function() end")))
  end)

  it("builds from a table, a length and fill, a copy and a sequence", function()
    local a = cbal.array { 1, 2, 3 }
    assert.equal(3, #a)
    assert.equal(2, a[2])
    local b = cbal.array(4, 7.5)
    assert.equal(4, #b)
    assert.equal(7.5, b[4])
    assert.equal(0, cbal.array(2)[1])
    local c = cbal.array(a)
    c[1] = 10
    assert.equal(1, a[1])
    assert.same({ 1, 1.5, 2 }, cbal.seq(1, 2, 0.5):totable())
    assert.same({ 3, 2, 1 }, cbal.seq(3, 1, -1):totable())
    assert.equal(0, #cbal.seq(2, 1))
    assert.equal(0, #cbal.array {})
  end)

  it("rejects non-numbers in a table, naming the element", function()
    assert.error_matches(function() cbal.array { 1, "x", 3 } end, "element 2 is a string")
    assert.error_matches(function() cbal.array(-1) end, "length must be >= 0")
    assert.error_matches(function() cbal.seq(1, 2, 0) end, "step must be non%-zero")
  end)

  it("indexes 1-based with bounds checks", function()
    local a = cbal.array { 1, 2 }
    assert.error_matches(function() return a[0] end, "index 0 out of range %(length 2%)")
    assert.error_matches(function() return a[3] end, "index 3 out of range")
    assert.error_matches(function() return a[2 ^ 32 + 1] end, "index 4294967297 out of range")
    assert.error_matches(function() a[3] = 1 end, "out of range")
    assert.error_matches(function() return a[1.5] end, "must be an integer")
    a[2] = nil
    assert.is_true(a[2] ~= a[2])
  end)

  it("does element-wise arithmetic with arrays and numbers", function()
    local a, b = cbal.array { 1, 2, 3 }, cbal.array { 4, 5, 6 }
    assert.same({ 5, 7, 9 }, (a + b):totable())
    assert.same({ -3, -3, -3 }, (a - b):totable())
    assert.same({ 4, 10, 18 }, (a * b):totable())
    assert.same({ 0.25, 0.4, 0.5 }, (a / b):totable())
    assert.same({ 2, 4, 6 }, (2 * a):totable())
    assert.same({ 9, 8, 7 }, (10 - a):totable())
    assert.same({ 1, 4, 9 }, (a ^ 2):totable())
    assert.same({ -1, -2, -3 }, (-a):totable())
  end)

  it("raises on length mismatch naming both lengths", function()
    local a, b = cbal.array { 1, 2, 3 }, cbal.array { 1, 2 }
    assert.error_matches(function() return a + b end, "length mismatch in add: 3 vs 2")
    assert.error_matches(function() return a:gt(b) end, "3 vs 2")
    assert.error_matches(function() return a + "x" end, "attempt to add a cbal.Array and a string")
  end)

  it("compares into 0/1 masks, missing stays missing", function()
    local q = cbal.array { 0.5, 1, 4, nan }
    local m = q:gt(1)
    assert.equal(0, m[1]); assert.equal(0, m[2]); assert.equal(1, m[3])
    assert.is_true(m[4] ~= m[4])
    assert.equal(1, m:sum())
    assert.equal(2, q:ge(1):sum())
    assert.equal(1, q:lt(1):sum())
    assert.equal(2, q:le(1):sum())
    assert.equal(1, q:eq(4):sum())
    assert.equal(2, q:ne(4):sum())
    assert.same({ 0, 0, 4, 0 }, q:where(m, 0):totable())
  end)

  it("reduces skipping missing values (the stated NaN policy)", function()
    local a = cbal.array { 2, nan, 4 }
    assert.equal(6, a:sum())
    assert.equal(3, a:mean())
    assert.equal(2, a:min())
    assert.equal(4, a:max())
    assert.equal(2, a:count())
    local none = cbal.array { nan, nan }
    assert.equal(0, none:sum())
    assert.equal(0, none:count())
    assert.is_true(none:mean() ~= none:mean())
    assert.is_true(none:min() ~= none:min())
    assert.is_true(none:max() ~= none:max())
  end)

  it("converts to tables, with or without a fill for missing", function()
    local a = cbal.array { 1, nan, 3 }
    local t = a:totable()
    assert.equal(1, t[1]); assert.is_nil(t[2]); assert.equal(3, t[3])
    assert.same({ 1, false, 3 }, a:totable(false))
    assert.same({ 0, 1, 0 }, a:isnan():totable())
    assert.same({ 2, 3 }, cbal.array { 1, 2, 3 }:slice(2):totable())
    assert.same({ 2 }, cbal.array { 1, 2, 3 }:slice(2, -2):totable())
  end)

  it("prints readably", function()
    assert.equal("cbal.array(3): [1, nan, 2.5]", tostring(cbal.array { 1, nan, 2.5 }))
    local long = tostring(cbal.seq(1, 100))
    assert.truthy(long:find("^cbal.array%(100%): %[1, 2,"))
    assert.truthy(long:find(", %.%.%., 100%]$"))
  end)

  it("compares whole arrays with == (missing equals missing)", function()
    assert.is_true(cbal.array { 1, nan } == cbal.array { 1, nan })
    assert.is_false(cbal.array { 1, 2 } == cbal.array { 1, 3 })
    assert.is_false(cbal.array { 1 } == cbal.array { 1, 1 })
  end)

  it("offers element-wise math", function()
    local a = cbal.array { 1, 4 }
    assert.same({ 1, 2 }, a:sqrt():totable())
    assert.same({ 0, math.log(4) }, a:log():totable())
    assert.same({ 1, 4 }, (-a):abs():totable())
    assert.near(math.exp(1), a:exp()[1], 1e-15)
  end)

  it("reports the native type in argument errors", function()
    assert.error_matches(function() cbal.array { 1 }.sum(nil) end, "cbal.Array expected, got nil")
  end)
end)

describe("cbal module", function()
  it("exposes versions and raises on unknown names", function()
    assert.equal("string", type(cbal.version))
    assert.truthy(cbal.gdal_version:match("^%d+%.%d+"))
    assert.truthy(cbal.lua_version:match("^Lua 5%.4"))
    assert.error_matches(function() return cbal.no_such_function end, "cbal has no field 'no_such_function'")
  end)

  it("tells elapsed wall time with cbal.now", function()
    local t0, c0 = cbal.now(), os.clock()
    os.execute("sleep 0.2")
    local dt = cbal.now() - t0
    assert.truthy(dt >= 0.19 and dt < 5, dt)
    assert.truthy(os.clock() - c0 < 0.1) -- sleeping costs no CPU: not os.clock
  end)

  it("keeps warnings for scripts and tests to read", function()
    cbal.warnings(true)
    cbal.warn("county 320102 excluded")
    local w = cbal.warnings(true)
    assert.same({ "county 320102 excluded" }, w)
    assert.same({}, cbal.warnings())
  end)
end)
