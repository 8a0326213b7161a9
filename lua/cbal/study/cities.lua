-- Two-level allocation (emissions.cities = {table =, id =, year =, value =}):
-- the province's total among the cities in proportion to their own
-- inventories (which keeps the provincial total), then within each city
-- among its counties by night light. Years the city table lacks fall back
-- to one level (night-light share of the province), with a warning.
local cbal = require "cbal"
local carbon = require "cbal.carbon"
local opts = require "cbal.opts"
local normalize = require("cbal.panel").normalize_id
local util = require "cbal.study.util"
local fail, bare = util.fail, util.bare

local M = { name = "cities" }

local KEYS = { "table", "id", "year", "value" }
local ONE = "one level: the provincial total by night-light share"

function M.check(d)
  local c = type(d.emissions) == "table" and d.emissions.cities
  if c == nil then return end
  if type(c) ~= "table" then fail("emissions.cities must be a table {table =, id =, year =, value =}") end
  local msg = opts.unknown(c, KEYS, "emissions.cities")
  if msg then fail("%s", msg) end
  if type(c.table) ~= "string" then fail("emissions.cities needs table = the city inventory file") end
end

-- {[year] = {[city id] = value}} from the table's id, year and value columns.
local function read_inventory(c)
  local ok, t = pcall(cbal.read_table, c.table)
  if not ok then fail("emissions.cities: %s", bare(t)) end
  local id, yr, val = c.id or "city", c.year or "year", c.value or "emissions"
  for _, col in ipairs { id, yr, val } do
    if not t[col] then
      fail("emissions.cities: %s has no column '%s' (set emissions.cities.id, .year, .value)",
        c.table, col)
    end
  end
  local inv = {}
  for i = 1, #t[yr] do
    local y, v = math.tointeger(t[yr][i]), t[val][i]
    local key = normalize(t[id][i])
    if y and key and type(v) == "number" and v == v then
      inv[y] = inv[y] or {}
      inv[y][key] = v
    end
  end
  return inv
end

-- The study years split into those every city has a value for and the
-- others (with the first city missing in each); raises when the table has
-- cities that have no county.
local function split_years(inv, p, years, path)
  local cities, has = {}, {}
  for i = 1, p.n do
    local c = normalize(p.city[i])
    if not has[c] then has[c] = true; cities[#cities + 1] = c end
  end
  local two, one, example = {}, {}, nil
  for _, y in ipairs(years) do
    local row, full = inv[y] or {}, true
    for _, c in ipairs(cities) do
      if row[c] == nil then
        full = false
        example = example or ("%s in %d"):format(c, y)
      end
    end
    for c in pairs(row) do
      if not has[c] then
        fail("emissions.cities: city %s of %s (year %d) has no counties (the counties' city "
          .. "field holds e.g. '%s'); use the same ids in both, or drop cities of other provinces "
          .. "from the table", c, path, y, cities[1])
      end
    end
    if full then two[#two + 1] = y else one[#one + 1] = y end
  end
  return two, one, example
end

function M.run(S, d)
  local c = d.emissions.cities
  S.params.allocation = ONE
  if not c then return end
  util.input(S, "city inventories", c.table)
  local inv = read_inventory(c)
  local two, one, example = split_years(inv, S.panel, S.years, c.table)
  local ranges = require("cbal.panel").ranges
  if #one > 0 then
    cbal.warn(("study: emissions.cities: %s lacks a city in %s (e.g. %s); %s allocated in "
      .. "one level (night-light share of the province)"):format(c.table, ranges(one), example,
      #one > 1 and "those years are" or "that year is"))
  end
  S.city_inventory, S.two_level_years = inv, {}
  for _, y in ipairs(two) do S.two_level_years[y] = true end
  S.params.allocation = #two == 0 and (ONE .. " (the city table covers no study year)")
    or ("two levels: the provincial total to cities by their inventories (%s), then to "
      .. "counties by night-light share within each city, in %s%s"):format(c.table, ranges(two),
      #one > 0 and ("; one level in " .. ranges(one)) or "")
end

-- Allocates S.totals into the panel's C: two levels in the years the city
-- table covers, one level (carbon.allocate_panel) in the others.
function M.allocate(S)
  local p, one = S.panel, {}
  for _, y in ipairs(S.years) do
    if S.two_level_years and S.two_level_years[y] then
      local ok, C = pcall(cbal.allocation.two_level, { total = S.totals[y],
        inventories = S.city_inventory[y], weights = p:get("light", y), city = p.city })
      if not ok then fail("two-level allocation of %d: %s", y, bare(C)) end
      p:set("C", y, C)
    else
      one[#one + 1] = y
    end
  end
  if #one > 0 then carbon.allocate_panel(p, S.totals, "light", { years = one }) end
end

return M
