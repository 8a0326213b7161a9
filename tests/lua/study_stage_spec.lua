-- The output folder of a study appears whole or not at all: the manifest
-- is written into the staging folder, which mkdtemp creates exclusively;
-- out is swapped in one exchange (or, without one, by renames that a killed
-- run's successor recovers); Ctrl-C removes the staging folder.
local cbal = require "cbal"
local stage = require "cbal.study.stage"
local tu = require "testutil"

local desc = require("study_fixture").desc_tables

local function ls(d)
  local _, out = tu.sh("ls -A " .. tu.quote(d))
  return out
end

describe("study staging and publishing", function()
  local dir, data
  require("study_fixture").province(function(d, g) dir, data = d, g end)

  it("creates folders exclusively and exchanges two folders in one step", function()
    local a = cbal.mkdtemp(dir .. "/x.partial-")
    local b = cbal.mkdtemp(dir .. "/x.partial-")
    assert.truthy(a:match("x%.partial%-%w%w%w%w%w%w$"), a)
    assert.are_not.equal(a, b)
    tu.write(a .. "/f", "a")
    tu.write(b .. "/f", "b")
    assert.is_true(cbal.exchange(a, b))   -- tmpfs and ext4 both have RENAME_EXCHANGE
    assert.equal("b", tu.read(a .. "/f"))
    assert.equal("a", tu.read(b .. "/f"))
    assert.error_matches(function() cbal.exchange(a, dir .. "/none") end, "cannot exchange")
    assert.error_matches(function() cbal.mkdtemp(dir .. "/no/such/x-") end, "cannot create a folder")
  end)

  it("makes folders with their parents, whatever their names, and names one it cannot make", function()
    local d = dir .. "/it's a \"dir\" $(touch x)/江苏/b"
    cbal.mkdir(d)
    cbal.mkdir(d .. "/") -- an existing folder is fine
    assert.equal(0, (tu.sh("test -d " .. tu.quote(d))))
    assert.is_false(tu.exists(dir .. "/x"))
    tu.write(dir .. "/file", "x")
    assert.error_matches(function() cbal.mkdir(dir .. "/file") end,
      "cannot create the folder '" .. dir .. "/file': a file of that name exists", 1, true)
    assert.error_matches(function() cbal.mkdir(dir .. "/file/sub/c") end,
      "cannot create the folder '" .. dir .. "/file/sub': Not a directory", 1, true)
    assert.error_matches(function() cbal.mkdir("") end, "empty name")
    local _, out = tu.sh("grep -rn 'mkdir -p' lua/cbal")
    assert.equal("", out) -- the one way: cbal.mkdir
  end)

  it("writes the manifest into the staging folder before publishing", function()
    local publish, staged = stage.publish, nil
    stage.publish = function(tmp, out)
      staged = ls(tmp)
      return publish(tmp, out)
    end
    local ok, err = pcall(cbal.study, desc(data, dir .. "/man/out"))
    stage.publish = publish
    assert.is_true(ok, err)
    assert.truthy(staged:find("manifest.json\n", 1, true), staged)
    assert.equal("out\n", ls(dir .. "/man"))
  end)

  it("never reuses a staging folder a killed run left behind", function()
    local out = dir .. "/reuse/out"
    tu.sh("mkdir -p " .. tu.quote(dir .. "/reuse"))
    -- the names os.time() and a reseeded math.random would give
    local seed = 12345
    math.randomseed(seed)
    local r = math.random(1, 1 << 30)
    for _, t in ipairs({ os.time(), os.time() + 1 }) do
      local stale = ("%s.partial-%d-%d"):format(out, t, r)
      tu.sh("mkdir -p " .. tu.quote(stale))
      tu.write(stale .. "/stale.csv", "x\n1\n")
    end
    math.randomseed(seed)
    cbal.warnings(true)
    cbal.study(desc(data, out))
    assert.is_false(tu.exists(out .. "/stale.csv"))
    local w = table.concat(cbal.warnings(true), "\n")
    assert.truthy(w:find("is left from an interrupted run (incomplete); remove it", 1, true), w)
  end)

  it("replaces out by an exchange, leaving nothing beside it", function()
    local out = dir .. "/ex/out"
    cbal.study(desc(data, out))
    local exchange, used = stage.exchange, 0
    stage.exchange = function(a, b) used = used + 1; return exchange(a, b) end
    tu.write(out .. "/stale.csv", "x\n")
    local ok, err = pcall(cbal.study, desc(data, out))
    stage.exchange = exchange
    assert.is_true(ok, err)
    assert.equal(1, used)
    assert.is_false(tu.exists(out .. "/stale.csv"))
    assert.equal("out\n", ls(dir .. "/ex"))
  end)


  it("recovers the result of a run killed between its two renames", function()
    local out = dir .. "/kill/out"
    cbal.study(desc(data, out))
    local script = dir .. "/killed.lua"
    tu.write(script, ([[
package.path = "tests/lua/?.lua;" .. package.path
local stage = require "cbal.study.stage"
stage.exchange = function() return false end
local rename, k = stage.rename, 0
stage.rename = function(a, b)
  k = k + 1
  if k == 2 then os.exit(9) end
  return rename(a, b)
end
local data = { counties = %q, emissions = %q, light = %q, npp = %q, socio = %q }
require("cbal").study(require("study_fixture").desc(data, %q, { figures = false, title = "second run" }))
]]):format(data.counties, data.emissions, data.light, data.npp, data.socio, out))
    local rc = tu.run_cbal { script }
    assert.equal(9, rc)
    -- killed: no out, the old result and the complete new one beside it
    assert.is_false(tu.exists(out .. "/manifest.json"))
    local beside = ls(dir .. "/kill")
    assert.truthy(beside:find("out.old-", 1, true) and beside:find("out.partial-", 1, true), beside)
    cbal.warnings(true)
    local back = stage.recover(out)
    assert.truthy(back:find("out.partial-", 1, true), back)
    assert.truthy(tu.read(out .. "/report.html"):find("second run", 1, true))
    assert.truthy(tu.exists(out .. "/manifest.json"))
    assert.equal("out\n", ls(dir .. "/kill"))
    assert.truthy(table.concat(cbal.warnings(true), "\n"):find("killed while publishing", 1, true))
  end)

  it("removes the staging folder on Ctrl-C and leaves out as it was", function()
    local out = dir .. "/int/out"
    cbal.study(desc(data, out))
    local before = tu.read(out .. "/manifest.json")
    -- a criteria file slow to load (about 1 s, within its instruction
    -- budget), so the signal arrives mid-run
    local crit = dir .. "/slow.lua"
    tu.write(crit, "local x = 0\nfor i = 1, 1.5e7 do x = x + i end\n"
      .. "return { zones = { { name = 'all', when = {} } } }\n")
    local d = dir .. "/int.lua"
    tu.write(d, ([[return { counties = { path = %q, layer = "counties", id = "code", name = "name",
      city = "city_en" }, regions = { south = { "Zhenjiang" }, central = { "Yangzhou" },
      north = { "Suqian" } }, years = { 2000, 2004 }, emissions = { table = %q },
      light = { path = %q }, npp = { path = %q, units = "kg C" }, socio = { table = %q },
      criteria = %q, figures = false, quiet = true, out = %q }]]):format(data.counties,
      data.emissions, data.light, data.npp, data.socio, crit, out))
    local rc, res = tu.sh(("{ %s scripts/study.lua %s 2>%s & pid=$!; "
      .. "for i in $(seq 1 1000); do ls -d %s.partial-* >/dev/null 2>&1 && break; sleep 0.005; done; "
      .. "kill -INT $pid; wait $pid; echo \"rc=$?\"; cat %s; }"):format(tu.cbal, tu.quote(d),
      tu.quote(dir .. "/int.err"), tu.quote(out), tu.quote(dir .. "/int.err")))
    assert.equal(0, rc)
    assert.truthy(res:find("rc=1\n", 1, true), res)
    assert.truthy(res:find("interrupted!", 1, true), res)
    assert.equal("out\n", ls(dir .. "/int"))
    assert.equal(before, tu.read(out .. "/manifest.json"))
  end)
end)
