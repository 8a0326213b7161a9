-- Carbon accounting on plain arrays: emissions by allocation, sequestration
-- from NPP with explicit units, Q, ECC, ESC, the drivers CI, R, I, M and
-- per-capita figures; non-positive inputs are flagged and left out of ratios.
local cbal = require "cbal"
local checkopts = require("cbal.opts").check

local M = {}

local NAN = 0 / 0

-- CO2 fixed per unit of carbon in NPP: 1.62 g CO2 per g dry matter, and
-- carbon is 45 % of dry matter.
M.CO2_PER_C = 1.62 / 0.45

-- Carbon mass units of an NPP total -> factor to Mt C.
M.MASS_UNITS = {
  ["g C"] = 1e-12, ["kg C"] = 1e-9, ["t C"] = 1e-6, ["Mt C"] = 1,
}

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
  local f = M.MASS_UNITS[units]
  if not f then
    local u = {}
    for k in pairs(M.MASS_UNITS) do u[#u + 1] = '"' .. k .. '"' end
    table.sort(u)
    error(("carbon.sequestration: units must be one of %s (the carbon mass "
      .. "of each county's NPP total), got %s"):format(table.concat(u, ", "),
      tostring(units)), 2)
  end
  return cbal.array(npp) * (f * M.CO2_PER_C)
end

-- Copies of the named arrays with zero, negative or missing values set to
-- NaN; warns once per county and variable, naming the county and year.
-- who(i) labels county i; year may be nil; warn = false collects the flags
-- without warning (panel_indicators then warns once per county over years).
local function clean(vars, names, who, year, warn)
  local out, flags = {}, {}
  for _, v in ipairs(names) do
    local a = vars[v]
    if a ~= nil then
      a = cbal.array(a)
      for i = 1, #a do
        local x = a[i]
        if not (x > 0) then
          if x == x then -- missing values are not flagged, just missing
            flags[#flags + 1] = { county = i, var = v, value = x, year = year }
            if warn ~= false then cbal.warn(("carbon: county %s has %s = %.6g%s: excluded from ratios (NaN)")
              :format(who(i), v, x, year and (" in " .. year) or "")) end
          end
          a[i] = NAN
        end
      end
      out[v] = a
    end
  end
  return out, flags
end

-- carbon.indicators{C =, N =, G =, P =, S =, ids =, names =, year =, warn =}:
-- arrays per county (C and N required; G, P, S optional). Returns a table
-- with Q, ECC, ESC, CI, R, I, M (arrays; NaN where one of that ratio's
-- inputs was not positive), totals {C, N, G, P, S} (C, N, G over counties
-- where all three are valid; P, S over valid values),
-- Q_prov = ΣC/ΣN, per_capita and intensity as {aggregate = ΣC/ΣP (or
-- ΣC/ΣG), mean_of_counties = mean of C_i/P_i}, and flags (county, var,
-- value, year) for every non-positive input (each also a warning unless
-- warn = false).
function M.indicators(a)
  checkopts("carbon.indicators", a,
    { "C", "N", "G", "P", "S", "ids", "names", "year", "warn" })
  if a.C == nil or a.N == nil then
    error("carbon.indicators: C and N (arrays per county) are required", 2)
  end
  local labels = a.names or a.ids
  local function who(i)
    local id, nm = a.ids and a.ids[i], a.names and a.names[i]
    if id and nm and nm ~= id then return ("%s (%s)"):format(id, nm) end
    return tostring((labels and labels[i]) or ("#" .. i))
  end
  local v, flags = clean(a, { "C", "N", "G", "P", "S" }, who, a.year, a.warn)
  local n = #v.C
  for k, arr in pairs(v) do
    if #arr ~= n then
      error(("carbon.indicators: %s has %d values, C has %d"):format(k, #arr, n), 2)
    end
  end
  local r = { flags = flags, totals = {}, year = a.year }
  -- A ratio is NaN only where one of its own inputs is invalid. Totals are
  -- taken over counties with C, N (and G) all valid, so the emission
  -- shares used by ECC and ESC add to 1 and their weighted means are 1.
  local ok = v.C:isnan():eq(0) * v.N:isnan():eq(0)
  if v.G then ok = ok * v.G:isnan():eq(0) end
  local function total(x) return x:where(ok, 0):sum() end
  local C, N = v.C, v.N
  r.totals.C, r.totals.N = total(C), total(N)
  r.Q = C / N
  r.Q_prov = r.totals.C / r.totals.N
  r.ESC = (N / r.totals.N) / (C / r.totals.C)
  -- aggregate ratio ΣX/ΣY over counties where both are valid
  local function aggregate(x, y)
    local both = x:isnan():eq(0) * y:isnan():eq(0)
    return x:where(both, 0):sum() / y:where(both, 0):sum()
  end
  local G, P, S = v.G, v.P, v.S
  if G then
    r.totals.G = total(G)
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

-- One warning per county and variable for the flags of many years:
-- "county 320102 (玄武区) has N = 0 in 2007-2019" (or "N <= 0 (-2 to 0)").
local function warn_flags(p, flags)
  local by, order = {}, {}
  for _, f in ipairs(flags) do
    local key = f.county .. "\0" .. f.var
    if not by[key] then
      by[key] = { county = f.county, var = f.var, years = {}, lo = f.value, hi = f.value }
      order[#order + 1] = by[key]
    end
    local b = by[key]
    b.years[#b.years + 1] = f.year
    b.lo, b.hi = math.min(b.lo, f.value), math.max(b.hi, f.value)
  end
  table.sort(order, function(a, b)
    if a.county ~= b.county then return a.county < b.county end
    return a.var < b.var
  end)
  local ranges = require("cbal.panel").ranges
  for _, b in ipairs(order) do
    table.sort(b.years)
    local what = b.lo == b.hi and ("%s = %.6g"):format(b.var, b.lo)
      or ("%s <= 0 (%.6g to %.6g)"):format(b.var, b.lo, b.hi)
    cbal.warn(("carbon: county %s has %s in %s: excluded from ratios (NaN)")
      :format(p:label(b.county), what, ranges(b.years)))
  end
end

-- Computes carbon.indicators for each year and stores Q, ECC, ESC, CI, R,
-- I, M in the panel; returns year -> indicators table. Non-positive inputs
-- give one warning per county and variable, naming the years.
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
  warn_flags(p, flags)
  return out
end

return M
