-- t6: additive LMDI of each county's Q per period, chained year by year;
-- counties without a decomposition named in the note.
local common = require "cbal.report.common"

return {
  kind = "table", html = "details", summary = "Per county, chained",
  inputs = { "panel", "lmdi" },
  build = function(I)
    local p, rows = I.panel, {}
    for _, L in ipairs(I.lmdi) do
      local c, it = L.chained, L.chained.items
      for i = 1, p.n do
        rows[#rows + 1] = { p.ids[i], p.names and p.names[i] or "", L.from .. "-" .. L.to,
                            c.dQ[i], it.CI[i], it.R[i], it.I[i], it.M[i] }
      end
    end
    return { title = "Additive LMDI of Q per county, chained year by year " ..
      "(attributes differently from period-wise; both exact)",
      columns = { "code", "name", "period", "dQ", "CI", "R", "I", "M" }, rows = rows,
      note = common.undefined_note(I.lmdi, "chained") }
  end,
}
