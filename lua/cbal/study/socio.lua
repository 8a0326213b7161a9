-- The socio-economic table: GDP G, population P and area S per county and
-- year, joined to the counties by id and converted to the study's units.
local cbal = require "cbal"
local panel = require "cbal.panel"
local opts = require "cbal.opts"
local median = require("cbal.stats").median
local util = require "cbal.study.util"
local fail, bare = util.fail, util.bare

local M = { name = "socio" }

M.fields = {
  { "socio", required = true, keys = { "table", "id", "year", "gdp", "population", "area",
    "units", "recode", "allow_unmatched", "encoding", "thousands" }, needs = "table" },
}

-- The study's units for G, P and S (those of Chinese yearbooks; per-capita
-- tables are t CO2 per person and intensity t CO2 per 10k yuan) and the
-- factors from other units a table may use.
local UNITS = {
  gdp = { var = "G", base = "100 million yuan", from = { ["100 million yuan"] = 1,
    ["billion yuan"] = 10, ["million yuan"] = 0.01, ["10k yuan"] = 1e-4, ["yuan"] = 1e-8 } },
  population = { var = "P", base = "10k persons", from = { ["10k persons"] = 1,
    ["million persons"] = 100, ["thousand persons"] = 0.1, ["persons"] = 1e-4 } },
  area = { var = "S", base = "km2", from = { km2 = 1, ha = 0.01, m2 = 1e-6 } },
}
-- A county median above this in the study's unit is implausible (50
-- million people, 100 trillion yuan, a 1 million km2 county).
local IMPLAUSIBLE = { gdp = 1e6, population = 5000, area = 1e6 }

