-- Fig. 4: Q per prefecture city over the years, one panel per region (the
-- study's southern, central and northern cities) so every city keeps a
-- distinct colour; with more regions than fit (a national study), one
-- panel; a panel shows at most 12 cities, those that emit most in the last
-- year.
local cbal = require "cbal"
local aggregate = require "cbal.aggregate"
local panel = require "cbal.panel"
local stats = require "cbal.stats"
local size = require("cbal.report.common").size

local MAX_PANELS, MAX_LINES = 4, 12

local function label(v) -- codes read as numbers print without ".0", as ids do
  return panel.normalize_id(v) or tostring(v)
end

-- One group of city series per region, in the cities' order.
local function by_region(p, years)
  local order, ser = aggregate.series(p, "city", years)
  local last = years[#years]
  local region_of, groups, of = {}, {}, {}
  for i = 1, p.n do
    if p.city and p.region and p.region[i] ~= "" then region_of[p.city[i]] = p.region[i] end
  end
  for _, c in ipairs(order) do
    local r = region_of[c] or "all"
    if not of[r] then
      of[r] = { title = label(r), series = {} }
      groups[#groups + 1] = of[r]
    end
    local q = {}
    for i, y in ipairs(years) do q[i] = ser[c][y].Q end
    table.insert(of[r].series, { y = q, name = label(c), C = ser[c][last].C })
  end
  return groups
end

-- Too many regions: one panel; too many cities in a panel: the largest
-- emitters. Returns the groups, the subtitle and whether cities were cut.
local function fit(groups)
  local subtitle = ", by region"
  if #groups > MAX_PANELS then
    local all = {}
    for _, g in ipairs(groups) do table.move(g.series, 1, #g.series, #all + 1, all) end
    groups, subtitle = { { series = all } }, ""
  end
  local cut = false
  for _, g in ipairs(groups) do
    if #g.series > MAX_LINES then
      stats.sort_desc(g.series, function(c) return c.C end, function(c) return c.name end)
      for k = #g.series, MAX_LINES + 1, -1 do g.series[k] = nil end
      cut = true
    end
  end
  return groups, subtitle, cut
end

-- Regions from the most to the least imbalanced: by the mean of their
-- cities' Q in year n (NaN skipped); a region without any last, then by
-- name.
local function order(groups, n)
  return stats.sort_desc(groups, function(g)
    local q = {}
    for k, c in ipairs(g.series) do q[k] = c.y[n] end
    return cbal.array(q):mean()
  end, function(g) return g.title or "" end)
end

return {
  kind = "figure",
  inputs = { "panel", "years" },
  order = order,
  build = function(I)
    local groups, subtitle, cut = fit(by_region(I.panel, I.years))
    order(groups, #I.years)
    local fig = cbal.figures.city_lines{ years = I.years, groups = groups,
      width_mm = size.w(183, 80), height_mm = size.h(183, 80), dpi = 150,
      title = "Fig. 4  Carbon balance coefficient Q per prefecture city" ..
        subtitle .. (cut and (" (the %d largest emitters%s)"):format(MAX_LINES,
        #groups > 1 and " per region" or "") or "") }
    return { title = "Fig. 4  Q per city", figure = fig }
  end,
}
