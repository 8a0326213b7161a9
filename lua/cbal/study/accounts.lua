-- Carbon accounts of every county and year: C by night-light share (in
-- one or two levels, cbal.study.cities), Q, ECC, ESC and the drivers, and
-- the provincial totals.
local carbon = require "cbal.carbon"
local cities = require "cbal.study.cities"

local M = { name = "accounts" }

function M.run(S)
  local p, years = S.panel, S.years
  cities.allocate(S)
  S.ind = carbon.panel_indicators(p, years)
  -- provincial totals over every county with a value (allocation sums to
  -- the total)
  S.prov = {}
  for _, y in ipairs(years) do
    S.prov[y] = { C = S.ind[y].totals.C, N = S.ind[y].totals.N }
  end
end

return M
