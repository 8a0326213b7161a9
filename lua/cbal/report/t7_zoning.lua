-- t7: the zone of each county with its ECC, ESC and Q in the zoning year
-- (or their mean over the criteria's years).
local cbal = require "cbal"
local span = require("cbal.panel").span

-- The years the zoning used, from its description ("2021", "mean 2017-2021").
local function zoning_years(zy)
  local one = math.tointeger(tonumber(zy))
  local a, b = tostring(zy):match("(%d%d%d%d)%-(%d%d%d%d)")
  if one then return { one } end
  if a then return span(tonumber(a), tonumber(b)) end
  return {}
end

return {
  kind = "table", html = "details", summary = "Zone of each county",
  inputs = { "panel", "zones", "zone_info" },
  build = function(I)
    local p, zy = I.panel, I.zone_info.year
    local ys, zv = zoning_years(zy), {}
    for _, v in ipairs({ "ECC", "ESC", "Q" }) do
      zv[v] = #ys > 0 and p:mean(v, ys) or cbal.array(p.n, 0 / 0)
    end
    local rows = {}
    for i = 1, p.n do
      rows[#rows + 1] = { p.ids[i], p.names and p.names[i] or "", p.city and p.city[i] or "",
        p.region and p.region[i] or "", zv.ECC[i], zv.ESC[i], zv.Q[i], I.zones[i] }
    end
    return { title = "Zone of each county (criteria: " .. tostring(I.zone_info.criteria) ..
      ", year: " .. tostring(zy) .. ")",
      columns = { "code", "name", "city", "region", "ECC", "ESC", "Q", "zone" }, rows = rows,
      note = require("cbal.report.common").tie_note(I.zone_info) }
  end,
}
