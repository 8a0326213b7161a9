-- LMDI of Q per study period: per county (period-wise and chained) and per
-- region and province by the exact 5-factor identity.
local lmdi = require "cbal.lmdi"

local M = { name = "decomposition" }

function M.run(S)
  local p = S.panel
  S.lmdi = {}
  for _, pr in ipairs(S.periods) do
    -- the county decomposition warns about undefined counties once; the
    -- regional ones leave the same counties out and stay quiet
    local r = lmdi.county(p, { from = pr[1], to = pr[2] })
    local _, reg = lmdi.regional(p, { from = pr[1], to = pr[2], by = "region", warn = false })
    local _, prov = lmdi.regional(p, { from = pr[1], to = pr[2], warn = false })
    local chain = lmdi.county(p, { from = pr[1], to = pr[2], chained = true })
    S.lmdi[#S.lmdi + 1] = { from = pr[1], to = pr[2], county = r, region = reg,
                            province = prov, chained = chain }
  end
end

return M
