-- Fig. 10: Moran scatter plots of the spatial variables in the last year:
-- each county's standardised value against the spatial lag of the
-- standardised values; the slope of the fitted line is Moran's I for
-- row-standardised weights (study option spatial).
local cbal = require "cbal"
local sc = require "cbal.report.spatial_common"
local size = require("cbal.report.common").size

-- Standardised values (population sd) and their spatial lag.
local function moran_points(w, x)
  local n, m = #x, x:mean()
  local sd = math.sqrt(((x - m) * (x - m)):mean())
  local z = (x - m) / sd
  local lag = cbal.array(n, 0)
  local ti, tj, tw = w:triplets()
  for k = 1, #ti do lag[ti[k]] = lag[ti[k]] + tw[k] * z[tj[k]] end
  return z, lag
end

return {
  kind = "figure",
  optional = true,
  inputs = { "spatial" },
  build = function(I)
    local s = I.spatial
    local p = s.panel
    local y, vars = s.years[#s.years], s.variables
    local w = math.max(120, 62 * #vars)
    local fig = cbal.figure { width_mm = size.w(w, 72), height_mm = size.h(w, 72), dpi = 150,
      title = ("Fig. 10  Moran scatter plots, %d"):format(y) }
    for c, v in ipairs(vars) do
      local w = s.var_weights and s.var_weights[v] or s.weights
      local x = p:get(v, y)
      if w.index then
        local t = {}
        for k, i in ipairs(w.index) do t[k] = x[i] end
        x = cbal.array(t)
      end
      local z, lag = moran_points(w, x)
      local m = s.moran[v][y]
      fig:panel { row = 1, col = c, title = ("%s: I = %.3f, p_sim = %.3f"):format(
        sc.var_title(v), m.I, m.p_sim) }:scatter {
        x = z, y = lag, fit = true,
        metrics = { ("Moran's I = %.3f"):format(m.I), ("z = %.2f"):format(m.z_rand) },
        xlabel = "standardised " .. v, ylabel = "spatial lag" }
    end
    return { title = "Fig. 10  Moran scatter plots", figure = fig }
  end,
}
