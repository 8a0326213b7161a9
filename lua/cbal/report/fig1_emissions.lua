-- Fig. 1: county emissions C in the map years, shared Jenks classes with
-- pretty limits, city outlines, graticule ticks and a locator when given.
local common = require "cbal.report.common"

return {
  kind = "figure",
  inputs = { "panel", "layer", "map_years", "cities" },
  optional_inputs = { "locator", "theme" },
  build = function(I)
    local title = "Fig. 1  County CO₂ emissions C (Mt)"
    return { title = title, figure = common.year_maps(I, title, "C", {
      breaks = common.pooled_breaks(I.panel, I.map_years, "C", 5), palette = "OrRd",
      legend = "C (Mt CO₂)" }) }
  end,
}
