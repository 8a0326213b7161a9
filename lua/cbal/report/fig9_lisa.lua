-- Fig. 9: LISA clusters of each spatial variable (rows) in the map years
-- (columns), in GeoDa's colours, with one legend (study option spatial).
local cbal = require "cbal"
local sc = require "cbal.report.spatial_common"
local size = require("cbal.report.common").size

return {
  kind = "figure",
  optional = true,
  inputs = { "spatial" },
  build = function(I)
    local s = I.spatial
    local years, vars = s.map_years, s.variables
    -- the "no neighbours" and "left out" classes only when some county has them
    local codes = { 0, 1, 2, 3, 4 }
    for c = 5, 6 do
      local any = false
      for _, v in ipairs(vars) do
        for _, y in ipairs(years) do
          if (s.lisa[v][y].counts[s.lisa[v][y].labels[c]] or 0) > 0 then any = true end
        end
      end
      if any then codes[#codes + 1] = c end
    end
    local labels, colors, at = {}, {}, {}
    for k, c in ipairs(codes) do
      labels[k] = s.lisa[vars[1]][years[1]].labels[c]
      colors[k] = sc.LISA_COLORS[c + 1]
      at[c] = k
    end
    local widths = {}
    for c = 1, #years do widths[c] = 1 end
    widths[#years + 1] = 0.72
    local title = ("Fig. 9  LISA clusters (local Moran, alpha = %g)"):format(s.alpha)
    local h = 12 + 46 * #vars
    local fig = cbal.figure { width_mm = size.w(183, h), height_mm = size.h(183, h), dpi = 150,
      title = title, widths = widths }
    for r, v in ipairs(vars) do
      for c, y in ipairs(years) do
        local l = s.lisa[v][y]
        local vals = cbal.array(#l.cluster, 0)
        for i = 1, #vals do vals[i] = at[math.tointeger(l.cluster[i])] end
        fig:panel { row = r, col = c, title = ("%s, %d"):format(sc.var_title(v), y) }:map {
          layer = s.layer, values = vals, categories = labels, colors = colors, legend = false,
          north_arrow = r == 1 and c == 1, scale_bar = r == 1 and c == 1, reserve = true,
          edge_width = 0.05 }
      end
    end
    fig:panel { row = 1, col = #years + 1, rowspan = #vars }:legend {
      categories = labels, colors = colors, title = "LISA cluster" }
    return { title = "Fig. 9  LISA clusters", figure = fig }
  end,
}
