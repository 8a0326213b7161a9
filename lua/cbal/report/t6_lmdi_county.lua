-- t6: additive LMDI of each county's Q per period (period-wise); counties
-- without a decomposition (Q = +inf or a missing input) named in the note.
local common = require "cbal.report.common"

return {
  kind = "table", html = "details", summary = "Per county, period-wise",
  inputs = { "panel", "lmdi" },
  build = function(I)
    local p, rows = I.panel, {}
    for _, L in ipairs(I.lmdi) do
      local r, it = L.county, L.county.items
      local per = L.from .. "-" .. L.to
      for i = 1, p.n do
        local sum = it.CI[i] + it.R[i] + it.I[i] + it.M[i]
        rows[#rows + 1] = { p.ids[i], p.names and p.names[i] or "", per, r.Q0[i], r.Q1[i], r.dQ[i],
                            it.CI[i], it.R[i], it.I[i], it.M[i], r.dQ[i] - sum }
      end
    end
    return { title = "Additive LMDI of Q per county, period-wise: effects of technology " ..
      "(CI), economic level (R), urbanisation (I) and fixation pressure (M); residual = dQ - sum",
      columns = { "code", "name", "period", "Q_from", "Q_to", "dQ", "CI", "R", "I", "M", "residual" },
      rows = rows, note = common.undefined_note(I.lmdi, "county") }
  end,
}
