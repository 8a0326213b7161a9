-- Carbon accounting on plain arrays: emissions by allocation, sequestration
-- from NPP with explicit units, Q, ECC, ESC, the drivers CI, R, I, M and
-- per-capita figures; zero C or N is data (Q = +inf, 0), missing or invalid
-- inputs are flagged, named in one warning and left out of ratios.
local cbal = require "cbal"
local opts = require "cbal.opts"
local checkopts = opts.check

local M = {}

local NAN = 0 / 0

-- CO2 fixed per unit of carbon in NPP: 1.62 g CO2 per g dry matter, and
-- carbon is 45 % of dry matter.
M.CO2_PER_C = 1.62 / 0.45

-- Carbon mass units of an NPP total -> factor to Mt C.
M.MASS_UNITS = {
  ["g C"] = 1e-12, ["kg C"] = 1e-9, ["t C"] = 1e-6, ["Mt C"] = 1,
}
-- Their names, in order (for messages).
M.MASS_UNIT_NAMES = { "g C", "kg C", "t C", "Mt C" }

-- C per county: a province total (Mt) shared by weights (night light,
-- population, ...): cbal.alloc(total, weights); Σ C_i = total.
function M.emissions(total, weights)
  if type(total) ~= "number" then
    error("carbon.emissions: total must be a number (Mt CO2), got " .. type(total), 2)
  end
  return cbal.alloc(total, weights)
end

-- N per county in Mt CO2 from each county's total NPP carbon mass.
-- units is required, one of "g C", "kg C", "t C", "Mt C": e.g. the zonal sum
-- of an NPP density raster in g C/m² weighted by cell area in m² is "g C";
-- MOD17A3 (kg C/m², after its 0.0001 scale) weighted by m² is "kg C".
function M.sequestration(npp, units)
  local where, names = "carbon.sequestration", M.MASS_UNIT_NAMES
  local bad = opts.bad_value(where, "units", units, names)
  if units == nil then
    bad = ("%s: units are required: the carbon mass of each county's NPP total, one of: %s")
      :format(where, table.concat(names, ", "))
  end
  if bad then error(bad, 2) end
  local f = M.MASS_UNITS[units]
  return cbal.array(npp) * (f * M.CO2_PER_C)
end

-- Which values of each input are data: C and N may be 0 (a county
-- without light, a county without vegetation) but not negative; G, P and S
-- must be positive. Anything else is invalid and treated as missing. Other
-- variables: any number.
local LOWER = { C = "zero", N = "zero", G = "positive", P = "positive", S = "positive" }

