-- Fig. 5: county Q in the map years, in t5's classes (Q = +inf in the top
-- class), on a diverging palette centred on balance (Q = 1).
local common = require "cbal.report.common"
local classes = require "cbal.report.classes"

return {
  kind = "figure",
  inputs = { "panel", "layer", "map_years", "classes", "cities" },
  optional_inputs = { "locator", "theme" },
  build = function(I)
    local title = "Fig. 5  County carbon balance coefficient Q"
    local cl = classes.of("Q", I.classes.Q, I.panel, I.map_years)
    return { title = title, figure = common.year_maps(I, title, "Q", {
      breaks = cl.edges, palette = "RdBu_r", center = 1, legend = "Q" }) }
  end,
}
