-- Fig. 2: county sequestration N in the map years, in t2's classes.
local common = require "cbal.report.common"
local classes = require "cbal.report.classes"

return {
  kind = "figure",
  inputs = { "panel", "layer", "map_years" },
  build = function(I)
    local title = "Fig. 2  County vegetation carbon sequestration N (Mt CO2)"
    return { title = title, figure = common.year_maps(I, title, "N", {
      breaks = classes.sequestration(I.panel, I.map_years), palette = "YlGn",
      legend = "N (Mt CO2)" }) }
  end,
}
