-- Fig. 3: provincial C and N (left axis) and Q (right axis) per year.
local cbal = require "cbal"
local size = require("cbal.report.common").size

return {
  kind = "figure",
  inputs = { "years", "prov" },
  build = function(I)
    local C, N, Q = {}, {}, {}
    for i, y in ipairs(I.years) do
      C[i], N[i] = I.prov[y].C, I.prov[y].N
      Q[i] = C[i] / N[i]
    end
    local fig = cbal.figures.province{ years = I.years, C = C, N = N, Q = Q,
      width_mm = size.w(160, 95), height_mm = size.h(160, 95), dpi = 150,
      title = "Fig. 3  Provincial emissions, sequestration and carbon balance coefficient" }
    return { title = "Fig. 3  Provincial C, N and Q", figure = fig }
  end,
}
