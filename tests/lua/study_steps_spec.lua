-- The study as an ordered list of steps, each declaring the description
-- fields it reads: a new option is a new step file plus one line.
local cbal = require "cbal"
local syn = require "cbal.synthetic"
local study = require "cbal.study"
local tu = require "testutil"

describe("cbal.study steps", function()
  it("loads every step, each with run and declared fields", function()
    local fields = {}
    for _, name in ipairs(study.STEPS) do
      local st = require(name)
      assert.equal("function", type(st.run), name)
      for _, f in ipairs(st.fields or {}) do
        assert.is_nil(fields[f[1]], "field declared twice: " .. f[1])
        fields[f[1]] = true
      end
    end
    for _, k in ipairs({ "counties", "years", "emissions", "light", "npp", "socio", "out",
                         "criteria", "coverage", "periods", "map_years" }) do
      assert.is_true(fields[k], k)
    end
  end)

  it("loads and runs the criteria file once per study", function()
    local dir = tu.tmpdir()
    local data = syn.generate{ dir = dir .. "/data", small = true, quiet = true }
    -- each run of a criteria file is a new sandbox
    local sandbox, n = cbal.sandbox, 0
    cbal.sandbox = function(...) n = n + 1; return sandbox(...) end
    local ok, S = pcall(cbal.study, require("study_fixture").desc(data, dir .. "/out",
      { figures = false, criteria = "default" }))
    cbal.sandbox = sandbox
    assert.is_true(ok, S)
    assert.equal(1, n)
    assert.equal("four carbon zones by ECC and ESC (cuts at 1)", S.zone_info.criteria)
    tu.rmtree(dir)
  end)

  it("takes a new option from a step of its own", function()
    local dir = tu.tmpdir()
    local data = syn.generate{ dir = dir .. "/data", small = true, quiet = true }
    local d = require("study_fixture").desc(data, dir .. "/out", { figures = false,
      extra = { factor = 2 } })
    local ok, err = pcall(study.check, d)
    assert.is_false(ok)
    assert.truthy(err:find("^study: unknown key 'extra' in the description"), err)
    local seen
    package.loaded["cbal.study.tx_extra"] = {
      fields = { { "extra", keys = { "factor" }, needs = "factor" } },
      run = function(S, desc) seen = S.prov[2000].C * desc.extra.factor end,
    }
    table.insert(study.STEPS, "cbal.study.tx_extra")
    d.extra = { factr = 2 }
    local ok2, err2 = pcall(study.check, d)
    d.extra = { factor = 2 }
    local ok3, S = pcall(cbal.study, d)
    table.remove(study.STEPS)
    package.loaded["cbal.study.tx_extra"] = nil
    assert.is_false(ok2)
    assert.truthy(err2:find("unknown key 'factr' in field 'extra' (expected one of: factor)", 1, true), err2)
    assert.is_true(ok3, S)
    assert.equal(2 * S.prov[2000].C, seen)
    tu.rmtree(dir)
  end)
end)
