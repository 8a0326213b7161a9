-- t10: the LISA cluster of each county for each spatial variable in the
-- map years (study option spatial).
local sc = require "cbal.report.spatial_common"

return {
  kind = "table", html = "details", summary = "LISA cluster of each county",
  optional = true,
  inputs = { "spatial" },
  build = function(I)
    local s = I.spatial
    local p = s.panel
    local columns, cols = { "code", "name", "city", "region" }, {}
    for _, v in ipairs(s.variables) do
      for _, y in ipairs(s.map_years) do
        columns[#columns + 1] = ("%s_%d"):format(v, y)
        cols[#cols + 1] = s.lisa[v][y]
      end
    end
    local rows = {}
    for i = 1, p.n do
      local r = { sc.county(p, i) }
      for _, l in ipairs(cols) do r[#r + 1] = l.labels[math.tointeger(l.cluster[i])] end
      rows[i] = r
    end
    local l = cols[1]
    return { title = ("Table 10  LISA cluster of each county in the map years (alpha = %g)")
      :format(s.alpha), columns = columns, rows = rows,
      note = ("Local Moran (Anselin 1995), significance from %d conditional permutations; "
        .. "high-high and low-low are clusters, high-low and low-high outliers.")
        :format(l.permutations) .. sc.left_out_note(s) }
  end,
}
