-- Fig. 7: the zone of each county.
local cbal = require "cbal"
local common = require "cbal.report.common"

local COLORS = { "#d7301f", "#fc8d59", "#41ab5d", "#2b8cbe", "#807dba", "#bdbdbd" }

return {
  kind = "figure",
  inputs = { "panel", "layer", "zone_info", "zone_counts" },
  build = function(I)
    -- zone numbers follow the criteria's order; the fallback (index 0)
    -- takes its place in the listed zones
    local cats, zi, other_k = common.zone_list(I), {}, nil
    for k, z in ipairs(cats) do
      if z == I.zone_info.otherwise then other_k = k end
    end
    local idx = I.zone_info.index
    for i = 1, I.panel.n do zi[i] = idx[i] > 0 and idx[i] or other_k end
    local cl = {}
    for k = 1, #cats do cl[k] = COLORS[k] or "#999999" end
    local fig = cbal.figures.zoning_map{ layer = I.layer, zones = zi, names = cats, colors = cl,
      width_mm = 170, height_mm = 120, dpi = 150,
      title = "Fig. 7  Carbon balance zoning (" .. tostring(I.zone_info.year) .. ")" }
    return { title = "Fig. 7  Zoning", figure = fig }
  end,
}
