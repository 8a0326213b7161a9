-- The criteria sandbox: every escape fails with a clear message naming the
-- file and line; budgets and memory caps hold even under the file's pcall.
local cbal = require "cbal"
local tu = require "testutil"

local function box(o) return cbal.sandbox(o or { budget = 1e6, memory = 1 << 20 }) end

local function fails(src, pattern, o)
  local ok, err = pcall(function() return box(o):dostring(src, "crit.lua") end)
  assert.is_false(ok, "expected an error for: " .. src)
  assert.is_truthy(tostring(err):find(pattern),
    ("message %q does not match %q"):format(tostring(err), pattern))
  return err
end

describe("cbal.sandbox", function()
  it("returns plain data and keeps functions callable inside", function()
    local sb = box()
    local r, extra = sb:dostring([[
      local cut = 1
      return { a = 1, b = { 2.5, "x", true }, f = function(v) return v.Q < cut, #v.list end }, 7
    ]], "crit.lua")
    assert.equal(1, r.a)
    assert.same({ 2.5, "x", true }, r.b)
    assert.equal(7, extra)
    local lt, len = r.f({ Q = 0.5, list = { 1, 2, 3 } })
    assert.is_true(lt)
    assert.equal(3, len)
    assert.is_false((r.f({ Q = 2, list = {} })))
    -- arrays cross as plain tables of numbers
    local _, n = r.f({ Q = 0, list = cbal.array{ 1, 2 } })
    assert.equal(2, n)
  end)

  it("keeps shared and cyclic tables intact when copying out", function()
    local r = box():dostring("local t = {} t.self = t local s = {1} return {t = t, a = s, b = s}")
    assert.equal(r.t, r.t.self)
    assert.equal(r.a, r.b)
  end)

  it("refuses io", function() fails("return io.open('/etc/passwd')", "crit.lua:1: 'io' is not available") end)
  it("refuses os", function() fails("\nreturn os.execute('true')", "crit.lua:2: 'os' is not available") end)
  it("refuses require", function() fails("return require('io')", "'require' is not available") end)
  it("refuses load", function() fails("return load('return 1')()", "'load' is not available") end)
  it("refuses loadfile and dofile", function()
    fails("return loadfile('/etc/passwd')", "'loadfile' is not available")
    fails("return dofile('/etc/passwd')", "'dofile' is not available")
  end)
  it("refuses debug", function() fails("return debug.getregistry()", "'debug' is not available") end)
  it("refuses collectgarbage", function() fails("collectgarbage()", "'collectgarbage' is not available") end)
  it("refuses string.dump", function()
    fails("return string.dump(function() end)", "'string.dump' is not available")
  end)
  it("refuses string.dump through the string metatable", function()
    fails("return getmetatable('').__index.dump(function() end)", "'string.dump' is not available")
    fails("return ('x').dump(function() end)", "'string.dump' is not available")
  end)
  it("keeps the environment's metatable hidden", function()
    local r = box():dostring("return getmetatable(_ENV)")
    assert.is_false(r)
  end)
  it("raises on unknown globals, read or write", function()
    fails("return foo + 1", "crit.lua:1: unknown global 'foo'")
    fails("x = 1", "crit.lua:1: cannot set global 'x'")
  end)
  it("never accepts bytecode", function()
    local bc = string.dump(function() return 1 end)
    fails(bc, "attempt to load a binary chunk")
  end)
  it("reports syntax errors with the line", function()
    fails("return {\n  a = 1,\n  b = = 2 }", "crit.lua:3:")
  end)

  it("stops an endless loop even under pcall", function()
    local t0 = os.clock()
    fails([[
      local n = 0
      while true do
        pcall(function() while true do n = n + 1 end end)
      end]], "crit.lua:%d+: instruction budget of 1000000 exceeded")
    assert.is_true(os.clock() - t0 < 5)
  end)
  it("refuses xpcall (a looping message handler would run without hooks)", function()
    fails([[
      while true do
        xpcall(function() while true do end end, function() while true do end end)
      end]], "'xpcall' is not available")
  end)
  it("keeps raising once the budget is spent", function()
    local sb = box()
    local r = sb:dostring("return function() local s = 0 for i = 1, 1e12 do s = s + i end return s end")
    assert.has_error(function() r() end)
    local ok, err = pcall(r)
    assert.is_false(ok)
    assert.is_truthy(err:find("instruction budget"))
  end)

  it("stops work that hides in few instructions by CPU time", function()
    -- each comparison of two 4 MB strings is one instruction
    local t0 = os.clock()
    fails([[
      local a, b = ('x'):rep(4000000), ('x'):rep(4000000)
      local n = 0
      while true do pcall(function() if a == b then n = n + 1 end end) end]],
      "crit.lua:%d+: time limit of 0.3 s exceeded", { memory = 16 << 20, budget = 1e15, seconds = 0.3 })
    assert.is_true(os.clock() - t0 < 3)
  end)

  it("refuses pattern matching, which can backtrack without bound", function()
    fails("return ('a'):rep(3000):find('.-.-b')", "string.find with a pattern is not available")
    fails("return ('abc'):match('b')", "'string.match' is not available")
    fails("return ('abc'):gsub('b', 'c')", "'string.gsub' is not available")
    fails("for w in ('a b'):gmatch('%a') do end", "'string.gmatch' is not available")
    local r = box():dostring("return { ('a.b'):find('.', 1, true), ('abc'):find('bc') }")
    assert.same({ 2, 2, 3 }, r) -- the first find is cut to one value
  end)

  it("stops an allocation bomb", function()
    fails("local t = {}\nfor i = 1, 1e9 do t[i] = {i} end", "crit.lua: memory limit of 1048576 bytes exceeded %(near line 2")
    fails("local s = string.rep('x', 1 << 30)",
      "crit.lua: a single string or table of 1073741824 bytes exceeds the sandbox's 4194304%-byte block limit")
    fails("local s = 'x' while true do s = s .. s end", "memory limit")
    fails("local s = 'x' while true do s = s .. s end", "block limit", { memory = 64 << 20 })
  end)
  it("survives an allocation bomb under pcall", function()
    local err = fails("local ok = pcall(function() local t = {} for i = 1, 1e9 do t[i] = i end end)\n"
      .. "local t = {} for i = 1, 1e9 do t[#t + 1] = ('y'):rep(100) end", "memory limit")
    assert.is_truthy(err)
  end)

  it("fails cleanly at every memory limit, loading or calling", function()
    -- as Lua's own allocation sweep: raise the cap step by step; every run
    -- either succeeds with the right result or fails with the memory message
    local src = "local t = {} for i = 1, 3000 do t[i] = ('v' .. i) end\n"
      .. "return { n = #t, f = function(x) local r = {} for i = 1, #x do r[i] = x[i] * 2 end return r end }"
    local seen = { load = 0, call = 0, ok = 0 }
    for mem = 180000, 480000, 4096 do
      local sb = cbal.sandbox{ memory = mem, budget = 1e7 }
      local ok, r = pcall(sb.dostring, sb, src, "crit.lua")
      if not ok then
        assert.is_truthy(r:find("crit.lua: memory limit of " .. mem .. " bytes exceeded", 1, true), r)
        seen.load = seen.load + 1
      else
        assert.equal(3000, r.n)
        local ok2, out = pcall(r.f, cbal.array(6000, 1))
        if ok2 then
          assert.equal(2, out[6000])
          seen.ok = seen.ok + 1
        else
          assert.is_truthy(out:find("memory limit of " .. mem, 1, true), out)
          seen.call = seen.call + 1
        end
      end
      assert.is_true(sb:stats().memory <= mem)
      sb:close()
    end
    assert.is_true(seen.load > 0 and seen.call > 0 and seen.ok > 0)
  end)

  it("names the file of dofile in messages", function()
    local d = tu.tmpdir()
    tu.write(d .. "/c.lua", "-- criteria\nlocal f = io.open('x')\n")
    local ok, err = pcall(function() return box():dofile(d .. "/c.lua") end)
    tu.rmtree(d)
    assert.is_false(ok)
    assert.is_truthy(err:find(d .. "/c.lua:2: 'io' is not available", 1, true))
  end)
  it("reports a missing file", function()
    assert.has_error(function() box():dofile("/nonexistent/crit.lua") end,
      "cannot open criteria file '/nonexistent/crit.lua': No such file or directory")
  end)

  it("rejects unknown options and closes idempotently", function()
    assert.has_error(function() cbal.sandbox{ budgt = 1 } end)
    local sb = box()
    sb:close()
    sb:close()
    assert.has_error(function() sb:dostring("return 1") end, "attempt to use a closed sandbox")
  end)
  it("counts instructions and memory", function()
    local sb = box()
    sb:dostring("local s = 0 for i = 1, 10000 do s = s + i end return s")
    local st = sb:stats()
    assert.is_true(st.instructions >= 10000)
    assert.is_true(st.memory > 0 and st.memory <= st.memory_limit)
    assert.is_true(st.seconds > 0 and st.seconds < st.seconds_limit)
  end)
end)
