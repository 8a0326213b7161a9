-- cbal.allocation: a provincial total allocated in two levels: among the
-- cities in proportion to their own inventories (so the provincial total
-- is kept), then within each city among its counties by a weight (night
-- light), with the grouped cbal.alloc.
local cbal = require "cbal"
local opts = require "cbal.opts"
local normalize = require("cbal.panel").normalize_id

local M = {}

-- The inventories as {[id] = value} with normalised ids (so 320100,
-- 320100.0 and "320100" are one city).
local function inventory_map(inv)
  local out = {}
  for k, v in pairs(inv) do
    local id = normalize(k)
    if type(v) ~= "number" or v ~= v or v < 0 or v == math.huge then
      error(("allocation.two_level: the inventory of city %s is %s; it must be a number >= 0")
        :format(tostring(k), tostring(v)), 3)
    end
    out[id] = v
  end
  return out
end

-- Checks that the cities with counties and the cities in the inventory
-- are the same set; raises naming the ones that differ.
local function check_cities(inv, city)
  local has, missing, seen = {}, {}, {}
  for i = 1, #city do
    local c = normalize(city[i])
    if c == nil then
      error(("allocation.two_level: county %d has no city"):format(i), 3)
    end
    has[c] = true
    if inv[c] == nil and not seen[c] then
      seen[c] = true
      missing[#missing + 1] = ("%s (e.g. county %d)"):format(c, i)
    end
  end
  if #missing > 0 then
    error(("allocation.two_level: city %s has counties but no inventory value"):format(
      table.concat(missing, ", ")), 3)
  end
  local extra = {}
  for c in pairs(inv) do
    if not has[c] then extra[#extra + 1] = c end
  end
  table.sort(extra)
  if #extra > 0 then
    error(("allocation.two_level: city %s is in the inventory but has no counties, so its "
      .. "share would be lost; check the city ids of the counties and of the inventory")
      :format(table.concat(extra, ", ")), 3)
  end
end

-- two_level{total =, inventories = {[city id] = value}, weights =, city =}
-- -> county values (cbal.Array, summing to total) and the city totals
-- {[city id] = value}. weights: one per county (an array or list); city:
-- the city id of each county (numbers or strings; 320100 and "320100" are
-- the same). Every city with counties needs an inventory value and every
-- city in the inventory needs a county.
function M.two_level(o)
  o = opts.check("allocation.two_level", o, { "total", "inventories", "weights", "city" })
  if type(o.total) ~= "number" or not (o.total >= 0) or o.total == math.huge then
    error("allocation.two_level: total must be a number >= 0", 2)
  end
  if type(o.inventories) ~= "table" or type(o.city) ~= "table" or o.weights == nil then
    error("allocation.two_level: give total, inventories = {[city] = value}, weights and city", 2)
  end
  local inv = inventory_map(o.inventories)
  local w = cbal.array(o.weights)
  if #w ~= #o.city then
    error(("allocation.two_level: %d weights but %d cities (one per county)"):format(#w, #o.city), 2)
  end
  check_cities(inv, o.city)
  local ids, shares = {}, {}
  for c in pairs(inv) do ids[#ids + 1] = c end
  table.sort(ids)
  local v = {}
  for i, c in ipairs(ids) do v[i] = inv[c] end
  local ok, s = pcall(cbal.alloc, o.total, cbal.array(v))
  if not ok then
    error("allocation.two_level: the city inventories: " .. tostring(s):gsub("^[^:]+:%d+: ", ""), 2)
  end
  for i, c in ipairs(ids) do shares[c] = s[i] end
  local groups = {}
  for i = 1, #o.city do groups[i] = normalize(o.city[i]) end
  local ok2, out = pcall(cbal.alloc, shares, w, groups)
  if not ok2 then
    error("allocation.two_level: " .. tostring(out):gsub("^[^:]+:%d+: ", ""), 2)
  end
  return out, shares
end

return M
