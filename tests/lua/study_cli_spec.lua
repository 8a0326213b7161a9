-- scripts/study.lua as a user runs it: exit codes and messages for a bad
-- description, an unknown option, and a failing run that leaves out alone.
local cbal = require "cbal"
local tu = require "testutil"

describe("cbal scripts/study.lua", function()
  local dir, data
  require("study_fixture").province(function(d, g) dir, data = d, g end)

  local function description(out, extra)
    return ([[
return {
  counties = { path = %q, layer = "counties", id = "code", name = "name", city = "city_en" },
  regions = { south = { "Zhenjiang" }, central = { "Yangzhou" }, north = { "Suqian" } },
  years = { 2000, 2004 },
  emissions = { table = %q },
  light = { path = %q }, npp = { path = %q, units = "kg C" },
  socio = { table = %q },
  periods = { { 2000, 2002 }, { 2002, 2004 } }, figures = false,
  out = %q, %s
}
]]):format(data.counties, data.emissions, data.light, data.npp, data.socio, out, extra or "")
  end

  it("explains a description that uses globals or does not parse", function()
    local d = dir .. "/globals.lua"
    tu.write(d, "local home = os.getenv('HOME')\nreturn {}\n")
    local rc, _, err = tu.run_cbal { "scripts/study.lua", d }
    assert.equal(1, rc)
    assert.truthy(err:find("study: description " .. d .. " failed: " .. d
      .. ":1: attempt to index a nil value (global 'os') (a description file only builds a table", 1, true), err)
    tu.write(d, "return { years = { 2000, 2004 }\n")
    rc, _, err = tu.run_cbal { "scripts/study.lua", d }
    assert.equal(1, rc)
    assert.truthy(err:find("study: cannot load the description: " .. d .. ":2:", 1, true), err)
  end)

  it("records a theme given by CBAL_THEME in the manifest, and checks it first", function()
    local theme, d = dir .. "/my_lab.lua", dir .. "/themed.lua"
    tu.write(theme, 'return { base = "nature", name = "my lab", font_size = 7 }\n')
    tu.write(d, description(dir .. "/themed"))
    local rc, _, err = tu.sh("CBAL_THEME=" .. tu.quote(theme) .. " " .. tu.quote(tu.cbal)
      .. " scripts/study.lua " .. tu.quote(d) .. " --quiet")
    assert.equal(0, rc, err)
    local man = tu.read(dir .. "/themed/manifest.json")
    assert.truthy(man:find('"theme": "CBAL_THEME=' .. theme .. '"', 1, true), man)
    assert.truthy(man:find('"role": "theme"', 1, true))
    rc, _, err = tu.sh("CBAL_THEME=natur " .. tu.quote(tu.cbal) .. " scripts/study.lua "
      .. tu.quote(d))
    assert.equal(1, rc)
    assert.truthy(err:find("study: the environment's CBAL_THEME: no built-in theme 'natur'", 1,
      true), err)
  end)

  it("prints its usage with -h and exits 0", function()
    for _, flag in ipairs({ "-h", "--help" }) do
      local rc, out, err = tu.run_cbal { "scripts/study.lua", flag }
      assert.equal(0, rc, err)
      assert.truthy(out:find("^usage: cbal scripts/study.lua DESCRIPTION.lua"), out)
      assert.truthy(out:find("--criteria FILE", 1, true), out)
      assert.equal("", err)
    end
  end)

  it("names an unknown option and exits 2", function()
    local rc, _, err = tu.run_cbal { "scripts/study.lua", dir .. "/x.lua", "--otu", "y" }
    assert.equal(2, rc)
    assert.truthy(err:find("study: unknown option '--otu'", 1, true), err)
    assert.truthy(err:find("usage: cbal scripts/study.lua", 1, true))
  end)

  it("runs, and a failing rerun exits 1 leaving the previous out intact", function()
    local out = dir .. "/out"
    local d = dir .. "/study.lua"
    tu.write(d, description(out, "quiet = true"))
    local rc, _, err = tu.run_cbal { "scripts/study.lua", d }
    assert.equal(0, rc, err)
    local man = tu.read(out .. "/manifest.json")
    -- the description itself is an input of the run, with its checksum
    local sha = cbal.sha256(d)
    assert.truthy(man:find('"path": "' .. d:gsub("%p", "%%%0") .. '",%s*"role": "description",%s*"sha256": "'
      .. sha .. '"'), man)
    tu.write(d, description(out, "quiet = true, light = { path = " .. ("%q"):format(data.light)
      .. ", nodta = { 0 } }"))
    rc, _, err = tu.run_cbal { "scripts/study.lua", d }
    assert.equal(1, rc)
    assert.truthy(err:find("study: unknown key 'nodta' in field 'light'", 1, true), err)
    assert.equal(man, tu.read(out .. "/manifest.json"))
    -- --out overrides the description's folder
    tu.write(d, description(out, "quiet = true"))
    rc = tu.run_cbal { "scripts/study.lua", d, "--out", dir .. "/other" }
    assert.equal(0, rc)
    assert.is_true(tu.exists(dir .. "/other/manifest.json"))
    assert.equal(man, tu.read(out .. "/manifest.json"))
  end)

  it("counts unclassified counties in the printed summary", function()
    local crit = dir .. "/one.lua"
    tu.write(crit, [[
return { name = "one", tie = "upper", year = "last", thresholds = { ECC = 1 },
  zones = { { name = "rich", when = { ECC = "high" } } } }
]])
    local d = dir .. "/sum.lua"
    tu.write(d, description(dir .. "/sum"))
    local rc, out, err = tu.run_cbal { "scripts/study.lua", d, "--criteria", crit }
    assert.equal(0, rc, err)
    local rich, rest = out:match("\n  zones: rich (%d+), unclassified (%d+)\n")
    assert.truthy(rich, out)
    local t = cbal.read_table(dir .. "/sum/t7_zone_counts.csv")
    assert.same({ "rich", "unclassified" }, t.zone)
    assert.same({ tonumber(rich), tonumber(rest) }, { t.counties[1], t.counties[2] })
  end)
end)
