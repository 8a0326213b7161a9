-- county_panel.csv: every variable of every county and year.
local common = require "cbal.report.common"

local VARS = { "light", "NPP", "C", "N", "G", "P", "S", "Q", "ECC", "ESC", "CI", "R", "I", "M",
  "light_uncovered", "npp_uncovered" }

return {
  kind = "table", html = false,
  variables = VARS, -- the study's variables, which spatial.variables may name
  inputs = { "panel", "years" },
  build = function(I)
    local rows = {}
    for _, y in ipairs(I.years) do
      for _, r in ipairs(common.county_rows(I.panel, y, VARS)) do rows[#rows + 1] = r end
    end
    local head = { "code", "name", "city", "region", "year" }
    for _, v in ipairs(VARS) do head[#head + 1] = v end
    return { title = "County panel: light (DN sum), NPP (Mt C), C and N (Mt CO2), " ..
      "G (100 million yuan), P (10k persons), S (km2), Q, ECC, ESC, drivers; light_uncovered and " ..
      "npp_uncovered: share of the county outside the raster or on cells without a value",
      columns = head, rows = rows }
  end,
}
