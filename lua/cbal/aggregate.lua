-- Aggregation of a panel to city, region and province: sums of C, N, G, P, S
-- with every ratio recomputed from the sums (never averaged), and growth
-- (total and average annual) per group.
local cbal = require "cbal"
local checkopts = require("cbal.opts").check

local M = {}

M.SUMS = { "C", "N", "G", "P", "S" }

-- Ratios from sums: Q = C/N, drivers CI = C/G, R = G/P, I = P/S, M = S/N,
-- per_capita = C/P, intensity = C/G (nil when an input is absent).
local function ratios(t)
  local function r(a, b)
    if t[a] == nil or t[b] == nil then return nil end
    return t[a] / t[b]
  end
  t.Q, t.CI, t.R, t.I, t.M = r("C", "N"), r("C", "G"), r("G", "P"), r("P", "S"), r("S", "N")
  t.per_capita, t.intensity = r("C", "P"), r("C", "G")
  return t
end
M.ratios = ratios

-- Group names and members for key: "province" (or nil) -> one group of all
-- counties; otherwise panel:groups(key) ("city", "region" or a list).
local function groups(p, key)
  if key == nil or key == "province" then
    local all = {}
    for i = 1, p.n do all[i] = i end
    return { "province" }, { province = all }
  end
  return p:groups(key)
end
M.groups = groups

-- Σ of the valid values of members (the compensated sum of cbal.Array,
-- as the provincial totals) and the number of members without one.
local function subset_sum(a, members)
  local t, missing = {}, 0
  for j, i in ipairs(members) do
    t[j] = a[i]
    if a[i] ~= a[i] then missing = missing + 1 end
  end
  return cbal.array(t):sum(), missing
end

-- aggregate.sums(p, key, year [, vars]) -> order, group -> {C, N, G, P, S,
-- Q, CI, R, I, M, per_capita, intensity, counties, missing = {var -> n}}.
-- Variables absent from the panel for that year are skipped; a county
-- without a valid value (carbon.valid: missing, negative, or a zero G, P
-- or S) is left out of that variable's sum and counted. Zeros of C and N
-- count: a group whose N is 0 has Q = +inf.
function M.sums(p, key, year, vars)
  local valid = require("cbal.carbon").valid
  local order, members = groups(p, key)
  local values = {} -- each variable's valid values, once for every group
  for _, v in ipairs(vars or M.SUMS) do
    if p:has(v, year) then values[#values + 1] = { v, valid(v, p:get(v, year)) } end
  end
  local out = {}
  for _, g in ipairs(order) do
    local t = { counties = #members[g], missing = {} }
    for _, va in ipairs(values) do
      local s, miss = subset_sum(va[2], members[g])
      t[va[1]] = s
      if miss > 0 then t.missing[va[1]] = miss end
    end
    out[g] = ratios(t)
  end
  return order, out
end

-- aggregate.series(p, key, years [, vars]) -> order, group -> year -> sums
function M.series(p, key, years, vars)
  local order, res = nil, {}
  for _, y in ipairs(years) do
    local o, sums = M.sums(p, key, y, vars)
    order = o
    for _, g in ipairs(o) do
      res[g] = res[g] or {}
      res[g][y] = sums[g]
    end
  end
  return order or {}, res
end

-- aggregate.growth(series, var, y0, y1) -> group -> {total, aagr, from, to}
-- with total = X1/X0 - 1 and aagr = (X1/X0)^(1/(y1-y0)) - 1 (cbal.growth).
function M.growth(series, var, y0, y1)
  if not (math.type(y0) == "integer" and math.type(y1) == "integer" and y1 > y0) then
    error("aggregate.growth: years must be integers with y1 > y0", 2)
  end
  local out, groups = {}, {}
  for g in pairs(series) do groups[#groups + 1] = g end
  table.sort(groups, function(a, b) return tostring(a) < tostring(b) end)
  for _, g in ipairs(groups) do
    local byyear = series[g]
    local a, b = byyear[y0], byyear[y1]
    if not a or not b then
      error(("aggregate.growth: group '%s' has no year %d"):format(
        tostring(g), a and y1 or y0), 2)
    end
    if a[var] == nil or b[var] == nil then
      error(("aggregate.growth: group '%s' has no '%s' for year %d (is it in the panel?)")
        :format(tostring(g), var, a[var] == nil and y0 or y1), 2)
    end
    local total, aagr = cbal.growth(a[var], b[var], y1 - y0)
    out[g] = { total = total, aagr = aagr, from = a[var], to = b[var] }
  end
  return out
end

-- aggregate.aagr(p, key, var, y0, y1) -> order, group -> {total, aagr,
-- from, to}: growth of a summed or recomputed variable per group.
function M.aagr(p, key, var, y0, y1, opts)
  checkopts("aggregate.aagr", opts, {})
  local order, series = M.series(p, key, { y0, y1 })
  return order, M.growth(series, var, y0, y1)
end

return M
