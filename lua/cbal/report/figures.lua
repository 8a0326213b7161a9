-- Fig. 1-7 of a study (METHOD.md), each saved as PNG and PDF under
-- out/figures and listed in S.outputs and S.figures for the report.
local cbal = require "cbal"
local common = require "cbal.report.common"

local M = {}

local function save(S, fig, name, title)
  local base = S.out .. "/figures/" .. name
  fig:save(base .. ".png")
  fig:save(base .. ".pdf")
  S.outputs[#S.outputs + 1] = { path = base .. ".png", kind = "figure", title = title }
  S.outputs[#S.outputs + 1] = { path = base .. ".pdf", kind = "figure", title = title }
  S.figures[#S.figures + 1] = { name = name, title = title, png = base .. ".png" }
end

-- County maps, one per map year, at one scale with shared breaks and one
-- legend (cbal.figures.maps_by_year).
local function year_maps(S, name, title, var, opts)
  local fig = cbal.figures.maps_by_year{ layer = S.layer, years = S.map_years,
    values = function(y) return S.panel:get(var, y) end, breaks = opts.breaks,
    palette = opts.palette, legend = { title = opts.legend }, cols = #S.map_years > 2 and 2 or nil,
    title = title, dpi = 150 }
  save(S, fig, name, title)
end

local pooled_breaks = common.pooled_breaks

-- Draws and saves Fig. 1-7 of study state S; needs S.N_breaks, S.city_order
-- and S.city_series from the tables (report.tables runs first).
function M.write(S)
  os.execute("mkdir -p '" .. (S.out .. "/figures"):gsub("'", "'\\''") .. "'")
  S.figures = {}
  local p, years = S.panel, S.years
  year_maps(S, "fig1_emissions", "Fig. 1  County CO2 emissions C (Mt)", "C",
            { breaks = pooled_breaks(S, "C", 5), palette = "OrRd", legend = "C (Mt CO2)" })
  year_maps(S, "fig2_sequestration", "Fig. 2  County vegetation carbon sequestration N (Mt CO2)", "N",
            { breaks = S.N_breaks, palette = "YlGn", legend = "N (Mt CO2)" })
  local C, N, Q = {}, {}, {}
  for i, y in ipairs(years) do
    C[i], N[i] = S.prov[y].C, S.prov[y].N
    Q[i] = C[i] / N[i]
  end
  local fig = cbal.figures.province{ years = years, C = C, N = N, Q = Q, width_mm = 160,
    height_mm = 95, dpi = 150,
    title = "Fig. 3  Provincial emissions, sequestration and carbon balance coefficient" }
  save(S, fig, "fig3_province", "Fig. 3  Provincial C, N and Q")
  -- One panel per region (the study's southern, central and northern
  -- cities), so every city keeps a distinct colour; with more regions than
  -- fit (a national study), one panel; a panel shows at most 12 cities, those
  -- that emit most in the last year.
  local MAX_PANELS, MAX_LINES = 4, 12
  local last = years[#years]
  local function label(v) -- codes read as numbers print without ".0"
    return math.type(v) == "float" and v == math.floor(v) and ("%d"):format(v) or tostring(v)
  end
  local region_of, groups, by_region = {}, {}, {}
  for i = 1, p.n do
    if p.city and p.region and p.region[i] ~= "" then region_of[p.city[i]] = p.region[i] end
  end
  for _, c in ipairs(S.city_order) do
    local r = region_of[c] or "all"
    if not by_region[r] then
      by_region[r] = { title = label(r), series = {} }
      groups[#groups + 1] = by_region[r]
    end
    local q = {}
    for i, y in ipairs(years) do q[i] = S.city_series[c][y].Q end
    table.insert(by_region[r].series, { y = q, name = label(c), C = S.city_series[c][last].C })
  end
  local subtitle = ", by region"
  if #groups > MAX_PANELS then
    local all = {}
    for _, g in ipairs(groups) do table.move(g.series, 1, #g.series, #all + 1, all) end
    groups, subtitle = { { series = all } }, ""
  end
  local cut = false
  for _, g in ipairs(groups) do
    if #g.series > MAX_LINES then
      table.sort(g.series, function(a, b) return a.C > b.C end)
      for k = #g.series, MAX_LINES + 1, -1 do g.series[k] = nil end
      cut = true
    end
  end
  local function last_mean(g) -- regions from the most to the least imbalanced
    local sum = 0
    for _, c in ipairs(g.series) do sum = sum + c.y[#years] end
    return sum / #g.series
  end
  table.sort(groups, function(a, b) return last_mean(a) > last_mean(b) end)
  fig = cbal.figures.city_lines{ years = years, groups = groups, width_mm = 183,
    height_mm = 80, dpi = 150, title = "Fig. 4  Carbon balance coefficient Q per prefecture city" ..
      subtitle .. (cut and (" (the %d largest emitters%s)"):format(MAX_LINES, #groups > 1 and " per region" or "") or "") }
  save(S, fig, "fig4_city_Q", "Fig. 4  Q per city")
  local qmax = 1
  for _, y in ipairs(S.map_years) do qmax = math.max(qmax, p:get("Q", y):max()) end
  local qb = { 0, 1, 10, 40, math.max(qmax, 41) }
  year_maps(S, "fig5_Q", "Fig. 5  County carbon balance coefficient Q", "Q",
            { breaks = qb, palette = "YlOrRd", legend = "Q" })
  -- four same-scale maps per period and a legend column (as cbal.figures does)
  fig = cbal.figure{ width_mm = 183, height_mm = 48 * #S.lmdi + 12, dpi = 150,
                     widths = { 1, 1, 1, 1, 0.55 },
                     title = "Fig. 6  LMDI effects on county Q (additive, period-wise)" }
  for r, L in ipairs(S.lmdi) do
    local all = {}
    for _, f in ipairs({ "CI", "R", "I", "M" }) do all[#all + 1] = L.county.items[f] end
    -- symmetric classes up to the 90th percentile of |effect| (urban
    -- districts with almost no vegetation have extreme Q and effects)
    local mags = {}
    for _, a in ipairs(all) do
      for i = 1, #a do if a[i] == a[i] then mags[#mags + 1] = math.abs(a[i]) end end
    end
    table.sort(mags)
    local lim = mags[math.max(1, math.ceil(#mags * 0.9))] or 1
    local top = (mags[#mags] or 1) * 1.0001
    lim = lim > 0 and lim or 1
    if top <= lim then top = lim * 1.0001 end
    local br = { -top, -lim, -lim / 5, lim / 5, lim, top }
    for c, f in ipairs({ "CI", "R", "I", "M" }) do
      fig:panel{ row = r, col = c, title = ("%s %d-%d"):format(f, L.from, L.to) }:map{
        layer = S.layer, values = L.county.items[f], breaks = br, palette = "RdBu_r",
        legend = false, reserve = true }
    end
    fig:panel{ row = r, col = 5 }:legend{ breaks = br, palette = "RdBu_r", title = "effect on Q" }
  end
  save(S, fig, "fig6_lmdi", "Fig. 6  LMDI effects per county")
  local cats, eff = {}, {}
  local names = { "CI", "R", "I", "M", "NS" }
  for k, f in ipairs(names) do eff[k] = { name = f, values = {} } end
  for _, L in ipairs(S.lmdi) do
    local groups = {}
    for g in pairs(L.region) do groups[#groups + 1] = g end
    table.sort(groups)
    groups[#groups + 1] = "province"
    for _, g in ipairs(groups) do
      local res = g == "province" and L.province.province or L.region[g]
      if res then
        cats[#cats + 1] = ("%s %d-%d"):format(g, L.from, L.to)
        for k, f in ipairs(names) do eff[k].values[#cats] = res.effects[f] end
      end
    end
  end
  fig = cbal.figures.lmdi_bars{ categories = cats, effects = eff, horizontal = false,
    width_mm = 170, height_mm = 90, dpi = 150,
    title = "Fig. 6b  LMDI effects on regional and provincial Q (5-factor identity)" }
  save(S, fig, "fig6b_lmdi_regional", "Fig. 6b  LMDI effects per region")
  -- zone numbers follow the criteria's order; the fallback (index 0) takes
  -- its place in the listed zones
  local cats, zi = common.zone_list(S), {}
  local other_k
  for k, z in ipairs(cats) do
    if z == S.zone_info.otherwise then other_k = k end
  end
  local idx = S.zone_info.index
  for i = 1, p.n do zi[i] = idx[i] > 0 and idx[i] or other_k end
  local colors = { "#d7301f", "#fc8d59", "#41ab5d", "#2b8cbe", "#807dba", "#bdbdbd" }
  local cl = {}
  for k = 1, #cats do cl[k] = colors[k] or "#999999" end
  fig = cbal.figures.zoning_map{ layer = S.layer, zones = zi, names = cats, colors = cl,
    width_mm = 170, height_mm = 120, dpi = 150,
    title = "Fig. 7  Carbon balance zoning (" .. tostring(S.zone_info.year) .. ")" }
  save(S, fig, "fig7_zoning", "Fig. 7  Zoning")
end

return M
