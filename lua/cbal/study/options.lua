-- The study's general fields: years, output folder and switches, LMDI and
-- growth periods (provincial, per capita), the years of the maps and of
-- the GeoPackage.
local fail = require("cbal.study.util").fail
local panel = require "cbal.panel"

local M = { name = "options" }

M.fields = {
  { "title" }, { "years", required = true }, { "out", required = true },
  { "figures" }, { "quiet" }, { "synthetic" }, { "description" },
  { "periods" }, { "growth_periods" }, { "per_capita_periods" }, { "map_years" }, { "gpkg_years" },
}

function M.check(d)
  local y = d.years
  if type(y) ~= "table" or math.type(y[1]) ~= "integer" or math.type(y[2]) ~= "integer"
     or y[2] <= y[1] then
    fail("field 'years' must be {first, last} with last > first")
  end
  -- periods and years given are used as given: one outside the study years
  -- (or a period that runs backwards) is an error, never clamped
  local span = ("%d-%d"):format(y[1], y[2])
  for _, f in ipairs({ "periods", "growth_periods", "per_capita_periods" }) do
    local list = d[f]
    if list ~= nil then
      if type(list) ~= "table" or #list == 0 then
        fail("field '%s' must be a list of periods {{first, last}, ...}", f)
      end
      for k, pr in ipairs(list) do
        local a, b = type(pr) == "table" and pr[1], type(pr) == "table" and pr[2]
        if not (math.type(a) == "integer" and math.type(b) == "integer" and a < b
            and a >= y[1] and b <= y[2]) then
          fail("%s[%d] = %s: a period is {first, last} with first < last, both within the "
            .. "study years %s", f, k, type(pr) == "table"
            and ("{%s, %s}"):format(tostring(a), tostring(b)) or tostring(pr), span)
        end
      end
    end
  end
  for _, f in ipairs({ "map_years", "gpkg_years" }) do
    local list = d[f]
    if list ~= nil then
      if type(list) ~= "table" or #list == 0 then fail("field '%s' must be a list of years", f) end
      for k, v in ipairs(list) do
        if not (math.type(v) == "integer" and v >= y[1] and v <= y[2]) then
          fail("%s[%d] = %s: give years within the study years %s", f, k, tostring(v), span)
        end
      end
    end
  end
end

-- The default periods clamped to the study years (given ones were checked).
local function clamp(periods, years, default)
  local out = {}
  for _, pr in ipairs(periods or default) do
    local a, b = math.max(pr[1], years[1]), math.min(pr[2], years[2])
    if b > a then out[#out + 1] = { a, b } end
  end
  if #out == 0 then out[1] = { years[1], years[2] } end
  return out
end

-- The given years, or the default ones inside the study years (at least
-- the first and last).
local function picks(list, years, default)
  if list then return list end
  local out = {}
  for _, y in ipairs(default) do
    if y >= years[1] and y <= years[2] then out[#out + 1] = y end
  end
  if #out < 2 then out = { years[1], years[2] } end
  return out
end

function M.run(S, d)
  S.years = panel.span(d.years[1], d.years[2])
  S.periods = clamp(d.periods, d.years, { { 2000, 2010 }, { 2011, 2021 } })
  S.growth_periods = clamp(d.growth_periods, d.years, { { 2001, 2011 }, { 2012, 2021 }, { 2000, 2021 } })
  -- the paper's periods of per-capita emissions growth (+166.2 %, +23.6 %)
  S.per_capita_periods = clamp(d.per_capita_periods, d.years, { { 2000, 2010 }, { 2010, 2021 } })
  S.map_years = picks(d.map_years, d.years, { 2000, 2005, 2010, 2021 })
  S.gpkg_years = picks(d.gpkg_years, d.years, S.map_years)
  S.title = d.title
  if type(d.description) == "string" then
    require("cbal.study.util").input(S, "description", d.description)
  end
end

return M
