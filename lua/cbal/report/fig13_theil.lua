-- Fig. 13: Theil T of each spatial variable over the years and the share
-- of it between regions (or cities) (study option spatial).
local cbal = require "cbal"
local sc = require "cbal.report.spatial_common"
local size = require("cbal.report.common").size

return {
  kind = "figure",
  optional = true,
  inputs = { "spatial" },
  build = function(I)
    local s = I.spatial
    local total, share = {}, {}
    for _, v in ipairs(s.variables) do
      local t, b = {}, {}
      for k, y in ipairs(s.years) do
        local r = s.theil[v][y]
        t[k], b[k] = r.T, 100 * r.T_between_share
      end
      total[#total + 1] = { name = sc.var_title(v), y = t }
      share[#share + 1] = { name = sc.var_title(v), y = b }
    end
    local fig = cbal.figure { width_mm = size.w(170, 75), height_mm = size.h(170, 75), dpi = 150,
      title = ("Fig. 13  Inequality among counties: Theil T and its share between %ss")
        :format(s.groups) }
    fig:panel { row = 1, col = 1, title = "(a) Theil T" }:line {
      x = s.years, series = total, xlabel = "Year", ylabel = "T" }
    fig:panel { row = 1, col = 2, title = ("(b) Between %ss"):format(s.groups) }:line {
      x = s.years, series = share, xlabel = "Year", ylabel = "share of T (%)",
      ylim = { 0, 100 } }
    return { title = "Fig. 13  Theil inequality", figure = fig }
  end,
}
