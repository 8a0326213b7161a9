-- Fig. 8: allocated emissions against the references of the last year
-- validated: counties (log axes) and cities (labelled), each with the 1:1
-- and fitted lines and its metrics.
local cbal = require "cbal"
local size = require("cbal.report.common").size

-- On log axes (counties) no fitted line: the box's slope is the linear fit.
local function panel(fig, col, title, ref, pred, labels, m, log)
  fig:panel { row = 1, col = col, title = title }:scatter {
    x = ref, y = pred, labels = labels, one_to_one = true, fit = not log, log = log,
    metrics = cbal.validate.lines(m, "Mt"),
    xlabel = "reference (Mt CO₂)", ylabel = "allocated (Mt CO₂)" }
end

return {
  kind = "figure",
  optional = true, -- only when the study has validation = {...}
  inputs = { "validation" },
  build = function(I)
    local last, names = I.validation.last, I.validation.city_names
    local list = {}
    if last.c then
      list[#list + 1] = { "Counties: " .. last.c.label, last.c.units, last.c.pred_c, nil, last.c.m, true }
      local labels = {}
      for i, c in ipairs(last.c.cids) do labels[i] = names[c] or c end
      list[#list + 1] = { "Cities: " .. last.c.label .. " summed", last.c.ref, last.c.pred, labels,
        last.c.m_city }
    end
    if last.t then
      local labels = {}
      for i, c in ipairs(last.t.cids) do labels[i] = names[c] or c end
      list[#list + 1] = { "Cities: " .. last.t.label, last.t.ref, last.t.pred, labels, last.t.m }
    end
    local w = math.max(120, 88 * #list)
    local fig = cbal.figure { width_mm = size.w(w, 88), height_mm = size.h(w, 88), dpi = 150,
      title = ("Fig. 8  Allocated emissions against inventories, %d"):format(last.year) }
    for i, e in ipairs(list) do panel(fig, i, e[1], e[2], e[3], e[4], e[5], e[6]) end
    return { title = "Fig. 8  Allocation checked against inventories", figure = fig }
  end,
}