-- A copy of a with the invalid values of variable `var` (see LOWER) set to
-- NaN; `invalid` lists {county, var, value} of each one that was not NaN.
function M.valid(var, a, invalid)
  a = cbal.array(a)
  local rule = LOWER[var]
  if not rule then return a end
  for i = 1, #a do
    local x = a[i]
    if x == x and not (x > 0 or (x == 0 and rule == "zero")) then
      if invalid then invalid[#invalid + 1] = { county = i, var = var, value = x } end
      a[i] = NAN
    end
  end
  return a
end

-- The inputs cleaned (M.valid) and flags {county, var, value, year} for
-- each missing (value NaN) or invalid one.
local function clean(a, year)
  local out, flags = {}, {}
  for _, v in ipairs({ "C", "N", "G", "P", "S" }) do
    if a[v] ~= nil then
      local raw = cbal.array(a[v])
      for i = 1, #raw do
        if raw[i] ~= raw[i] then flags[#flags + 1] = { county = i, var = v, value = raw[i], year = year } end
      end
      local bad = {}
      out[v] = M.valid(v, raw, bad)
      for _, f in ipairs(bad) do
        f.year = year
        flags[#flags + 1] = f
      end
    end
  end
  return out, flags
end

local function label_of(a)
  return function(i)
    local id, nm = a.ids and a.ids[i], a.names and a.names[i]
    if id and nm and nm ~= id then return ("%s (%s)"):format(id, nm) end
    return tostring(id or nm or ("#" .. i))
  end
end

-- carbon.indicators{C =, N =, G =, P =, S =, ids =, names =, year =, warn =}:
-- arrays per county (C and N required; G, P, S optional). Returns a table
-- with Q, ECC, ESC, CI, R, I, M (arrays), totals {C, N, G, P, S} (each
-- over every county with that value), Q_prov = C/N of the totals,
-- per_capita and intensity as {aggregate = ΣC/ΣP (or ΣC/ΣG) over counties
-- with both, mean_of_counties = mean of C_i/P_i}, and flags (county, var,
-- value, year) for every missing (NaN) or invalid input. Zeros are data:
-- N_i = 0 < C_i gives Q_i = +inf and ESC_i = 0; C_i = 0 < N_i gives Q_i =
-- 0 and ECC_i = ESC_i = +inf; C_i = N_i = 0 leaves Q_i undefined (NaN). A
-- ratio is NaN only where one of its inputs is missing or invalid (G, P,
-- S not positive; C, N negative). With warn ~= false the flags are one
-- warning naming the counties.
function M.indicators(a)
  checkopts("carbon.indicators", a,
    { "C", "N", "G", "P", "S", "ids", "names", "year", "warn" })
  if a.C == nil or a.N == nil then
    error("carbon.indicators: C and N (arrays per county) are required", 2)
  end
  local v, flags = clean(a, a.year)
  local n = #v.C
  for k, arr in pairs(v) do
    if #arr ~= n then
      error(("carbon.indicators: %s has %d values, C has %d"):format(k, #arr, n), 2)
    end
  end
  local r = { flags = flags, totals = {}, year = a.year }
  local C, N, G, P, S = v.C, v.N, v.G, v.P, v.S
  -- the provincial totals: every county with that value
  r.totals.C, r.totals.N = C:sum(), N:sum()
  r.Q = C / N
  r.Q_prov = r.totals.C / r.totals.N
  r.ESC = (N / r.totals.N) / (C / r.totals.C)
  -- aggregate ratio ΣX/ΣY over counties where both are valid
  local function aggregate(x, y)
    local both = x:isnan():eq(0) * y:isnan():eq(0)
    return x:where(both, 0):sum() / y:where(both, 0):sum()
  end
  if G then
    r.totals.G = G:sum()
    r.ECC = (G / r.totals.G) / (C / r.totals.C)
    r.CI = C / G
    r.intensity = { aggregate = aggregate(C, G), mean_of_counties = (C / G):mean(),
                    label = "C/G: aggregate = ΣC/ΣG; mean_of_counties = mean of C_i/G_i" }
  end
  if P then
    r.totals.P = P:sum()
    r.per_capita = { aggregate = aggregate(C, P), mean_of_counties = (C / P):mean(),
                     label = "C/P: aggregate = ΣC/ΣP; mean_of_counties = mean of C_i/P_i" }
    if G then r.R = G / P end
  end
  if S then
    r.totals.S = S:sum()
    if P then r.I = P / S end
    r.M = S / N
  end
  for i = 1, n do
    if C[i] == 0 and N[i] == 0 then flags[#flags + 1] = { county = i, var = "Q", value = NAN, year = a.year } end
  end
  if a.warn ~= false and #flags > 0 then M.warn_flags(label_of(a), flags) end
  return r
end

-- The drivers of Q = CI·R·I·M from C, N, G, P, S arrays (no cleaning:
-- use carbon.indicators for flagged inputs). Returns {CI, R, I, M, Q}.
function M.drivers(C, N, G, P, S)
  C, N, G, P, S = cbal.array(C), cbal.array(N), cbal.array(G), cbal.array(P), cbal.array(S)
  return { CI = C / G, R = G / P, I = P / S, M = S / N, Q = C / N }
end

-- Panel helpers --------------------------------------------------------------

-- Allocates totals[year] (Mt) to the panel's counties by the weight
-- variable (e.g. "light") of the same year and stores them as "C".
-- opts.var names the output variable (default "C").
function M.allocate_panel(p, totals, weight_var, opts)
  opts = checkopts("carbon.allocate_panel", opts, { "var", "years" })
  local years = opts.years
  if not years then
    years = {}
    for y in pairs(totals) do years[#years + 1] = y end
    table.sort(years)
  end
  for _, y in ipairs(years) do
    local t = totals[y]
    if t == nil then
      error(("carbon.allocate_panel: no provincial total for year %d"):format(y), 2)
    end
    local ok, c = pcall(cbal.alloc, t, p:get(weight_var, y))
    if not ok then
      error(("carbon.allocate_panel: year %d: %s"):format(y, tostring(c)), 2)
    end
    p:set(opts.var or "C", y, c)
  end
  return years
end

-- What a flag says: "G missing", "P = -2 (invalid)", "Q undefined (C = N = 0)".
local function what(b)
  if b.var == "Q" then return "Q undefined (C = N = 0)" end
  if b.lo ~= b.lo then return b.var .. " missing" end
  if b.lo == b.hi then return ("%s = %.6g (invalid)"):format(b.var, b.lo) end
  return ("%s from %.6g to %.6g (invalid)"):format(b.var, b.lo, b.hi)
end

-- One warning for the flags of many years, naming each county with what
-- is missing and when: "carbon: 2 counties have missing or invalid
-- inputs, so the ratios that use them are missing (NaN): 320102 (玄武区):
-- G missing in 2003-2005; ...". who(i) labels county i.
function M.warn_flags(who, flags)
  local by, order = {}, {}
  for _, f in ipairs(flags) do
    local nan = f.value ~= f.value
    local key = f.county .. "\0" .. f.var .. (nan and "\0nan" or "")
    if not by[key] then
      by[key] = { county = f.county, var = f.var, years = {}, lo = f.value, hi = f.value }
      order[#order + 1] = by[key]
    end
    local b = by[key]
    b.years[#b.years + 1] = f.year
    if not nan then b.lo, b.hi = math.min(b.lo, f.value), math.max(b.hi, f.value) end
  end
  table.sort(order, function(a, b)
    if a.county ~= b.county then return a.county < b.county end
    return a.var < b.var
  end)
  -- one part per county and kind: "G, P, S missing in 2000-2019"
  local ranges, parts, counties, seen, merged = require("cbal.panel").ranges, {}, 0, {}, {}
  for _, b in ipairs(order) do
    if not seen[b.county] then seen[b.county], counties = true, counties + 1 end
    table.sort(b.years)
    local years = #b.years > 0 and (" in " .. ranges(b.years)) or ""
    local key = b.lo ~= b.lo and b.var ~= "Q" and (b.county .. "\0" .. years) or nil
    if key and merged[key] then
      local m = merged[key]
      m.vars[#m.vars + 1] = b.var
      parts[m.at] = ("%s: %s missing%s"):format(who(b.county), table.concat(m.vars, ", "), years)
    else
      parts[#parts + 1] = ("%s: %s%s"):format(who(b.county), what(b), years)
      if key then merged[key] = { vars = { b.var }, at = #parts } end
    end
  end
  cbal.warn(("carbon: %d count%s missing or invalid inputs, so the ratios that use them are "
    .. "missing (NaN): %s"):format(counties, counties == 1 and "y has" or "ies have",
    table.concat(parts, "; ")))
end

-- Computes carbon.indicators for each year and stores Q, ECC, ESC, CI, R,
-- I, M in the panel; returns year -> indicators table. Missing or invalid
-- inputs of every year give one warning, naming the counties and years.
function M.panel_indicators(p, years)
  local out, flags = {}, {}
  for _, y in ipairs(years) do
    local function opt(v) return p:has(v, y) and p:get(v, y) or nil end
    local r = M.indicators{ C = p:get("C", y), N = p:get("N", y), G = opt("G"),
      P = opt("P"), S = opt("S"), ids = p.ids, names = p.names, year = y, warn = false }
    for _, k in ipairs{ "Q", "ECC", "ESC", "CI", "R", "I", "M" } do
      if r[k] then p:set(k, y, r[k]) end
    end
    for _, f in ipairs(r.flags) do flags[#flags + 1] = f end
    out[y] = r
  end
  if #flags > 0 then M.warn_flags(function(i) return p:label(i) end, flags) end
  return out
end

return M
