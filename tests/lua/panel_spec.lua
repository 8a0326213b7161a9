-- The panel: ids, per-(variable, year) arrays, missing years, joins with a
-- report of unmatched ids; aggregation to city/region/province and AAGR.
local cbal = require "cbal"
local tu = require "testutil"

local function close(a, b, tol)
  tol = tol or 1e-12
  assert.is_true(math.abs(a - b) <= tol * math.max(1, math.abs(a), math.abs(b)),
    ("%.17g vs %.17g"):format(a, b))
end

local function three()
  return cbal.panel.new{ ids = { 320102, "320104", " 320105 " },
    names = { "Xuanwu", "Qinhuai", "Jianye" }, city = { "Nanjing", "Nanjing", "Wuxi" },
    region = { "south", "south", "south" } }
end

describe("cbal.panel", function()
  before_each(function() cbal.warnings(true) end)

  it("lists the years of a span and names year ranges", function()
    local panel = require "cbal.panel"
    assert.same({ 2000, 2001, 2002 }, panel.span(2000, 2002))
    assert.same({ 2005 }, panel.span(2005, 2005))
    assert.same({}, panel.span(2003, 2002))
    assert.equal("2000-2002, 2005", panel.ranges{ 2000, 2001, 2002, 2005 })
  end)

  it("keeps ids as 6-digit strings and arrays per (variable, year)", function()
    local p = three()
    assert.same({ "320102", "320104", "320105" }, p.ids)
    assert.equal(2, p.index["320104"])
    p:set("C", 2000, { 1, 2, 3 })
    p:set("C", 2001, cbal.array{ 2, 2, 2 })
    assert.same({ 2000, 2001 }, p:years("C"))
    assert.equal(3, p:get("C", 2000)[3])
    close(1.5, p:mean("C", { 2000, 2001 })[1])
    assert.has_error(function() p:set("C", 2002, { 1 }) end,
      "panel:set: 'C' 2002 has 1 values, expected 3 (one per county)")
  end)

  it("raises on a missing year naming the variable and year", function()
    local p = three()
    for _, y in ipairs{ 2000, 2001, 2002, 2004 } do p:set("N", y, { 1, 1, 1 }) end
    assert.has_error(function() p:get("N", 2003) end,
      "panel: variable 'N' has no year 2003 (years: 2000-2002, 2004)")
    assert.has_error(function() p:get("X", 2003) end,
      "panel: no variable 'X' (variables: N)")
  end)

  it("rejects duplicate ids", function()
    assert.has_error(function() cbal.panel.new{ ids = { "1", 1.0 } } end,
      "cbal.panel.new: id 1 appears twice (counties 1 and 2)")
  end)

  it("joins a long table by county id and year", function()
    local p = three()
    local cols = {
      code = { "320105", "320102", "320104", "320102", "320104", "320105" },
      year = cbal.array{ 2000, 2000, 2000, 2001, 2001, 2001 },
      gdp = cbal.array{ 30, 10, 20, 11, 21, 31 },
    }
    local rep = p:join(cols, { id = "code", year = "year", fields = { G = "gdp" } })
    assert.same({ 10, 20, 30 }, p:get("G", 2000):totable())
    assert.same({ 11, 21, 31 }, p:get("G", 2001):totable())
    assert.same({}, rep.table_only)
    assert.same({ 2000, 2001 }, rep.years)
  end)

  it("joins a read_table result (numeric ids) for a fixed year", function()
    local d = tu.tmpdir()
    tu.write(d .. "/s.csv", "id,pop,area\n320102,5.5,100\n320104,6.5,200\n320105,7.5,300\n")
    local cols = cbal.read_table(d .. "/s.csv")
    tu.rmtree(d)
    local p = three()
    p:join(cols, { id = "id", year = 2010, fields = { P = "pop", S = "area" } })
    assert.same({ 5.5, 6.5, 7.5 }, p:get("P", 2010):totable())
    assert.same({ 100, 200, 300 }, p:get("S", 2010):totable())
  end)

  it("reports ids that match on neither side", function()
    local p = three()
    local cols = { id = { "320102", "320104", "329999" }, v = { 1, 2, 3 } }
    local ok, err = pcall(p.join, p, cols, { id = "id", year = 2000, fields = { X = "v" },
      source = "yearbook.csv" })
    assert.is_false(ok)
    assert.is_truthy(err:find("1 id(s) in yearbook.csv are not in the panel (329999)", 1, true))
    assert.is_truthy(err:find("1 panel county(ies) have no row in yearbook.csv for some year (320105 (Jianye))", 1, true))
    assert.is_truthy(err:find("pass allow_unmatched = true", 1, true))
    -- allowed: a warning, and NaN for the county without a row
    local rep = p:join(cols, { id = "id", year = 2000, fields = { X = "v" }, allow_unmatched = true })
    assert.same({ "329999" }, rep.table_only)
    assert.same({ "320105 (Jianye)" }, rep.panel_only)
    local x = p:get("X", 2000)
    assert.equal(2, x[2])
    assert.is_true(x[3] ~= x[3])
    assert.is_truthy(table.concat(cbal.warnings(true), "\n"):find("329999", 1, true))
  end)

  it("maps changed codes with recode and points at totals rows", function()
    local p = three()
    -- a census table with the post-2020 code for one county and a city total
    local cols = { id = { 320100, 320102, 320104, 320613 }, v = { 9, 1, 2, 3 } }
    local ok, err = pcall(p.join, p, cols, { id = "id", year = 2020, fields = { X = "v" } })
    assert.is_false(ok)
    assert.is_truthy(err:find("2 id(s) in table are not in the panel (320100, 320613), "
      .. "1 of them end in 00 (province or city totals?)", 1, true), err)
    assert.is_truthy(err:find('map changed codes with recode = {["table id"] = "panel id"}', 1, true), err)
    local rep = p:join(cols, { id = "id", year = 2020, fields = { X = "v" },
      recode = { [320613] = "320105" }, allow_unmatched = true })
    assert.same({ "320100" }, rep.table_only)
    assert.same({}, rep.panel_only)
    assert.equal(3, p:get("X", 2020)[3])
    -- recode must point at a panel county; two rows landing on one county raise
    assert.has_error(function()
      p:join(cols, { id = "id", year = 2020, fields = { X = "v" }, recode = { ["320613"] = "320999" } })
    end, "panel:join: recode maps 320613 to 320999, which is not a panel county id")
    ok, err = pcall(p.join, p, cols, { id = "id", year = 2020, fields = { X = "v" },
      recode = { ["320613"] = "320104" }, allow_unmatched = true })
    assert.is_false(ok)
    assert.is_truthy(err:find("two rows for id 320104", 1, true), err)
  end)

  it("rejects duplicate rows and unknown columns and options", function()
    local p = three()
    assert.has_error(function()
      p:join({ id = { "320102", "320102" }, v = { 1, 2 } }, { id = "id", year = 2000, fields = { X = "v" } })
    end, "panel:join: table has two rows for id 320102, year 2000 (rows 1 and 2)")
    assert.has_error(function()
      p:join({ id = { "320102" } }, { id = "id", year = 2000, fields = { X = "gdp" } })
    end, "panel:join: the table has no field column 'gdp' (columns: id)")
    assert.has_error(function() p:join({}, { idd = "id" }) end)
  end)

  it("names rows as the file numbers them and refuses text that is not a number", function()
    local p = three()
    local cols = { id = { "320102", "320104", "320102" }, v = { "1", "", "2" } }
    assert.error_matches(function()
      p:join(cols, { id = "id", year = 2000, fields = { X = "v" }, rows = { 5, 7, 9 }, source = "f.csv" })
    end, "f.csv has two rows for id 320102, year 2000 %(rows 5 and 9%)")
    cols = { id = { "320102", "320104", "320105" }, v = { "1", "", "1,5" } }
    assert.error_matches(function()
      p:join(cols, { id = "id", year = 2000, fields = { X = "v" }, rows = { 2, 3, 4 }, source = "f.csv" })
    end, "f.csv, row 4, column 'v': '1,5' is not a number")
    cols.v[3] = " 2.5 "
    p:join(cols, { id = "id", year = 2000, fields = { X = "v" } })
    assert.same({ 1, false, 2.5 }, p:get("X", 2000):totable(false))
  end)
end)

