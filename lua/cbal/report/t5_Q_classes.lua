-- t5: counties per Q class and imbalanced counties (Q > 1) per year; a
-- county with N = 0 (Q = +inf) is imbalanced and in the top class.
local classes = require "cbal.report.classes"

return {
  kind = "table",
  inputs = { "panel", "years", "map_years", "classes" },
  build = function(I)
    local cl = classes.of("Q", I.classes.Q, I.panel, I.map_years)
    local head, rows = { "year" }, {}
    for k, c in ipairs(cl.columns) do head[k + 1] = c end
    head[#head + 1], head[#head + 2] = "imbalanced", "counties"
    for _, y in ipairs(I.years) do
      local Q, r = I.panel:get("Q", y), { y }
      for _, n in ipairs(classes.counts(cl, Q)) do r[#r + 1] = n end
      r[#r + 1] = Q:gt(1):sum()
      r[#r + 1] = Q:count()
      rows[#rows + 1] = r
    end
    return { title = "Counties per Q class and imbalanced counties (Q > 1) per year",
      columns = head, rows = rows, note = "Classes: " .. classes.describe(cl) ..
        "; a county without vegetation (N = 0, Q = +∞) is imbalanced and in the top class." }
  end,
}
