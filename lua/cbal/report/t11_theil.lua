-- t11: inequality of each spatial variable among counties per year: Theil
-- T and L with the between/within decomposition by region (or city), and
-- Gini (study option spatial).
local sc = require "cbal.report.spatial_common"

return {
  kind = "table",
  optional = true,
  inputs = { "spatial" },
  build = function(I)
    local s, rows = I.spatial, {}
    for _, t in ipairs(s.theil.list) do
      rows[#rows + 1] = { t.variable, t.year, t.T, t.T_between, t.T_within,
        100 * t.T_between_share, t.L, t.L_between, t.L_within, 100 * t.L_between_share, t.gini }
    end
    return { title = ("Table 11  Theil indices by %s and Gini coefficient per year"):format(s.groups),
      columns = { "variable", "year", "T", "T_between", "T_within", "T_between_pct", "L",
        "L_between", "L_within", "L_between_pct", "Gini" },
      rows = rows,
      note = ("Between and within %ss (Shorrocks 1980); counties weighted equally. L is "
        .. "infinite (left empty) when a county's value is 0."):format(s.groups)
        .. sc.left_out_note(s) }
  end,
}
