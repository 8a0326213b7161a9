-- The library's one median and one element-wise mean: both skip missing
-- values (NaN), as the array reductions (a:mean(), a:sum()) do; and one
-- sort by a value that may be missing.
local cbal = require "cbal"

local M = {}

-- The median of the non-missing values of a (an array or a list); the
-- mean of the two middle values for an even count; NaN when none.
function M.median(a)
  local t = {}
  for i = 1, #a do
    local x = a[i]
    if x == x then t[#t + 1] = x end
  end
  table.sort(t)
  local m = #t
  if m == 0 then return 0 / 0 end
  if m % 2 == 1 then return t[(m + 1) // 2] end
  return (t[m // 2] + t[m // 2 + 1]) / 2
end

-- The element-wise mean of a list of arrays of one length, each element
-- over the arrays where it is not missing (NaN where it is missing in all).
function M.mean(arrays)
  local sum, cnt
  for _, a in ipairs(arrays) do
    a = cbal.array(a)
    local ok = a:isnan():eq(0)
    sum = (sum or cbal.array(#a, 0)) + a:where(ok, 0)
    cnt = (cnt or cbal.array(#a, 0)) + ok
  end
  if not sum then error("stats.mean: no arrays given", 2) end
  return sum / cnt:where(cnt:gt(0))
end

-- Sorts list in place from the largest value(item) to the smallest,
-- items whose value is NaN last, ties and NaNs by name(item): a total
-- order, which table.sort needs (with NaN, > alone leaves the order
-- undefined and may raise "invalid order function"). Returns list.
function M.sort_desc(list, value, name)
  local v, n = {}, {}
  for _, it in ipairs(list) do v[it], n[it] = value(it), name(it) end
  table.sort(list, function(a, b)
    local x, y = v[a], v[b]
    if x ~= x or y ~= y then
      if (x ~= x) ~= (y ~= y) then return x == x end
    elseif x ~= y then
      return x > y
    end
    return n[a] < n[b]
  end)
  return list
end

return M
