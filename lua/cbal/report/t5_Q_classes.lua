-- t5: counties per Q class and imbalanced counties (Q > 1) per year.
local classes = require "cbal.report.classes"

return {
  kind = "table",
  inputs = { "panel", "years" },
  build = function(I)
    local rows = {}
    for _, y in ipairs(I.years) do
      local Q, r = I.panel:get("Q", y), { y }
      for _, c in ipairs(classes.Q) do
        r[#r + 1] = (Q:ge(c[2]) * Q:lt(c[3])):sum()
      end
      r[#r + 1] = Q:gt(1):sum()
      r[#r + 1] = Q:count()
      rows[#rows + 1] = r
    end
    return { title = "Counties per Q class and imbalanced counties (Q > 1) per year",
      columns = { "year", "Q_lt_1", "Q_1_10", "Q_10_40", "Q_ge_40", "imbalanced", "counties" },
      rows = rows }
  end,
}
