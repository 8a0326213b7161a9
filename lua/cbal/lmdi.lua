-- LMDI of the carbon balance coefficient Q = CI·R·I·M: per county (each
-- county its own aggregate) and per region or province by the exact
-- 5-factor identity Q_R = Σ_i CI_i·R_i·I_i·M_i·(N_i/N_R); period-wise or
-- chained year by year (cbal.lmdi, cbal.lmdi_chain). Zero values take the
-- kernel's analytical limits (Ang & Liu 2007); a county whose Q is +inf
-- (N = 0) or undefined in a year, or that misses an input, has no
-- decomposition, and is named with the reason.
local cbal = require "cbal"
local checkopts = require("cbal.opts").check
local span = require("cbal.panel").span
local aggregate = require "cbal.aggregate"
local valid = require("cbal.carbon").valid

local M = {}

M.FACTORS = { "CI", "R", "I", "M" }
M.REGIONAL = { "CI", "R", "I", "M", "NS" } -- NS = N_i / N_R

local NAN = 0 / 0

local function label(chained, y0, y1)
  return (chained and "chained year by year %d-%d" or "period-wise %d-%d"):format(y0, y1)
end

-- The valid inputs of year y for the counties in `members` (nil = all).
local function inputs(p, y, members)
  local t = {}
  for _, v in ipairs({ "C", "N", "G", "P", "S" }) do
    local a = p:get(v, y)
    if members then
      local sub = {}
      for j, i in ipairs(members) do sub[j] = a[i] end
      a = cbal.array(sub)
    end
    t[v] = valid(v, a)
  end
  return t
end

-- Why item j has no factors in a year, or nil.
local function reason(x, j)
  for _, v in ipairs({ "C", "N", "G", "P", "S" }) do
    if x[v][j] ~= x[v][j] then return ("%s missing or invalid"):format(v) end
  end
  if x.N[j] == 0 then return x.C[j] > 0 and "Q = +∞ (N = 0)" or "Q undefined (C = N = 0)" end
end

