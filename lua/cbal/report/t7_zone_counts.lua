-- t7: counties per zone, in the criteria's order.
local common = require "cbal.report.common"

return {
  kind = "table",
  inputs = { "zone_info", "zone_counts" },
  build = function(I)
    local rows = {}
    for _, z in ipairs(common.zone_list(I)) do rows[#rows + 1] = { z, I.zone_counts[z] or 0 } end
    return { title = "Counties per zone", columns = { "zone", "counties" }, rows = rows,
      note = common.tie_note(I.zone_info) }
  end,
}
