-- The cbal command line: options, arguments, exit codes, tracebacks, REPL,
-- module paths. Runs build/cbal (or $CBAL_BUILD/cbal) as a user would.
local T = require "testutil"

local function script(dir, name, body)
  local p = dir .. "/" .. name
  T.write(p, body)
  return p
end

describe("cbal command line", function()
  local dir
  before_each(function() dir = T.tmpdir() end)
  after_each(function() T.rmtree(dir) end)

  it("prints versions of cbal, Lua and GDAL", function()
    local rc, out = T.run_cbal { "-v" }
    assert.equal(0, rc)
    assert.truthy(out:match("^cbal %d+%.%d+%.%d+ %(Lua 5%.4%.%d+, GDAL %d+%.%d+"))
    local rc2, out2 = T.run_cbal { "--version" }
    assert.equal(0, rc2)
    assert.equal(out, out2)
  end)

  it("prints help and exits 0", function()
    local rc, out = T.run_cbal { "--help" }
    assert.equal(0, rc)
    assert.truthy(out:find("usage: cbal %[options%] %[script %[args%]%]"))
    assert.truthy(out:find("cbal run script"))
  end)

  it("exits 2 on usage errors", function()
    local rc, _, err = T.run_cbal { "--nope" }
    assert.equal(2, rc)
    assert.truthy(err:find("cbal: unrecognized option '%-%-nope'"))
    rc, _, err = T.run_cbal { "-e" }
    assert.equal(2, rc)
    assert.truthy(err:find("'%-e' needs an argument"))
    rc = T.run_cbal { "run" }
    assert.equal(2, rc)
  end)

  it("passes arguments as arg and as ...", function()
    local p = script(dir, "s.lua", [[
      local a, b = ...
      print(arg[0], arg[1], arg[2], a, b, #arg, select('#', ...))
    ]])
    local rc, out = T.run_cbal { p, "2021", "x y" }
    assert.equal(0, rc)
    assert.equal(p .. "\t2021\tx y\t2021\tx y\t2\t2\n", out)
  end)

  it("treats 'cbal run SCRIPT' as an alias", function()
    local p = script(dir, "s.lua", "print(..., arg[0])")
    local rc, out = T.run_cbal { "run", p, "2021" }
    assert.equal(0, rc)
    assert.equal("2021\t" .. p .. "\n", out)
  end)

  it("runs -e statements and -l modules in order before the script", function()
    T.write(dir .. "/mymod.lua", "return { n = 42 }")
    local rc, out = T.sh("cd " .. dir .. " && LUA_PATH='./?.lua;;' " .. T.quote(os.getenv("PWD") .. "/" .. T.cbal)
      .. " -e 'x = 1' -l mymod -l m2=mymod -e 'print(x, mymod.n, m2.n)'")
    assert.equal(0, rc)
    assert.equal("1\t42\t42\n", out)
  end)

  it("reports errors as cbal: file:line: message with the user's frames, exit 1", function()
    local p = script(dir, "bad.lua", [[
local cbal = require "cbal"
local function county_total(a)
  return a[5]
end
county_total(cbal.array { 1, 2 })
]])
    local rc, out, err = T.run_cbal { p }
    assert.equal(1, rc)
    assert.equal("", out)
    assert.truthy(err:find("^cbal: " .. p:gsub("%p", "%%%0") .. ":3: array index 5 out of range %(length 2%)\n"))
    assert.truthy(err:find("stack traceback:", 1, true))
    assert.truthy(err:find(":3: in .*county_total"))
    assert.truthy(err:find(":5: in main chunk"))
    assert.falsy(err:find("[C]", 1, true))
    local rc2, _, err2 = T.run_cbal { "--traceback", p }
    assert.equal(1, rc2)
    assert.truthy(err2:find("[C]: in", 1, true))
  end)

  it("prints no empty traceback when every frame is cbal's own", function()
    os.execute("mkdir -p " .. dir .. "/lua/cbal")
    local p = script(dir, "lua/cbal/boom.lua", "error('counties.id: no field adcod', 0)")
    local rc, _, err = T.run_cbal { p }
    assert.equal(1, rc)
    assert.equal("cbal: counties.id: no field adcod\n", err)
  end)

  it("reports error() with a non-string value and a syntax error", function()
    local p = script(dir, "t.lua", "error({})")
    local rc, _, err = T.run_cbal { p }
    assert.equal(1, rc)
    assert.truthy(err:find("error object is a table value"))
    p = script(dir, "syn.lua", "x = = 1")
    rc, _, err = T.run_cbal { p }
    assert.equal(1, rc)
    assert.truthy(err:find("^cbal: .*syn.lua:1: unexpected symbol"))
  end)

  it("puts GDAL's own failure text into the error, never printed raw", function()
    T.write(dir .. "/notraster.tif", "this is not a tiff")
    local rc, out, err = T.run_cbal { "-e", "require('cbal').open_raster('" .. dir .. "/notraster.tif')" }
    assert.equal(1, rc)
    assert.equal("", out)
    assert.truthy(err:find("^cbal: %(command line%):1: .*notraster%.tif.*not recognized as a supported file format"))
    assert.falsy(err:find("ERROR %d"))
  end)

  it("names a missing script", function()
    local rc, _, err = T.run_cbal { dir .. "/missing.lua" }
    assert.equal(1, rc)
    assert.truthy(err:find("cannot open .*missing.lua"))
  end)

  it("runs standard input with - or when stdin is not a terminal", function()
    local rc, out = T.run_cbal({ "-", "a" }, "print('in', ...)")
    assert.equal(0, rc)
    assert.equal("in\ta\n", out)
    rc, out = T.run_cbal({}, "print(1 + 1)")
    assert.equal(0, rc)
    assert.equal("2\n", out)
  end)

  it("with -i prints expression values and continues incomplete lines", function()
    local rc, out, err = T.run_cbal({ "-i" }, "1 + 1\nlocal cbal = require 'cbal'\nfunction f(x)\n  return x * 3\nend\nf(2)\nerror('oops')\n'still here'\n")
    assert.equal(0, rc)
    assert.equal("2\n6\nstill here\n", out)
    assert.truthy(err:find("oops"))
  end)

  it("starts a prompt on a terminal", function()
    local rc, out = T.sh("script -qec " .. T.quote(T.cbal) .. " /dev/null", "print(40 + 2)\n")
    assert.equal(0, rc)
    assert.truthy(out:find("cbal %d+%.%d+%.%d+ %(Lua"))
    assert.truthy(out:find("> "))
    assert.truthy(out:find("42"))
  end)

  it("draws progress bars on a terminal, plain lines in a log", function()
    local code = "local b <close> = require('cbal').progress('zonal statistics', 4) "
      .. "for i = 1, 4 do b:update(i) end print(b:active())"
    local rc, out = T.sh("CBAL_QUIET= script -qec " .. T.quote(T.cbal .. " -e " .. T.quote(code)) .. " /dev/null")
    assert.equal(0, rc)
    assert.truthy(out:find("zonal statistics [##########", 1, true))
    assert.truthy(out:find("100.0%", 1, true))
    -- a log (stderr to a file) gets plain lines, never a \r
    local rc2, out2, err2 = T.sh("CBAL_QUIET= " .. T.cbal .. " -e " .. T.quote(code))
    assert.equal(0, rc2)
    assert.equal("false\n", out2)
    assert.equal("zonal statistics: 25%\nzonal statistics: 50%\nzonal statistics: 75%\n"
      .. "zonal statistics: 100%\n", err2)
    local _, _, err4 = T.sh("CBAL_QUIET=1 " .. T.cbal .. " -e " .. T.quote(code))
    assert.equal("", err4)
    local rc3, _, err3 = T.run_cbal { "-e", "require('cbal').progress('x', 0)" }
    assert.equal(1, rc3)
    assert.truthy(err3:find("total must be > 0"))
  end)

  it("finds its own Lua library and honours CBAL_PATH and LUA_PATH", function()
    local rc, out = T.sh("cd / && " .. T.quote(os.getenv("PWD") .. "/" .. T.cbal)
      .. " -e 'print(require(\"cbal\").version)'")
    assert.equal(0, rc)
    assert.truthy(out:match("^%d+%.%d+%.%d+\n$"))
    os.execute("mkdir -p " .. dir .. "/a " .. dir .. "/b")
    T.write(dir .. "/a/study_helpers.lua", "return 'from CBAL_PATH'")
    T.write(dir .. "/b/other.lua", "return 'from LUA_PATH'")
    rc, out = T.sh("CBAL_PATH=" .. dir .. "/a LUA_PATH='" .. dir .. "/b/?.lua;;' " .. T.cbal
      .. " -e 'print((require \"study_helpers\"), (require \"other\"))'")
    assert.equal(0, rc)
    assert.equal("from CBAL_PATH\tfrom LUA_PATH\n", out)
  end)

  it("uses the built-in native module, not a core.so on the path", function()
    local rc, out = T.sh("LUA_CPATH='/nonexistent/?.so' " .. T.cbal
      .. " -e 'print(package.preload[\"cbal.core\"] ~= nil, require(\"cbal\").array{1,2}:sum())'")
    assert.equal(0, rc)
    assert.equal("true\t3.0\n", out)
  end)

  it("loads as a module in stock lua5.4", function()
    local pre = T.asan_preload and "LD_PRELOAD=" .. T.quote(T.asan_preload) .. " " or ""
    local rc, out = T.sh(pre .. "lua5.4 -e 'package.cpath=\"" .. T.build .. "/lib/?.so;\"..package.cpath; "
      .. "package.path=\"lua/?.lua;lua/?/init.lua;\"..package.path' -e 'print(require(\"cbal\").array{1,2,3}:sum())'")
    assert.equal(0, rc)
    assert.equal("6.0\n", out)
  end)

  it("installs under a prefix and runs from there", function()
    if os.getenv("CBAL_SANITIZE") then return end -- the install copies the plain build
    local rc = T.sh("make -s install PREFIX=" .. dir .. "/inst BUILD=" .. T.build)
    assert.equal(0, rc)
    local out
    rc, out = T.sh("cd / && " .. dir .. "/inst/bin/cbal -e 'print(package.searchpath(\"cbal\", package.path))'")
    assert.equal(0, rc)
    assert.equal(dir .. "/inst/bin/../share/cbal/lua/cbal/init.lua\n", out)
  end)
end)
