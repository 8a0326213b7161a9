-- t9: global spatial autocorrelation of each spatial variable per year:
-- Moran's I with its moments under randomisation and permutation p, and
-- Geary's C (study option spatial).
local sc = require "cbal.report.spatial_common"

return {
  kind = "table", html = "details",
  summary = "Moran's I and Geary's C of each variable per year (Table 9)",
  optional = true, -- only when the study has spatial = {...}
  inputs = { "spatial" },
  build = function(I)
    local s, rows = I.spatial, {}
    for _, m in ipairs(s.moran.list) do
      local g = s.geary[m.variable][m.year]
      rows[#rows + 1] = { m.variable, m.year, m.n, m.I, m.E, m.V_rand, m.z_rand, m.p_rand,
        m.p_sim, g.C, g.z_rand, g.p_sim }
    end
    local w = s.weights
    return { title = "Table 9  Global spatial autocorrelation (Moran's I, Geary's C) per year",
      columns = { "variable", "year", "n", "I", "E_I", "V_I", "z_I", "p_I", "p_sim_I", "C",
        "z_C", "p_sim_C" },
      rows = rows,
      note = ("Weights: %s, style %s; %s. Moments under randomisation (Cliff and Ord 1981); "
        .. "p two-sided; p_sim from %d permutations (seed %d). z_C > 0 means positive "
        .. "autocorrelation."):format(w.rule, w.style, w.basis, s.moran.list[1].permutations,
        s.moran.list[1].seed) .. sc.left_out_note(s) }
  end,
}
