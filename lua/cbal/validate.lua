-- cbal.validate(pred, ref [, {names = ...}]): how well estimates match a
-- reference (e.g. allocated emissions against an independent inventory):
-- n, Pearson r, R², least-squares slope and intercept, RMSE, MAE, MAPE,
-- bias, and the pairs behind them.
local cbal = require "cbal"
local opts = require "cbal.opts"

local M = {}

local function values(v, what)
  if type(v) == "table" and getmetatable(v) == nil then
    for i = 1, #v do
      if type(v[i]) ~= "number" then
        error(("validate: %s[%d] must be a number (NaN for a missing value), got %s")
          :format(what, i, type(v[i])), 3)
      end
    end
    return cbal.array(v)
  end
  local ok, a = pcall(cbal.array, v)
  if not ok then
    error(("validate: %s must be an array or a list of numbers, got %s"):format(what, type(v)), 3)
  end
  return a
end

-- The pairs where both values are numbers: their positions and the names
-- of those left out.
local function pairs_of(p, r, names)
  local keep, dropped = {}, {}
  for i = 1, #p do
    if p[i] == p[i] and r[i] == r[i] and math.abs(p[i]) ~= math.huge
       and math.abs(r[i]) ~= math.huge then
      keep[#keep + 1] = i
    else
      dropped[#dropped + 1] = names and names[i] or i
    end
  end
  return keep, dropped
end

local function fit(p, r, keep)
  local n, mp, mr = #keep, 0, 0
  for _, i in ipairs(keep) do mp, mr = mp + p[i], mr + r[i] end
  mp, mr = mp / n, mr / n
  local srr, spp, srp = 0, 0, 0
  for _, i in ipairs(keep) do
    local dr, dp = r[i] - mr, p[i] - mp
    srr, spp, srp = srr + dr * dr, spp + dp * dp, srp + dr * dp
  end
  local nan = 0 / 0
  local slope = srr > 0 and srp / srr or nan
  local r_ = (srr > 0 and spp > 0) and srp / math.sqrt(srr * spp) or nan
  return r_, slope, slope == slope and mp - slope * mr or nan, srr
end

-- The metrics of pred against ref over the pairs where both are numbers
-- (a NaN or infinite value on either side leaves the pair out, listed in
-- `dropped`). The fit is pred = intercept + slope * ref; R² = r²; MAPE is
-- over the pairs with ref ~= 0 (`mape_n` of them), in percent; bias is the
-- mean of pred - ref, pbias its sum over the sum of ref, in percent; nse
-- is the Nash-Sutcliffe efficiency 1 - Σ(p-r)²/Σ(r-r̄)² (R² about the 1:1
-- line). `pairs` lists {name, pred, ref, diff, pct} in input order.
local function validate(pred, ref, o)
  o = opts.check("validate", o, { "names" })
  local p, r = values(pred, "pred"), values(ref, "ref")
  if #p ~= #r then
    error(("validate: pred has %d values but ref has %d"):format(#p, #r), 2)
  end
  local names = o.names
  if names ~= nil and (type(names) ~= "table" or #names ~= #p) then
    error(("validate: names must be a list of %d names (one per pair), got %s")
      :format(#p, type(names) == "table" and (#names .. " entries") or type(names)), 2)
  end
  local keep, dropped = pairs_of(p, r, names)
  if #keep == 0 then
    error(("validate: no pair has both values (all %d have a missing pred or ref)"):format(#p), 2)
  end
  local v = { n = #keep, dropped = dropped, pairs = {} }
  v.r, v.slope, v.intercept = fit(p, r, keep)
  v.r2 = v.r * v.r
  local se, ae, ape, bias, sr, mr = 0, 0, 0, 0, 0, 0
  local nape = 0
  for _, i in ipairs(keep) do mr = mr + r[i] end
  mr = mr / #keep
  local sst = 0
  for _, i in ipairs(keep) do
    local d = p[i] - r[i]
    se, ae, bias, sr = se + d * d, ae + math.abs(d), bias + d, sr + r[i]
    sst = sst + (r[i] - mr) ^ 2
    local pct = r[i] ~= 0 and 100 * d / r[i] or 0 / 0
    if r[i] ~= 0 then ape, nape = ape + math.abs(pct), nape + 1 end
    v.pairs[#v.pairs + 1] = { name = names and names[i] or i, pred = p[i], ref = r[i],
                              diff = d, pct = pct }
  end
  local n = #keep
  v.rmse, v.mae, v.bias = math.sqrt(se / n), ae / n, bias / n
  v.mape, v.mape_n = nape > 0 and ape / nape or 0 / 0, nape
  v.pbias = sr ~= 0 and 100 * bias / sr or 0 / 0
  v.nse = sst > 0 and 1 - se / sst or 0 / 0
  return v
end

local function g(x, digits)
  if x ~= x then return "n/a" end
  return ("%." .. (digits or 3) .. "g"):format(x)
end

-- r and R² with three decimals each (0.830, not 0.83 beside 0.986)
local function f3(x)
  if x ~= x then return "n/a" end
  return ("%.3f"):format(x)
end

-- The metrics as short lines for a scatter panel's box or a printout:
-- n, r, R², slope, RMSE, MAPE, bias (in the values' units, given as
-- `units`).
function M.lines(v, units)
  local u = units and (" " .. units) or ""
  return {
    ("n = %d"):format(v.n),
    ("r = %s, R² = %s"):format(f3(v.r), f3(v.r2)),
    ("slope = %s"):format(g(v.slope)),
    ("RMSE = %s%s"):format(g(v.rmse), u),
    ("MAPE = %s %%"):format(g(v.mape)),
    ("bias = %s%s"):format(g(v.bias), u),
  }
end

M.validate = validate

local normalize = require("cbal.panel").normalize_id

local function ids_of(list, what)
  local out = {}
  for i = 1, #list do
    out[i] = normalize(list[i])
    if out[i] == nil then error(("validate: %s %d has no id"):format(what, i), 3) end
  end
  return out
end

-- sum_by(values, keys) -> the distinct keys (normalised ids, sorted) and
-- the sum of the values of each (NaN when any of its values is NaN: a
-- total with a missing part is unknown).
function M.sum_by(values, keys)
  local v = cbal.array(values)
  if #v ~= #keys then
    error(("validate.sum_by: %d values but %d keys"):format(#v, #keys), 2)
  end
  local k, sums, order = ids_of(keys, "key"), {}, {}
  for i = 1, #v do
    if sums[k[i]] == nil then sums[k[i]] = 0; order[#order + 1] = k[i] end
    sums[k[i]] = sums[k[i]] + v[i]
  end
  table.sort(order)
  local out = cbal.array(#order, 0)
  for i, key in ipairs(order) do out[i] = sums[key] end
  return order, out
end

-- Where each crosswalk row leads; raises on a row whose target is not a
-- unit while its source is in the reference (or is in neither).
local function check_crosswalk(cw, is_ref, is_unit)
  local rows = {}
  for from, to in pairs(cw) do rows[#rows + 1] = { normalize(from), normalize(to) } end
  table.sort(rows, function(a, b) return a[1] < b[1] end)
  local map = {}
  for _, r in ipairs(rows) do
    if not is_unit[r[2]] then
      error(is_ref[r[1]] and
        ("validate: crosswalk %s -> %s: %s is not one of the units; fix the row's target"):format(r[1], r[2], r[2])
        or ("validate: crosswalk %s -> %s: neither code is known (%s is not in the reference, %s is not one of the units); fix or drop the row")
          :format(r[1], r[2], r[1], r[2]), 3)
    end
    map[r[1]] = r[2]
  end
  return map
end

-- to_units(ref_ids, ref_values, unit_ids [, crosswalk]) -> an array over
-- unit_ids: the sum of the reference rows that fall in each unit (its id
-- directly, or through crosswalk = {[reference id] = unit id} for merged
-- and renamed units); NaN for a unit no row reaches, or when a row that
-- reaches it is NaN. Also returns the list of units no row reaches. A
-- reference id that reaches no unit is an error listing them all.
function M.to_units(ref_ids, ref_values, unit_ids, crosswalk)
  local rid, uid = ids_of(ref_ids, "reference row"), ids_of(unit_ids, "unit")
  local rv = cbal.array(ref_values)
  if #rv ~= #rid then
    error(("validate.to_units: %d reference ids but %d values"):format(#rid, #rv), 2)
  end
  local is_ref, is_unit, pos = {}, {}, {}
  for _, id in ipairs(rid) do is_ref[id] = true end
  for i, id in ipairs(uid) do is_unit[id] = true; pos[id] = i end
  local map = check_crosswalk(crosswalk or {}, is_ref, is_unit)
  local out, reached, lost = cbal.array(#uid, 0), {}, {}
  for i, id in ipairs(rid) do
    local to = map[id] or (is_unit[id] and id)
    if not to then
      lost[#lost + 1] = id
    else
      out[pos[to]] = out[pos[to]] + rv[i]
      reached[to] = true
    end
  end
  if #lost > 0 then
    error(("validate: reference id%s %s match%s no unit and %s not in the crosswalk; add a "
      .. "crosswalk row from each to the unit that holds it now"):format(#lost > 1 and "s" or "",
      table.concat(lost, ", "), #lost > 1 and "" or "es", #lost > 1 and "are" or "is"), 2)
  end
  local missing = {}
  for i, id in ipairs(uid) do
    if not reached[id] then out[i] = 0 / 0; missing[#missing + 1] = id end
  end
  return out, missing
end

return setmetatable(M, { __call = function(_, ...) return validate(...) end })
