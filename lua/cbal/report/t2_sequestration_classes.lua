-- t2: counties per sequestration class in the map years (the classes of
-- Fig. 2's legend; by default the study's < 1, 1-2, >= 2 Mt CO2).
local classes = require "cbal.report.classes"

return {
  kind = "table",
  inputs = { "panel", "map_years", "classes" },
  build = function(I)
    local cl = classes.of("sequestration", I.classes.sequestration, I.panel, I.map_years)
    local head, rows = { "year" }, {}
    for k, c in ipairs(cl.columns) do head[k + 1] = c end
    for _, y in ipairs(I.map_years) do
      local r = { y }
      for _, n in ipairs(classes.counts(cl, I.panel:get("N", y))) do r[#r + 1] = n end
      rows[#rows + 1] = r
    end
    return { title = "Counties per sequestration class (N in Mt CO2; " .. (cl.method == "jenks"
      and "Jenks breaks shared by the map years" or "the study's classes") .. ")",
      columns = head, rows = rows, note = "Classes: " .. classes.describe(cl) .. " (Mt CO2)." }
  end,
}
