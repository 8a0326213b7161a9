-- CEADs provincial inventories (Emission_Inventories_for_30_Provinces_YYYY
-- .xlsx): a province's Scope 1 total per year, found by normalised labels
-- since row and column names drift between releases.
local cbal = require "cbal"
local checkopts = require("cbal.opts").check

local M = {}

-- Lowercase with every non-alphanumeric character removed:
-- "Scope 1 Total" and "Scope_1_Total" both give "scope1total".
function M.normalize(s)
  return (tostring(s or ""):lower():gsub("[^%w]", ""))
end

-- Labels of the total row and of the total column, normalised.
M.TOTAL_ROWS = { totalconsumption = true, totalemissions = true, totalemission = true, total = true }
M.TOTAL_COLUMN = "scope1total"
M.UNITS = "mtco2"

-- Paths of the yearly workbooks in dir for the given years (a list).
function M.paths(dir, years)
  local out = {}
  for _, y in ipairs(years) do
    out[#out + 1] = ("%s/Emission_Inventories_for_30_Provinces_%d.xlsx"):format(dir, y)
  end
  return out
end

-- The province sheet of a workbook: returns sheet name and year, or raises
-- listing some provinces the file has.
local function find_sheet(path, province)
  local want = M.normalize(province)
  local sheets = cbal.table_sheets(path)
  local others = {}
  for _, s in ipairs(sheets) do
    local name, year = s:match("^(.-)%s*(%d%d%d%d)$")
    if name then
      if M.normalize(name) == want then return s, math.tointeger(tonumber(year)) end
      others[#others + 1] = name
    end
  end
  if #others == 0 then
    error(("ceads: %s has no province sheets named {Province}{YEAR} (sheets: %s); "
      .. "is it a CEADs provincial inventory?"):format(path,
      table.concat(sheets, ", ")), 0)
  end
  table.sort(others)
  local shown = {}
  for i = 1, math.min(6, #others) do shown[i] = others[i] end
  error(("ceads: %s has no sheet for province '%s' (it has %d provinces, e.g. %s)")
    :format(path, province, #others, table.concat(shown, ", ")), 0)
end

-- The Scope 1 total of the total row of one sheet (Mt CO2).
local function sheet_total(path, sheet)
  local cols, names, nrows = cbal.read_table(path, { sheet = sheet, header = false })
  local where = ("ceads: %s, sheet %s"):format(path, sheet)
  local function cell(c, r) return cols[names[c]][r] end
  -- header row: the first of the top rows with a "Scope 1 Total" cell
  local hrow, tcol
  for r = 1, math.min(nrows, 10) do
    for c = 1, #names do
      if M.normalize(cell(c, r)) == M.TOTAL_COLUMN then
        hrow, tcol = r, c
        break
      end
    end
    if hrow then break end
  end
  if not hrow then
    error(where .. ": unrecognised layout: no 'Scope 1 Total' column header in the first 10 rows", 0)
  end
  -- units row (next row, when it states units) must say Mt CO2
  local unit = M.normalize(cell(tcol, hrow + 1))
  if unit:find("co2") and unit ~= M.UNITS then
    error(("%s: the Scope 1 Total column is in '%s', expected Mt CO2"):format(
      where, tostring(cell(tcol, hrow + 1))), 0)
  end
  for r = hrow + 1, nrows do
    local label = M.normalize(cell(1, r))
    if M.TOTAL_ROWS[label] then
      local v = tonumber(cell(tcol, r))
      if not v then
        error(("%s: the total row (row %d, '%s') has no number in the Scope 1 "
          .. "Total column (got '%s')"):format(where, r, tostring(cell(1, r)),
          tostring(cell(tcol, r))), 0)
      end
      return v
    end
  end
  error(where .. ": unrecognised layout: no total row (looked for a first-column "
    .. "label like 'Total Consumption' or 'TotalEmissions' below the header)", 0)
end

-- ceads.province_totals(paths, province) -> year -> Mt CO2 (the Scope 1
-- total of the province sheet's total row in each workbook), plus a sorted
-- list of the years found.
function M.province_totals(paths, province, opts)
  checkopts("ceads.province_totals", opts, {})
  if type(paths) == "string" then paths = { paths } end
  if type(paths) ~= "table" or #paths == 0 then
    error("ceads.province_totals: paths must be a list of workbook paths", 2)
  end
  if type(province) ~= "string" or province == "" then
    error("ceads.province_totals: province must be a name such as \"Jiangsu\"", 2)
  end
  local out, from, years = {}, {}, {}
  for _, path in ipairs(paths) do
    local sheet, year = find_sheet(path, province)
    if out[year] then
      error(("ceads: year %d appears twice (%s and %s)"):format(year, from[year], path), 0)
    end
    out[year], from[year] = sheet_total(path, sheet), path
    years[#years + 1] = year
  end
  table.sort(years)
  return out, years
end

return M
