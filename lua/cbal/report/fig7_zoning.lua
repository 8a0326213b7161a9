-- Fig. 7: the zone of each county, with city outlines, graticule ticks and
-- a locator when given.
local cbal = require "cbal"
local common = require "cbal.report.common"
local size = require("cbal.report.common").size

-- colour-blind-safe zone colours: warm for high carbon, cool for low
local COLORS = cbal.figures.zone_colors

return {
  kind = "figure",
  inputs = { "panel", "layer", "zone_info", "zone_counts", "cities" },
  optional_inputs = { "locator", "theme" },
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
    local spec = common.map_extras(I)
    spec.layer, spec.zones, spec.names, spec.colors = I.layer, zi, cats, cl
    spec.width_mm, spec.height_mm = size.w(170, 120), size.h(170, 120)
    spec.dpi = 150
    spec.title = "Fig. 7  Carbon balance zoning (" .. tostring(I.zone_info.year) .. ")"
    local fig = cbal.figures.zoning_map(spec)
    return { title = "Fig. 7  Zoning", figure = fig }
  end,
}
