-- Messages that name the thing at fault: criteria files that return a
-- function or recurse without end, error objects with __tostring, text that
-- is not UTF-8 (map labels, the manifest), and cbal.warnings() that reads
-- without clearing.
local cbal = require "cbal"
local tu = require "testutil"

-- 玄武区 in GBK (CP936) bytes, as a shapefile without a .cpg gives it
local GBK = "\208\254\206\228\199\248"

describe("messages", function()
  local dir
  before_each(function() dir = tu.tmpdir() end)
  after_each(function() tu.rmtree(dir) end)

  it("drops cbal's own positions from messages, however stacked, and keeps the user's", function()
    local message = require "cbal.message"
    assert.equal("crit.lua:3: 'io' is not available",
      message.user("/usr/share/cbal/lua/cbal/zoning.lua:60: lua/cbal/study.lua:52: crit.lua:3: 'io' is not available"))
    assert.equal("/home/me/my.lua:7: oops", message.user("/home/me/my.lua:7: oops"))
    assert.equal("oops", message.bare("/home/me/my.lua:7: oops"))
    local obj = setmetatable({}, { __tostring = function() return "x" end })
    assert.equal(obj, message.user(obj))
    assert.equal("x", message.bare(obj))
  end)

  it("says a criteria file returned a function, not userdata", function()
    local path = dir .. "/crit.lua"
    tu.write(path, "return function(row) return 1 end\n")
    assert.error_matches(function() cbal.zoning.load(path) end,
      "criteria file " .. path .. " must return a table, got function", nil, true)
    tu.write(path, "return 42\n")
    assert.error_matches(function() cbal.zoning.load(path) end, "must return a table, got number", nil, true)
    -- criteria and theme files load through one loader, with one wording
    -- and no library position
    for kind, load in pairs { criteria = cbal.zoning.load, theme = cbal.themes.load } do
      assert.has_error(function() load(path) end,
        ("%s file %s must return a table, got number"):format(kind, path))
      assert.has_error(function() load(dir .. "/none.lua") end,
        ("%s: cannot open %s file '%s/none.lua': No such file or directory"):format(kind, kind, dir))
    end
  end)

  it("says endless recursion in a criteria file is a stack overflow, with its line", function()
    local path = dir .. "/deep.lua"
    tu.write(path, "local function f(n)\n  return 1 + f(n + 1)\nend\nreturn f(1)\n")
    assert.error_matches(function() cbal.zoning.load(path) end,
      "criteria: " .. path .. ": stack overflow (calls nested deeper than 10000; a function "
      .. "that calls itself without end?) near line 2", nil, true)
    -- the same from a function the file returned, called later
    local sb = cbal.sandbox()
    local t = sb:dostring("local function g(n) return 1 + g(n) end return { g = g }", "rules.lua")
    assert.error_matches(function() t.g(1) end, "rules.lua: stack overflow", nil, true)
    -- a legitimately deep but finite recursion still runs
    assert.equal(5000, sb:dostring("local function d(n) if n == 0 then return 0 end "
      .. "return 1 + d(n - 1) end return d(5000)"))
    -- running out of memory without deep calls is still a memory error
    assert.error_matches(function()
      cbal.sandbox { memory = 1 << 20 }:dostring("local t = {} for i = 1, 1e7 do t[i] = i end", "big.lua")
    end, "big.lua: memory limit of 1048576 bytes exceeded", nil, true)
  end)

  it("shows a number raised in a criteria file", function()
    assert.error_matches(function() cbal.sandbox():dostring("error(42)", "n.lua") end,
      "n.lua: error 42", nil, true)
  end)

  it("shows the text of an error object with __tostring in the host", function()
    local code = "error(setmetatable({}, { __tostring = function() return 'a custom error object' end }))"
    local rc, _, err = tu.run_cbal { "-e", code }
    assert.equal(1, rc)
    assert.truthy(err:find("^cbal: a custom error object\n"), err)
    assert.truthy(err:find("stack traceback:", 1, true), err)
    rc, _, err = tu.run_cbal { "-e", "error({})" }
    assert.equal(1, rc)
    assert.truthy(err:find("^cbal: %(error object is a table value%)\n"), err)
  end)

  it("reads warnings without clearing them unless asked", function()
    cbal.warnings(true)
    cbal.warn("first")
    assert.same({ "first" }, cbal.warnings())
    assert.same({ "first" }, cbal.warnings())
    assert.same({ "first" }, cbal.warnings(false))
    assert.same({ "first" }, cbal.warnings(true))
    assert.same({}, cbal.warnings())
  end)

  it("names the map label that is not UTF-8, once, before drawing", function()
    local fig = cbal.figure { width_mm = 60, height_mm = 40 }
    local sq = function(x) return { { x, 0, x + 1, 0, x + 1, 1, x, 1 } } end
    local ok, err = pcall(function()
      fig:panel {}:map { polygons = { sq(0), sq(1), sq(2) }, values = { 1, 2, 3 },
        breaks = { 0, 2, 4 }, labels = { "南京", "苏州", GBK } }
    end)
    assert.is_false(ok)
    assert.truthy(err:find("labels[3] ('\\xd0\\xfe\\xce\\xe4\\xc7\\xf8') is not UTF-8 text "
      .. "(a name read from a file in another encoding? open it with encoding = \"GBK\"", 1, true), err)
  end)

  it("refuses manifest text that is not UTF-8, naming the field", function()
    local m = require "cbal.manifest"
    assert.error_matches(function()
      m.encode { title = "ok", inputs = { { path = "a.tif" }, { path = "data/" .. GBK .. ".tif" } } }
    end, "manifest: inputs[2].path ('data/\\xd0\\xfe\\xce\\xe4\\xc7\\xf8.tif') is not UTF-8 text",
      nil, true)
    assert.truthy(m.encode { title = "玄武区" }:find("玄武区", 1, true))
  end)
end)