-- Factor arrays of year y: CI = C/G, R = G/P, I = P/S, M = S/N (and NS =
-- N/N_R when regional). Zeros stay (the kernel's limits); an item without
-- a finite Q gets NaN factors and why(j, y, text) records it.
local function factors(p, y, members, regional, why)
  local x = inputs(p, y, members)
  local f = { x.C / x.G, x.G / x.P, x.P / x.S, x.S / x.N }
  if regional then f[5] = x.N / x.N:sum() end
  for j = 1, #x.C do
    local r = reason(x, j)
    if r then
      for k = 1, #f do f[k][j] = NAN end
      why(j, y, r)
    end
  end
  return f
end

-- Collects reasons: item -> {text -> years}; text(j) says them all.
local function reasons()
  local by = {}
  local function why(j, y, r)
    by[j] = by[j] or { order = {} }
    if not by[j][r] then
      by[j][r] = {}
      table.insert(by[j].order, r)
    end
    table.insert(by[j][r], y)
  end
  local function text(j)
    if not by[j] then return "a factor changes sign" end
    local parts = {}
    for _, r in ipairs(by[j].order) do
      parts[#parts + 1] = r .. " in " .. require("cbal.panel").ranges(by[j][r])
    end
    return table.concat(parts, "; ")
  end
  return why, text
end

local function decompose(p, opts, members, regional)
  local y0, y1 = opts.from, opts.to
  if not (math.type(y0) == "integer" and math.type(y1) == "integer" and y1 > y0) then
    error("lmdi: options 'from' and 'to' must be years with to > from", 3)
  end
  local kopts = { method = opts.method or "additive", names = regional and M.REGIONAL or M.FACTORS }
  local why, text = reasons()
  local r
  if opts.chained then
    local states = {}
    for _, y in ipairs(span(y0, y1)) do states[#states + 1] = factors(p, y, members, regional, why) end
    r = cbal.lmdi_chain(states, kopts)
  else
    r = cbal.lmdi(factors(p, y0, members, regional, why), factors(p, y1, members, regional, why), kopts)
  end
  r.label, r.from, r.to = label(opts.chained, y0, y1), y0, y1
  r.reasons = {}
  for j, u in ipairs(r.undefined) do
    r.reasons[j] = ("%s: %s"):format(p:label(members and members[u] or u), text(u))
  end
  return r
end

-- One warning naming the counties whose decomposition is undefined.
function M.warn_undefined(what, list)
  if #list == 0 then return end
  cbal.warn(("lmdi %s: the decomposition of %d count%s is undefined, %s effects are missing "
    .. "(NaN): %s"):format(what, #list, #list == 1 and "y" or "ies", #list == 1 and "its" or "their",
    table.concat(list, "; ")))
end

-- Q = C/N of year y from valid inputs (+inf where N = 0 < C).
local function county_q(p, y)
  return valid("C", p:get("C", y)) / valid("N", p:get("N", y))
end

-- lmdi.county(p, {from =, to =, chained =, method =, warn =}): the decomposition of
-- each county's own Q (one item per county). r.items.CI[i] ... r.items.M[i]
-- are county i's effects (additive: they sum to Q_i,to − Q_i,from); r.dQ is
-- that change per county, r.Q0 and r.Q1 its Q; r.undefined lists the
-- counties without a decomposition (Q = +inf or undefined in a year of the
-- period, a missing input), r.reasons names them with why ("320102
-- (玄武区): Q = +∞ (N = 0) in 2010"), also warned unless warn = false;
-- r.label says period-wise or chained.
function M.county(p, opts)
  opts = checkopts("lmdi.county", opts, { "from", "to", "chained", "method", "warn" })
  local r = decompose(p, opts, nil, false)
  r.Q0, r.Q1 = county_q(p, opts.from), county_q(p, opts.to)
  r.dQ = r.Q1 - r.Q0
  if opts.warn ~= false then M.warn_undefined(r.label, r.reasons) end
  return r
end

-- lmdi.regional(p, {from =, to =, by =, chained =, method =, warn =}): for each
-- group of `by` ("region", "city", a list, or "province"/nil) the exact
-- 5-factor decomposition of Q_R with its counties as sub-categories:
-- effects CI, R, I, M, NS sum to the change of the counties it includes
-- (additive, no residual). Returns order, group -> result with effects,
-- q0, q1 = Q_R = ΣC/ΣN over every county of the group (as the aggregate
-- tables), dq = q1 − q0, not_decomposed = dq − Σ effects (additive: the
-- change carried by the counties left out), undefined and reasons (the
-- counties left out, named), v0, v1 and change over the counties included,
-- label. Counties left out are warned per group unless warn = false.
function M.regional(p, opts)
  opts = checkopts("lmdi.regional", opts, { "from", "to", "by", "chained", "method", "warn" })
  local order, members = aggregate.groups(p, opts.by)
  local _, s0 = aggregate.sums(p, opts.by, opts.from, { "C", "N" })
  local _, s1 = aggregate.sums(p, opts.by, opts.to, { "C", "N" })
  local out = {}
  for _, g in ipairs(order) do
    local r = decompose(p, opts, members[g], true)
    r.group, r.counties = g, members[g]
    r.q0, r.q1 = s0[g].Q, s1[g].Q
    r.dq = r.q1 - r.q0
    local sum = 0
    for k = 1, #M.REGIONAL do sum = sum + r.effects[k] end
    -- nothing left out: 0 exactly (dq and Σ effects then differ by rounding only)
    r.not_decomposed = (opts.method or "additive") ~= "additive" and NAN
      or #r.undefined == 0 and 0 or r.dq - sum
    if opts.warn ~= false then
      M.warn_undefined(r.label .. (opts.by and (" of " .. tostring(g)) or ""), r.reasons)
    end
    out[g] = r
  end
  return order, out
end

return M
