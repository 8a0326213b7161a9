-- Fig. 5: county Q in the map years, in t5's classes.
local common = require "cbal.report.common"

return {
  kind = "figure",
  inputs = { "panel", "layer", "map_years" },
  build = function(I)
    local qmax = 1
    for _, y in ipairs(I.map_years) do qmax = math.max(qmax, I.panel:get("Q", y):max()) end
    local title = "Fig. 5  County carbon balance coefficient Q"
    return { title = title, figure = common.year_maps(I, title, "Q", {
      breaks = { 0, 1, 10, 40, math.max(qmax, 41) }, palette = "YlOrRd", legend = "Q" }) }
  end,
}
