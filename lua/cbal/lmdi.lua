-- LMDI of the carbon balance coefficient Q = CI·R·I·M: per county (each
-- county its own aggregate) and per region or province by the exact
-- 5-factor identity Q_R = Σ_i CI_i·R_i·I_i·M_i·(N_i/N_R); period-wise or
-- chained year by year (cbal.lmdi, cbal.lmdi_chain).
local cbal = require "cbal"
local checkopts = require("cbal.opts").check
local span = require("cbal.panel").span
local aggregate = require "cbal.aggregate"

local M = {}

M.FACTORS = { "CI", "R", "I", "M" }
M.REGIONAL = { "CI", "R", "I", "M", "NS" } -- NS = N_i / N_R

local function label(chained, y0, y1)
  return (chained and "chained year by year %d-%d" or "period-wise %d-%d"):format(y0, y1)
end

-- Factor arrays of year y for the counties in `members` (nil = all):
-- CI = C/G, R = G/P, I = P/S, M = S/N (and NS = N/N_R when regional).
-- Non-positive inputs give NaN, which the kernel reports as undefined.
local function factors(p, y, members, regional)
  local function pick(v)
    local a = p:get(v, y)
    if not members then return a end
    local t = {}
    for j, i in ipairs(members) do t[j] = a[i] end
    return cbal.array(t)
  end
  local C, N, G, P, S = pick("C"), pick("N"), pick("G"), pick("P"), pick("S")
  local function pos(a) return a:where(a:gt(0)) end
  C, N, G, P, S = pos(C), pos(N), pos(G), pos(P), pos(S)
  local f = { C / G, G / P, P / S, S / N }
  if regional then f[5] = N / N:sum() end
  return f
end

local function decompose(p, opts, members, regional, group)
  local y0, y1 = opts.from, opts.to
  if not (math.type(y0) == "integer" and math.type(y1) == "integer" and y1 > y0) then
    error("lmdi: options 'from' and 'to' must be years with to > from", 3)
  end
  local names = regional and M.REGIONAL or M.FACTORS
  local kopts = { method = opts.method or "additive", names = names }
  local r
  if opts.chained then
    local states = {}
    for _, y in ipairs(span(y0, y1)) do
      states[#states + 1] = factors(p, y, members, regional)
    end
    r = cbal.lmdi_chain(states, kopts)
  else
    r = cbal.lmdi(factors(p, y0, members, regional), factors(p, y1, members, regional), kopts)
  end
  r.label = label(opts.chained, y0, y1)
  r.from, r.to = y0, y1
  if #r.undefined > 0 and opts.warn ~= false then
    local who = {}
    for j = 1, math.min(#r.undefined, 8) do
      local u = r.undefined[j]
      who[j] = p:label(members and members[u] or u)
    end
    if #r.undefined > 8 then who[#who + 1] = ("... (%d more)"):format(#r.undefined - 8) end
    cbal.warn(("lmdi %s%s: %d county(ies) undefined (a non-positive or missing input, or a "
      .. "sign change), effects NaN and left out: %s"):format(r.label,
      group and (" of " .. tostring(group)) or "", #r.undefined, table.concat(who, ", ")))
  end
  return r
end

-- lmdi.county(p, {from =, to =, chained =, method =, warn =}): the decomposition of
-- each county's own Q (one item per county). r.items.CI[i] ... r.items.M[i]
-- are county i's effects (additive: they sum to Q_i,to − Q_i,from); r.dQ is
-- that change per county; r.undefined lists counties with a sign change or
-- a missing input (NaN effects), also warned unless warn = false; r.label
-- says period-wise or chained.
function M.county(p, opts)
  opts = checkopts("lmdi.county", opts, { "from", "to", "chained", "method", "warn" })
  local r = decompose(p, opts, nil, false)
  local function q(y)
    local C, N = p:get("C", y), p:get("N", y)
    return C:where(C:gt(0)) / N:where(N:gt(0))
  end
  r.dQ = q(opts.to) - q(opts.from)
  r.Q0, r.Q1 = q(opts.from), q(opts.to)
  return r
end

-- lmdi.regional(p, {from =, to =, by =, chained =, method =, warn =}): for each
-- group of `by` ("region", "city", a list, or "province"/nil) the exact
-- 5-factor decomposition of Q_R with its counties as sub-categories:
-- effects CI, R, I, M, NS sum to ΔQ_R (additive) with no residual.
-- Returns order, group -> result (effects, change, v0 = Q_R,from, v1 =
-- Q_R,to, unexplained, undefined, label). Undefined counties are warned per
-- group ("... of south") unless warn = false.
function M.regional(p, opts)
  opts = checkopts("lmdi.regional", opts, { "from", "to", "by", "chained", "method", "warn" })
  local order, members = aggregate.groups(p, opts.by)
  local out = {}
  for _, g in ipairs(order) do
    out[g] = decompose(p, opts, members[g], true, opts.by and g or nil)
    out[g].group = g
    out[g].counties = members[g]
  end
  return order, out
end

return M