describe("cbal.aggregate", function()
  local function panel()
    local p = cbal.panel.new{ ids = { "1", "2", "3", "4" }, city = { "a", "a", "b", "b" },
      region = { "r", "r", "r", "s" } }
    p:set("C", 2000, { 1, 2, 3, 4 })
    p:set("N", 2000, { 1, 1, 1, 1 })
    p:set("G", 2000, { 10, 10, 10, 10 })
    p:set("P", 2000, { 1, 2, 3, 4 })
    p:set("S", 2000, { 5, 5, 5, 5 })
    p:set("C", 2010, { 2, 4, 6, 8 })
    p:set("N", 2010, { 1, 1, 2, 2 })
    return p
  end

  it("sums C, N, G, P, S by group and recomputes ratios from the sums", function()
    local p = panel()
    local order, s = cbal.aggregate.sums(p, "city", 2000)
    assert.same({ "a", "b" }, order)
    assert.equal(3, s.a.C)
    close(3 / 2, s.a.Q)          -- ΣC/ΣN, not the mean of county Q (1.5 here too)
    close(7 / 2, s.b.Q)
    close(7 / 20, s.b.CI)
    close(20 / 7, s.b.R)
    close(7 / 10, s.b.I)
    close(10 / 2, s.b.M)
    close(s.b.Q, s.b.CI * s.b.R * s.b.I * s.b.M)
    local _, prov = cbal.aggregate.sums(p, "province", 2000)
    close(10 / 4, prov.province.Q)
    -- a ratio of sums differs from a mean of ratios
    local _, r = cbal.aggregate.sums(p, "region", 2010)
    close(12 / 4, r.r.Q)
  end)

  it("gives total growth and AAGR per city and region", function()
    local p = panel()
    local order, g = cbal.aggregate.aagr(p, "city", "C", 2000, 2010)
    assert.same({ "a", "b" }, order)
    close(1, g.a.total)
    close(2 ^ (1 / 10) - 1, g.a.aagr)
    local _, q = cbal.aggregate.aagr(p, "region", "Q", 2000, 2010)
    -- region r: Q 6/3 = 2 -> 12/4 = 3
    close(0.5, q.r.total)
    close(1.5 ^ 0.1 - 1, q.r.aagr)
    assert.has_error(function() cbal.aggregate.aagr(p, "city", "C", 2000, 2005) end,
      "aggregate.growth: group 'a' has no 'C' for year 2005 (is it in the panel?)")
  end)
end)
