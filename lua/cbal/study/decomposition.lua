-- LMDI of Q per study period: per county (period-wise and chained) and per
-- region and province by the exact 5-factor identity. Counties without a
-- decomposition (Q = +inf, N = 0, or a missing input) are named in one
-- warning per run and in the tables' notes.
local cbal = require "cbal"
local lmdi = require "cbal.lmdi"

local M = { name = "decomposition" }

-- "2000-2010: 321002 (广陵区): Q = +∞ (N = 0) in 2010" for each county of
-- each period's chained result (a superset of the period-wise one).
local function undefined(list)
  local out, n = {}, {}
  for _, L in ipairs(list) do
    for _, r in ipairs(L.chained.reasons) do
      out[#out + 1] = ("%d-%d: %s"):format(L.from, L.to, r)
      n[r:match("^(.-): ")] = true
    end
  end
  local count = 0
  for _ in pairs(n) do count = count + 1 end
  return out, count
end

function M.run(S)
  local p = S.panel
  S.lmdi = {}
  for _, pr in ipairs(S.periods) do
    local o = { from = pr[1], to = pr[2], warn = false }
    local r = lmdi.county(p, o)
    local _, reg = lmdi.regional(p, { from = pr[1], to = pr[2], by = "region", warn = false })
    local _, prov = lmdi.regional(p, o)
    local chain = lmdi.county(p, { from = pr[1], to = pr[2], chained = true, warn = false })
    S.lmdi[#S.lmdi + 1] = { from = pr[1], to = pr[2], county = r, region = reg,
                            province = prov, chained = chain }
  end
  local list, n = undefined(S.lmdi)
  if n > 0 then
    cbal.warn(("lmdi: the decomposition of Q is undefined for %d count%s, so %s effects are "
      .. "missing (NaN) and the regional and provincial decompositions leave %s out "
      .. "(t6_lmdi_regional, not_decomposed): %s"):format(n, n == 1 and "y" or "ies",
      n == 1 and "its" or "their", n == 1 and "it" or "them", table.concat(list, "; ")))
  end
end

return M
