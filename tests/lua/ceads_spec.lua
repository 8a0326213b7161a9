-- CEADs reader on small generated workbooks in both label styles (2000:
-- "Total Consumption" / "Scope 1 Total"; 2019: "TotalEmissions" /
-- "Scope_1_Total"), and its errors.
local cbal = require "cbal"
local tu = require "testutil"

local dir

-- Writes an XLSX with the given sheets ({name, rows}) in one ogr2ogr call
-- over a folder of CSVs (one layer each); a sheet's first row is its header.
local function workbook(name, sheets)
  local path = dir .. "/" .. name
  local src = dir .. "/src_" .. name
  os.execute("mkdir -p " .. tu.quote(src))
  for _, sh in ipairs(sheets) do
    local lines = {}
    for _, row in ipairs(sh[2]) do lines[#lines + 1] = table.concat(row, ",") end
    tu.write(("%s/%s.csv"):format(src, sh[1]), table.concat(lines, "\n") .. "\n")
  end
  local rc, _, err = tu.sh(("ogr2ogr -f XLSX %s %s"):format(tu.quote(path), tu.quote(src)))
  assert(rc == 0, err)
  return path
end

local NOTE = { "NOTE", { { "note", "text" }, { "units", "Mt CO2" } } }

local function sheet2000(province, year, total)
  return { province .. year, {
    { "", "Raw Coal", "Natural Gas", "Scope 1 Total" },
    { "", "Mt CO2", "Mt CO2", "Mt CO2" },
    { "Total Consumption", total * 0.7, total * 0.3, total },
    { "Farming", 0.1, 0.2, 0.3 },
  } }
end

local function sheet2019(province, year, total)
  return { province .. year, {
    { "Emission_Inventory", "Raw_Coal", "Natural_Gas", "Scope_2_Heat", "Scope_1_Total" },
    { "unit", "Mt CO2", "Mt CO2", "Mt CO2", "Mt CO2" },
    { "", "", "", "", "" },
    { "TotalEmissions", total * 0.6, total * 0.4, 9, total },
    { "Others", 1, 2, 0, 3 },
  } }
end

describe("cbal.ceads", function()
  setup(function() dir = tu.tmpdir() end)
  teardown(function() tu.rmtree(dir) end)

  it("normalises labels", function()
    assert.equal("scope1total", cbal.ceads.normalize("Scope 1 Total"))
    assert.equal("scope1total", cbal.ceads.normalize("Scope_1_Total"))
    assert.equal("totalconsumption", cbal.ceads.normalize("  Total Consumption "))
  end)

  it("reads both label styles and picks the province's sheet", function()
    local a = workbook("Emission_Inventories_for_30_Provinces_2000.xlsx",
      { NOTE, sheet2000("Zhejiang", 2000, 111.5), sheet2000("Jiangsu", 2000, 199.375) })
    local b = workbook("Emission_Inventories_for_30_Provinces_2019.xlsx",
      { NOTE, sheet2019("Jiangsu", 2019, 804.59), sheet2019("Shanghai", 2019, 190.25) })
    local t, years = cbal.ceads.province_totals({ a, b }, "Jiangsu")
    assert.same({ 2000, 2019 }, years)
    assert.equal(199.375, t[2000])
    assert.equal(804.59, t[2019])
    local z = cbal.ceads.province_totals({ a }, "zhejiang")
    assert.equal(111.5, z[2000])
    assert.same({ dir .. "/Emission_Inventories_for_30_Provinces_2019.xlsx" },
      cbal.ceads.paths(dir, { 2019 }))
  end)

  it("names the file and a few provinces when the province is missing", function()
    local a = workbook("p2001.xlsx", { NOTE, sheet2000("Anhui", 2001, 1), sheet2000("Beijing", 2001, 2) })
    local ok, err = pcall(cbal.ceads.province_totals, { a }, "Jiangsu")
    assert.is_false(ok)
    assert.is_truthy(err:find(a .. " has no sheet for province 'Jiangsu' (it has 2 provinces, e.g. Anhui, Beijing)", 1, true))
  end)

  it("rejects a workbook with no province sheets", function()
    local a = workbook("other.xlsx", { NOTE })
    local ok, err = pcall(cbal.ceads.province_totals, { a }, "Jiangsu")
    assert.is_false(ok)
    assert.is_truthy(err:find("is it a CEADs provincial inventory?", 1, true))
  end)

  it("reports an unrecognised layout: no total column, no total row", function()
    local nocol = workbook("nocol.xlsx", { NOTE, { "Jiangsu2002", {
      { "", "Raw Coal", "Total" }, { "", "Mt CO2", "Mt CO2" }, { "Total Consumption", 1, 2 } } } })
    local ok, err = pcall(cbal.ceads.province_totals, { nocol }, "Jiangsu")
    assert.is_false(ok)
    assert.is_truthy(err:find("sheet Jiangsu2002: unrecognised layout: no 'Scope 1 Total' column", 1, true))
    local norow = workbook("norow.xlsx", { NOTE, { "Jiangsu2003", {
      { "", "Scope 1 Total" }, { "", "Mt CO2" }, { "Farming", 2 } } } })
    ok, err = pcall(cbal.ceads.province_totals, { norow }, "Jiangsu")
    assert.is_false(ok)
    assert.is_truthy(err:find("unrecognised layout: no total row", 1, true))
  end)

  it("rejects other units and duplicate years", function()
    local kt = workbook("kt.xlsx", { NOTE, { "Jiangsu2004", {
      { "", "Scope 1 Total" }, { "", "kt CO2" }, { "Total Consumption", 2 } } } })
    local ok, err = pcall(cbal.ceads.province_totals, { kt }, "Jiangsu")
    assert.is_false(ok)
    assert.is_truthy(err:find("is in 'kt CO2', expected Mt CO2", 1, true))
    local a = workbook("d1.xlsx", { NOTE, sheet2000("Jiangsu", 2005, 1) })
    local b = workbook("d2.xlsx", { NOTE, sheet2019("Jiangsu", 2005, 1) })
    ok, err = pcall(cbal.ceads.province_totals, { a, b }, "Jiangsu")
    assert.is_false(ok)
    assert.is_truthy(err:find("year 2005 appears twice", 1, true))
  end)
end)