-- The conversion factor of socio.units[k] to the study's unit.
local function factor(units, k)
  local u = UNITS[k]
  local given = units[k] or u.base
  local f = u.from[given]
  if not f then
    local names = {}
    for n in pairs(u.from) do names[#names + 1] = n end
    table.sort(names, function(a, b) return u.from[a] > u.from[b] end)
    fail("%s", opts.bad_value("socio.units", k, given, names))
  end
  return f, given == u.base and u.base or (given .. " -> " .. u.base)
end

-- Converts G, P, S of every joined year to the study's units (socio.units)
-- and rejects values that are plainly in another unit.
local function convert(s, S, p, years)
  local units = s.units or {}
  if type(units) ~= "table" then fail("socio.units must be a table {gdp =, population =, area =}") end
  local msg = opts.unknown(units, { "gdp", "population", "area" }, "socio.units")
  if msg then fail("%s", msg) end
  S.params.socio_units = {}
  for _, k in ipairs({ "gdp", "population", "area" }) do
    local u = UNITS[k]
    local f, label = factor(units, k)
    S.params.socio_units[k] = label
    for _, y in ipairs(years) do
      if p:has(u.var, y) then
        local a = p:get(u.var, y)
        if f ~= 1 then a = p:set(u.var, y, a * f) end
        local m = median(a)
        if m > IMPLAUSIBLE[k] then
          fail("%s: the median county %s in %d is %.6g %s, which is implausible; if the column "
            .. "is in other units say so, e.g. socio.units = {%s = \"%s\"}", s.table, k, y, m,
            u.base, k, k == "gdp" and "yuan" or k == "population" and "persons" or "m2")
        end
      end
    end
  end
end

-- A cell as a number: blanks around it allowed; decimal with an optional
-- exponent, or inf; with sep, the integer part may be grouped by threes
-- ("1,014.70"). nil when it is not a number, NaN when empty.
local function parse(cell, sep)
  local t = tostring(cell):match("^%s*(.-)%s*$")
  if t == "" then return 0 / 0 end
  if sep and t:find(sep, 1, true) then
    local sign, int, rest = t:match("^([+-]?)([^.eE]+)(.*)$")
    local groups = {}
    for g in (int .. sep):gmatch("(.-)" .. sep:gsub("%p", "%%%0")) do groups[#groups + 1] = g end
    if not (#groups > 1 and groups[1]:match("^%d%d?%d?$")) then return nil end
    for k = 2, #groups do
      if not groups[k]:match("^%d%d%d$") then return nil end
    end
    t = sign .. table.concat(groups) .. rest
  end
  local body = t:match("^[+-]?(.*)$")
  local mant = body:match("^([%d.]+)[eE][+-]?%d+$") or body:match("^[%d.]+$")
  if mant and mant:find("%d") and not mant:find("%..*%.") then return tonumber(t) end
  local l = body:lower()
  if l == "inf" or l == "infinity" then return t:sub(1, 1) == "-" and -math.huge or math.huge end
  return nil
end

-- The columns of G, P and S as numbers, every cell checked: a cell that is
-- not a number raises naming the file, its row as the file numbers it and
-- the column; thousands separators only with socio.thousands.
local function numbers(s, cols, rows)
  local sep = s.thousands
  if sep ~= nil and (type(sep) ~= "string" or #sep ~= 1 or sep:find("[%d.]")) then
    fail("socio.thousands must be the one character that groups thousands, e.g. \",\" or \" \"")
  end
  local have = {}
  for k in pairs(cols) do have[#have + 1] = tostring(k) end
  table.sort(have)
  for _, k in ipairs({ "gdp", "population", "area" }) do
    local name = s[k] or k
    local c = cols[name]
    if c == nil then
      fail("socio.%s: %s has no column '%s' (columns: %s)", k, s.table, name, table.concat(have, ", "))
    end
    if type(c) == "table" then
      local a = cbal.array(#c, 0 / 0)
      for r = 1, #c do
        a[r] = parse(c[r], sep) or fail("%s, row %d, column '%s': '%s' is not a number (fix the cell "
          .. "or leave it empty for a missing value)%s", s.table, math.tointeger(rows[r]), name, c[r],
          (not sep and parse(c[r], ",")) and '; to read thousands separators set socio.thousands = ","' or "")
      end
      cols[name] = a
    end
  end
end

-- Reads the table; an encoding problem names socio.encoding.
local function read(s)
  local ok, cols, _, _, rows = pcall(cbal.read_table, s.table, { encoding = s.encoding })
  if not ok then
    fail("socio: %s", (bare(cols):gsub("read it with encoding = ", "give socio.encoding = ")))
  end
  numbers(s, cols, rows)
  return cols, rows
end

-- Joins the table to the panel; the join's advice in the description's
-- terms, without Lua positions.
local function join(s, p, cols, rows)
  local ok, r = pcall(p.join, p, cols, { id = s.id or "code", year = s.year or "year",
    fields = { G = s.gdp or "gdp", P = s.population or "population", S = s.area or "area" },
    source = s.table, recode = s.recode, allow_unmatched = s.allow_unmatched, rows = rows })
  if not ok then
    local msg = bare(r):gsub("^panel:join: ", "")
      :gsub("map changed codes with recode =", "map changed codes with socio.recode =")
      :gsub("pass allow_unmatched = true", "set socio.allow_unmatched = true")
      :gsub("recode maps", "socio.recode maps")
    fail("socio: %s", msg)
  end
  return r
end

function M.run(S, d)
  local s, p, years = d.socio, S.panel, S.years
  local cols, rows = read(s)
  util.input(S, "socio-economic", s.table)
  local r = join(s, p, cols, rows)
  local have, missing = {}, {}
  for _, y in ipairs(r.years) do have[y] = true end
  for _, y in ipairs(years) do
    if not have[y] then missing[#missing + 1] = y end
  end
  if #missing > 0 then
    fail("%s has no rows for %s (its years: %s); every year of 'years' needs GDP, population "
      .. "and area: add the rows or shorten 'years'", s.table, panel.ranges(missing),
      panel.ranges(r.years))
  end
  convert(s, S, p, years)
  S.params.socio_join = { recode = s.recode, encoding = s.encoding,
    allow_unmatched = s.allow_unmatched or false, table_only = r.table_only,
    panel_only = r.panel_only }
  S.join = r
end

return M
