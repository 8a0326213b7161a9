-- The study's report as a list of items: every listed item loads with its
-- kind, inputs and build; build sees only its declared inputs; a new item
-- is one file plus one line in the list, and appears in the outputs and
-- report.html.
local cbal = require "cbal"
local syn = require "cbal.synthetic"
local report = require "cbal.report"
local tu = require "testutil"

describe("cbal.report", function()
  it("lists items that each declare their kind, inputs and build", function()
    local seen, n = {}, 0
    for _, e in ipairs(report.list) do
      if type(e) == "string" then
        assert.is_nil(seen[e], "listed twice: " .. e)
        seen[e] = true
        local it = report.item(e)
        assert.truthy(({ table = 1, figure = 1, layer = 1 })[it.kind], e)
        assert.equal("table", type(it.inputs), e)
        assert.equal("function", type(it.build), e)
        n = n + 1
      else
        assert.equal("string", type(e.heading))
      end
    end
    assert.truthy(n >= 22)
    assert.error_matches(function() report.item("t99_nothing") end, "report: no item 't99_nothing'")
  end)

  it("gives an item only the inputs it declares", function()
    local I = report.inputs({ years = { 2000 }, panel = {} }, "tx", { inputs = { "years" } })
    assert.same({ 2000 }, I.years)
    assert.error_matches(function() return I.panel end,
      "report: tx reads 'panel', which is not in its inputs")
    assert.error_matches(function() report.inputs({}, "tx", { inputs = { "lmdi" } }) end,
      "report: tx needs 'lmdi', which the study did not compute")
  end)

  it("writes a new table added as one file and one line of the list", function()
    local dir = tu.tmpdir()
    local data = syn.generate{ dir = dir .. "/data", small = true, quiet = true }
    package.loaded["cbal.report.tx_county_count"] = {
      kind = "table", inputs = { "panel", "years" },
      build = function(I)
        return { title = "Counties per year", columns = { "year", "counties" },
          rows = { { I.years[1], I.panel.n } }, note = "one extra table" }
      end,
    }
    table.insert(report.list, 2, "tx_county_count")
    local ok, S = pcall(cbal.study, require("study_fixture").desc(data, dir .. "/out",
      { figures = false }))
    table.remove(report.list, 2)
    package.loaded["cbal.report.tx_county_count"] = nil
    assert.is_true(ok, S)
    local t = cbal.read_table(dir .. "/out/tx_county_count.csv")
    assert.same({ 2000 }, t.year:totable())
    assert.same({ S.panel.n }, t.counties:totable())
    local html = tu.read(dir .. "/out/report.html")
    local at = html:find('<table id="tx_county_count">', 1, true)
    assert.truthy(at)
    -- in list order: after the county panel, before section 1
    assert.truthy(at < html:find("<h2>1. County emissions</h2>", 1, true))
    assert.truthy(html:find("<p>one extra table</p>", 1, true))
    assert.truthy(tu.read(dir .. "/out/manifest.json"):find("tx_county_count.csv", 1, true))
    tu.rmtree(dir)
  end)

  it("orders Fig. 4's regions by their cities' mean Q, skipping NaN, a region without Q last", function()
    local nan = 0 / 0
    local function region(title, ...)
      local series = {}
      for k, q in ipairs { ... } do series[k] = { y = { 1, q }, name = title .. k } end
      return { title = title, series = series }
    end
    for _ = 1, 20 do
      local groups = { region("苏北", 1.5, nan), region("苏中", nan, nan), region("苏南", 4, 2),
        region("浙北", 3, 3), region("皖南", nan), region("沪", 0.5) }
      for i = #groups, 2, -1 do
        local j = math.random(i)
        groups[i], groups[j] = groups[j], groups[i]
      end
      report.item("fig4_city_Q").order(groups, 2)
      local titles = {}
      for k, g in ipairs(groups) do titles[k] = g.title end
      -- 苏南 and 浙北 tie at 3 (by name), 苏北 is 1.5 (its NaN city skipped)
      assert.same({ "浙北", "苏南", "苏北", "沪", "皖南", "苏中" }, titles)
    end
  end)
end)
