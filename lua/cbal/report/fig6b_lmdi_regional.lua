-- Fig. 6b: LMDI effects on regional and provincial Q (5-factor identity),
-- stacked, with a marker at each net change ΔQ (the sum of the effects and,
-- when a county could not be decomposed, of its part: "not decomposed").
local cbal = require "cbal"
local size = require("cbal.report.common").size

local NAMES = { "CI", "R", "I", "M", "NS" }

return {
  kind = "figure",
  inputs = { "lmdi" },
  optional_inputs = { "theme" },
  build = function(I)
    local cats, eff, rest = {}, {}, { name = "not decomposed", values = {}, color = "#bdbdbd" }
    local any = false
    for k, f in ipairs(NAMES) do eff[k] = { name = f, values = {} } end
    for _, L in ipairs(I.lmdi) do
      local groups = {}
      for g in pairs(L.region) do groups[#groups + 1] = g end
      table.sort(groups)
      groups[#groups + 1] = "province"
      for _, g in ipairs(groups) do
        local res = g == "province" and L.province.province or L.region[g]
        if res then
          cats[#cats + 1] = ("%s %d-%d"):format(g, L.from, L.to)
          for k, f in ipairs(NAMES) do eff[k].values[#cats] = res.effects[f] end
          local nd = res.not_decomposed
          rest.values[#cats] = (nd == nd) and nd or 0
          any = any or (nd == nd and nd ~= 0)
        end
      end
    end
    -- the counties left out keep their part of ΔQ, so the stack still adds up
    if any then eff[#eff + 1] = rest end
    local fig = cbal.figures.lmdi_bars{ categories = cats, effects = eff, horizontal = false,
      width_mm = size.w(170, 90), height_mm = size.h(170, 90), dpi = 150, net = "\u{0394}Q",
      theme = I.theme,
      title = "Fig. 6b  LMDI effects on regional and provincial Q (5-factor identity)" }
    return { title = "Fig. 6b  LMDI effects per region", figure = fig }
  end,
}
