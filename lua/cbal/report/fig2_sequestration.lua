-- Fig. 2: county sequestration N in the map years, in t2's classes.
local common = require "cbal.report.common"
local classes = require "cbal.report.classes"

return {
  kind = "figure",
  inputs = { "panel", "layer", "map_years", "classes", "cities" },
  optional_inputs = { "locator", "theme" },
  build = function(I)
    local title = "Fig. 2  County vegetation carbon sequestration N (Mt CO₂)"
    local cl = classes.of("sequestration", I.classes.sequestration, I.panel, I.map_years)
    return { title = title, figure = common.year_maps(I, title, "N", {
      breaks = cl.edges, palette = "YlGn", legend = "N (Mt CO₂)" }) }
  end,
}
