-- scripts/check_lengths.sh: every C and Lua function over the limit is
-- named by file:line, whatever its form; one at the limit passes.
local tu = require "testutil"

-- A C function of n lines (signature to closing brace) named name.
local function c_function(name, n)
  local t = { ("static int %s(int a,"):format(name), "                int b) {" }
  for i = 1, n - 4 do t[#t + 1] = ("  a += b * %d; /* { */"):format(i) end
  t[#t + 1] = "  return a;"
  t[#t + 1] = "}"
  return table.concat(t, "\n") .. "\n"
end

-- A Lua function of n lines; form is "local", "field" or "method".
local function lua_function(form, n)
  local head = ({ ["local"] = "local function helper(a)", field = "M.build = function(a)",
    method = "function M:run(a)" })[form]
  local t = { head }
  for i = 1, n - 2 do t[#t + 1] = ("  a = a + %d -- end"):format(i) end
  t[#t + 1] = "end"
  return table.concat(t, "\n") .. "\n"
end

describe("check_lengths", function()
  local dir
  before_each(function()
    dir = tu.tmpdir()
    assert.equal(0, (tu.sh("mkdir -p " .. dir .. "/runtime/core " .. dir .. "/lua/cbal/study")))
  end)
  after_each(function() tu.rmtree(dir) end)

  it("names each function over 80 lines by file and line", function()
    tu.write(dir .. "/runtime/core/a.c", "#include <stdio.h>\n" .. c_function("fits", 80)
      .. c_function("too_long", 81))
    tu.write(dir .. "/lua/cbal/study/b.lua", "local M = {}\n" .. lua_function("local", 81)
      .. lua_function("field", 80) .. lua_function("method", 90) .. lua_function("field", 85)
      .. "return M\n")
    local rc, out = tu.sh("bash scripts/check_lengths.sh " .. tu.quote(dir))
    assert.equal(1, rc)
    assert.equal("lua/cbal/study/b.lua:2: helper is 81 lines (at most 80)\n"
      .. "lua/cbal/study/b.lua:163: M:run is 90 lines (at most 80)\n"
      .. "lua/cbal/study/b.lua:253: M.build is 85 lines (at most 80)\n"
      .. "runtime/core/a.c:82: too_long is 81 lines (at most 80)\n"
      .. "check_lengths: 4 functions over 80 lines: split each into named pieces\n", out)
  end)

  it("passes a tree whose functions are all within the limit", function()
    tu.write(dir .. "/runtime/core/a.c", c_function("fits", 80))
    tu.write(dir .. "/lua/cbal/b.lua", lua_function("field", 80))
    local rc, out = tu.sh("bash scripts/check_lengths.sh " .. tu.quote(dir))
    assert.equal(0, rc, out)
    assert.equal("", out)
  end)
end)
