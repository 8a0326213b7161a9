-- The provincial emissions C_t (Mt CO2) of every study year: from CEADs
-- workbooks, a table, or given in the description.
local cbal = require "cbal"
local panel = require "cbal.panel"
local util = require "cbal.study.util"
local fail, bare, year_path = util.fail, util.bare, util.year_path

local M = { name = "emissions" }

M.fields = {
  -- emissions may also be a table year -> Mt (integer keys)
  -- cities = {table =, id =, year =, value =}: two-level allocation (cbal.study.cities)
  { "emissions", required = true, keys = { "ceads", "province", "years", "table", "year", "value",
    "cities" }, year_keys = true },
}

local function from_ceads(e, S, years)
  if type(e.ceads) ~= "string" or not e.ceads:find("{year}", 1, true) then
    fail("emissions.ceads must be a path pattern with {year} (one CEADs workbook per year)")
  end
  local paths, absent = {}, {}
  for _, y in ipairs(e.years or years) do
    paths[#paths + 1] = year_path(e.ceads, y, "emissions.ceads")
    util.input(S, "ceads " .. y, paths[#paths])
    local f = io.open(paths[#paths], "rb")
    if f then f:close() else absent[#absent + 1] = y end
  end
  if #absent > 0 then
    fail("emissions.ceads: no workbook for %s (%s does not exist); CEADs provincial "
      .. "inventories end in 2019: shorten 'years' or give the emissions as a table",
      panel.ranges(absent), year_path(e.ceads, absent[1], "emissions.ceads"))
  end
  local ok, t = pcall(cbal.ceads.province_totals, paths, e.province)
  if not ok then fail("emissions.ceads: %s", (bare(t):gsub("^ceads: ", ""))) end
  S.params.emissions_source = "CEADs Scope 1 total, province " .. e.province
  return t
end

local function from_table(e, S)
  local totals = {}
  local ok, cols = pcall(cbal.read_table, e.table)
  if not ok then fail("emissions.table: %s", bare(cols)) end
  local yc, vc = cols[e.year or "year"], cols[e.value or "emissions"]
  if not yc or not vc then
    fail("%s: needs columns '%s' and '%s'", e.table, e.year or "year", e.value or "emissions")
  end
  for i = 1, #yc do totals[math.tointeger(yc[i]) or yc[i]] = vc[i] end
  util.input(S, "emissions", e.table)
  S.params.emissions_source = "table " .. e.table
  return totals
end

-- Every study year needs a positive, finite total.
local function check_totals(totals, years, src)
  local missing = {}
  for _, y in ipairs(years) do
    if type(totals[y]) ~= "number" or totals[y] ~= totals[y] then missing[#missing + 1] = y end
  end
  if #missing > 0 then
    fail("the provincial emissions (%s) have no value for %s; add %s or shorten 'years'",
      src, panel.ranges(missing), #missing > 1 and "them" or "it")
  end
  for _, y in ipairs(years) do
    if not (totals[y] > 0) or totals[y] == math.huge then
      fail("the provincial emissions (%s) for %d are %s Mt; they must be a positive number",
        src, y, ("%.6g"):format(totals[y]))
    end
  end
end

function M.run(S, d)
  local e, totals = d.emissions, {}
  if e.ceads then
    totals = from_ceads(e, S, S.years)
  elseif e.table then
    totals = from_table(e, S)
  else
    for y, v in pairs(e) do totals[y] = v end
    S.params.emissions_source = "given in the description"
  end
  check_totals(totals, S.years, e.ceads and ("CEADs, " .. e.ceads) or e.table or "field 'emissions'")
  S.totals = totals
end

return M
