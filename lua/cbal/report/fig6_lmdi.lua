-- Fig. 6: LMDI effects on county Q, four same-scale maps per period and a
-- legend column; pretty symmetric classes centred on 0, city outlines.
local cbal = require "cbal"
local size = require("cbal.report.common").size

local FACTORS = { "CI", "R", "I", "M" }

-- Symmetric class edges up to the 90th percentile of |effect| (urban
-- districts with almost no vegetation have extreme Q and effects), made
-- pretty on the magnitudes (so the mirror stays symmetric).
local function symmetric_breaks(items)
  local mags = {}
  for _, f in ipairs(FACTORS) do
    local a = items[f]
    for i = 1, #a do if a[i] == a[i] then mags[#mags + 1] = math.abs(a[i]) end end
  end
  table.sort(mags)
  local lim = mags[math.max(1, math.ceil(#mags * 0.9))] or 1
  local top = (mags[#mags] or 1) * 1.0001
  lim = lim > 0 and lim or 1
  if top <= lim then top = lim * 1.0001 end
  local low = lim / 5
  if #mags > 1 then
    local e = cbal.breaks(mags, { method = "manual", breaks = { 0, low, lim, top }, round = true })
    low, lim, top = e[2], e[3], e[4]
  end
  return { -top, -lim, -low, low, lim, top }
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
      local br = symmetric_breaks(L.county.items)
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
