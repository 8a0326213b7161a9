-- Fig. 12: Tapio decoupling state of each county per period (maps) and the
-- counties per state and period (stacked bars) (study option spatial).
local cbal = require "cbal"
local sc = require "cbal.report.spatial_common"
local size = require("cbal.report.common").size

return {
  kind = "figure",
  optional = true,
  inputs = { "spatial" },
  build = function(I)
    local list = I.spatial.tapio
    local labels = list[1].labels
    -- states 1..8, undefined last
    local names, colors = {}, {}
    for k = 1, 8 do names[k], colors[k] = labels[k], sc.TAPIO_COLORS[k] end
    names[9], colors[9] = labels[0], sc.TAPIO_COLORS[9]
    local np = #list
    local widths = {}
    for c = 1, np do widths[c] = 1 end
    widths[np + 1] = 0.75
    local fig = cbal.figure { width_mm = size.w(183, 135), height_mm = size.h(183, 135),
      dpi = 150, widths = widths,
      heights = { 1, 0.5 }, title = "Fig. 12  Decoupling of emissions from GDP (Tapio)" }
    for c, t in ipairs(list) do
      local vals = cbal.array(#t.state, 9)
      for i = 1, #vals do
        if t.state[i] > 0 then vals[i] = t.state[i] end
      end
      fig:panel { row = 1, col = c, title = sc.period_label(t) }:map {
        layer = I.spatial.layer, values = vals, categories = names, colors = colors, legend = false,
        north_arrow = c == 1, scale_bar = c == 1, reserve = true, edge_width = 0.05 }
    end
    fig:panel { row = 1, col = np + 1 }:legend { categories = names, colors = colors,
      title = "Tapio state" }
    local cats, series = {}, {}
    for c, t in ipairs(list) do cats[c] = sc.period_label(t) end
    for k = 1, 9 do
      local v = {}
      for c, t in ipairs(list) do v[c] = t.counts[names[k]] end
      series[k] = { name = names[k], values = v, color = colors[k] }
    end
    fig:panel { row = 2, col = 1, colspan = np + 1, title = "Counties per state" }:bars {
      categories = cats, series = series, stacked = true, horizontal = true,
      value_label = "counties", legend = false }
    return { title = "Fig. 12  Tapio decoupling states", figure = fig }
  end,
}
