-- Fig. 6: LMDI effects on county Q, four same-scale maps per period and a
-- legend column; pretty symmetric classes centred on 0, city outlines.
local cbal = require "cbal"
local figures = require "cbal.figures"
local size = require("cbal.report.common").size

local FACTORS = { "CI", "R", "I", "M" }

-- The period's class edges, symmetric around 0 (figures.symmetric_breaks,
-- as lmdi_maps draws them): pooled over the four effects.
local function period_breaks(items)
  local list = {}
  for i, f in ipairs(FACTORS) do list[i] = items[f] end
  return figures.symmetric_breaks(list, true, "Fig. 6")
end

return {
  kind = "figure",
  inputs = { "layer", "lmdi" },
  optional_inputs = { "cities", "theme" },
  build = function(I)
    local h = 48 * #I.lmdi + 12
    local fig = cbal.figure{ width_mm = size.w(183, h), height_mm = size.h(183, h), dpi = 150,
                             widths = { 1, 1, 1, 1, 0.7 }, theme = I.theme,
                             title = "Fig. 6  LMDI effects on county Q (additive, period-wise)" }
    local overlay = I.cities and { layer = I.cities, width = 0.3 } or nil
    for r, L in ipairs(I.lmdi) do
      local br = period_breaks(L.county.items)
      for c, f in ipairs(FACTORS) do
        fig:panel{ row = r, col = c, title = ("%s %d-%d"):format(f, L.from, L.to) }:map{
          layer = I.layer, values = L.county.items[f], breaks = br, palette = "RdBu_r",
          center = 0, overlay = overlay, legend = false, reserve = true }
      end
      -- the legend of the period's values: "No data" for a county without
      -- a decomposition (Q = +inf)
      local all = {}
      for _, f in ipairs(FACTORS) do
        local a = L.county.items[f]
        for i = 1, #a do all[#all + 1] = a[i] end
      end
      fig:panel{ row = r, col = 5 }:legend{ breaks = br, palette = "RdBu_r", center = 0,
                                            values = all, title = "effect on Q" }
    end
    return { title = "Fig. 6  LMDI effects per county", figure = fig }
  end,
}
