-- The outputs of a study: the tables of METHOD.md as CSV (and as rows kept
-- for the report, so both show the same numbers), the county GeoPackage,
-- Fig. 1-7, the self-contained report.html and the printed summary.
local cbal = require "cbal"

local M = {}

local Q_CLASSES = { { "Q < 1", -math.huge, 1 }, { "1 <= Q < 10", 1, 10 },
                    { "10 <= Q < 40", 10, 40 }, { "Q >= 40", 40, math.huge } }

-- Class edges made strictly increasing (Jenks on data with many equal
-- values, e.g. zeros, can repeat an edge); at least two edges.
local function strict(edges)
  local out = {}
  for i = 1, #edges do
    local e = edges[i]
    if e == e and (#out == 0 or e > out[#out]) then out[#out + 1] = e end
  end
  if #out == 0 then out[1] = 0 end
  if #out == 1 then out[2] = out[1] + 1 end
  return out
end
M.strict_breaks = strict

-- A table: name, title, columns (ordered names), rows (lists), notes.
local function tbl(S, name, title, columns, rows, note)
  local t = { name = name, title = title, columns = columns, rows = rows, note = note }
  local cols = {}
  for j, c in ipairs(columns) do
    cols[c] = {}
    for i, r in ipairs(rows) do
      local v = r[j]
      if v ~= v or v == math.huge or v == -math.huge then v = nil end
      cols[c][i] = v == nil and (type(rows[1] and rows[1][j]) == "string" and "" or 0 / 0) or v
    end
  end
  local path = S.out .. "/" .. name .. ".csv"
  cbal.write_table(path, cols, { order = columns })
  S.outputs[#S.outputs + 1] = { path = path, kind = "table", title = title }
  S.tables[name] = t
  t.path = path
  return t
end

local function county_rows(S, y, vars)
  local p, rows = S.panel, {}
  for i = 1, p.n do
    local r = { p.ids[i], p.names and p.names[i] or "", p.city and p.city[i] or "",
                p.region and p.region[i] or "", y }
    for _, v in ipairs(vars) do r[#r + 1] = p:has(v, y) and p:get(v, y)[i] or 0 / 0 end
    rows[#rows + 1] = r
  end
  return rows
end

function M.tables(S)
  local p, years = S.panel, S.years
  local vars = { "light", "NPP", "C", "N", "G", "P", "S", "Q", "ECC", "ESC", "CI", "R", "I", "M" }
  local rows = {}
  for _, y in ipairs(years) do
    for _, r in ipairs(county_rows(S, y, vars)) do rows[#rows + 1] = r end
  end
  local head = { "code", "name", "city", "region", "year" }
  for _, v in ipairs(vars) do head[#head + 1] = v end
  tbl(S, "county_panel", "County panel: light (DN sum), NPP (Mt C), C and N (Mt CO2), " ..
      "G (100 million yuan), P (10k persons), S (km2), Q, ECC, ESC, drivers", head, rows)
  -- 1. per-capita emissions and intensity
  rows = {}
  for _, y in ipairs(S.map_years) do
    local ind = S.ind[y]
    rows[#rows + 1] = { y, S.prov[y].C, ind.per_capita.aggregate * 100,
      ind.per_capita.mean_of_counties * 100, ind.intensity.aggregate * 100,
      ind.intensity.mean_of_counties * 100 }
  end
  tbl(S, "t1_emissions_per_capita", "Emissions, per-capita emissions (t CO2 per person) and " ..
      "emission intensity (t CO2 per 10k yuan): aggregate ratio and mean of county ratios",
      { "year", "C_Mt", "per_capita_aggregate", "per_capita_mean_of_counties",
        "intensity_aggregate", "intensity_mean_of_counties" }, rows)
  -- 2. sequestration classes (Jenks breaks pooled over the map years)
  local pooled = {}
  for _, y in ipairs(S.map_years) do pooled[#pooled + 1] = p:get("N", y) end
  S.N_breaks = strict(cbal.breaks(pooled, { method = "jenks", k = 5 }))
  rows = {}
  local head2 = { "year" }
  for k = 1, #S.N_breaks - 1 do
    head2[#head2 + 1] = ("N_%s_%s"):format(M.fmt(S.N_breaks[k]), M.fmt(S.N_breaks[k + 1]))
  end
  for _, y in ipairs(S.map_years) do
    local _, counts = cbal.classify_breaks(p:get("N", y), S.N_breaks)
    local r = { y }
    for k = 1, #S.N_breaks - 1 do r[#r + 1] = counts[k] or 0 end
    rows[#rows + 1] = r
  end
  tbl(S, "t2_sequestration_classes", "Counties per sequestration class (N in Mt CO2; " ..
      "Jenks breaks shared by the map years)", head2, rows)
  -- 3. province per year and growth
  rows = {}
  for _, y in ipairs(years) do
    local c, n = S.prov[y].C, S.prov[y].N
    rows[#rows + 1] = { y, c, n, c / n }
  end
  tbl(S, "t3_province", "Provincial emissions C and sequestration N (Mt CO2) and Q = C/N",
      { "year", "C_Mt", "N_Mt", "Q" }, rows)
  local aggregate = require "cbal.aggregate"
  local _, pser = aggregate.series(p, "province", years)
  rows = {}
  for _, pr in ipairs(S.growth_periods) do
    for _, v in ipairs({ "C", "N", "Q" }) do
      local g = aggregate.growth(pser, v, pr[1], pr[2])
      for _, r in pairs(g) do
        rows[#rows + 1] = { v, pr[1] .. "-" .. pr[2], r.from, r.to, r.total * 100, r.aagr * 100 }
      end
    end
  end
  tbl(S, "t3_growth", "Provincial growth: total (%) and average annual growth rate (%)",
      { "variable", "period", "from", "to", "total_pct", "aagr_pct" }, rows)
  -- 4. Q per city over time, AAGR by city and region
  local corder, cser = aggregate.series(p, "city", years)
  S.city_order, S.city_series = corder, cser
  rows = {}
  for _, c in ipairs(corder) do
    for _, y in ipairs(years) do rows[#rows + 1] = { c, y, cser[c][y].C, cser[c][y].N, cser[c][y].Q } end
  end
  tbl(S, "t4_city_Q", "Q per prefecture city and year (C, N in Mt CO2)", { "city", "year", "C_Mt", "N_Mt", "Q" }, rows)
  rows = {}
  for _, key in ipairs({ "city", "region", "province" }) do
    local order, ser = aggregate.series(p, key, { years[1], years[#years] })
    local g = aggregate.growth(ser, "Q", years[1], years[#years])
    for _, name in ipairs(order) do
      rows[#rows + 1] = { key, name, g[name].from, g[name].to, g[name].total * 100, g[name].aagr * 100 }
    end
  end
  tbl(S, "t4_Q_growth", ("Growth of Q %d-%d by city, region and province (%%)"):format(years[1], years[#years]),
      { "level", "group", "Q_from", "Q_to", "total_pct", "aagr_pct" }, rows)
  -- 5. Q classes and imbalanced counties per year
  rows = {}
  for _, y in ipairs(years) do
    local Q, r = p:get("Q", y), { y }
    for _, c in ipairs(Q_CLASSES) do
      r[#r + 1] = (Q:ge(c[2]) * Q:lt(c[3])):sum()
    end
    r[#r + 1] = Q:gt(1):sum()
    r[#r + 1] = Q:count()
    rows[#rows + 1] = r
  end
  tbl(S, "t5_Q_classes", "Counties per Q class and imbalanced counties (Q > 1) per year",
      { "year", "Q_lt_1", "Q_1_10", "Q_10_40", "Q_ge_40", "imbalanced", "counties" }, rows)
  -- 6. LMDI
  rows = {}
  local reg = {}
  for _, L in ipairs(S.lmdi) do
    local r = L.county
    local per = L.from .. "-" .. L.to
    for i = 1, p.n do
      local it = r.items
      local sum = it.CI[i] + it.R[i] + it.I[i] + it.M[i]
      rows[#rows + 1] = { p.ids[i], p.names and p.names[i] or "", per, r.Q0[i], r.Q1[i], r.dQ[i],
                          it.CI[i], it.R[i], it.I[i], it.M[i], r.dQ[i] - sum }
    end
    for _, set in ipairs({ { "region", L.region }, { "province", L.province } }) do
      for g, res in pairs(set[2]) do
        local e = res.effects
        reg[#reg + 1] = { set[1], g, per, "period-wise", res.v0, res.v1, res.change,
                          e.CI, e.R, e.I, e.M, e.NS }
      end
    end
  end
  table.sort(reg, function(a, b)
    if a[3] ~= b[3] then return a[3] < b[3] end
    if a[1] ~= b[1] then return a[1] > b[1] end
    return a[2] < b[2]
  end)
  tbl(S, "t6_lmdi_county", "Additive LMDI of Q per county, period-wise: effects of technology " ..
      "(CI), economic level (R), urbanisation (I) and fixation pressure (M); residual = dQ - sum",
      { "code", "name", "period", "Q_from", "Q_to", "dQ", "CI", "R", "I", "M", "residual" }, rows)
  rows = {}
  for _, L in ipairs(S.lmdi) do
    local c = L.chained
    for i = 1, p.n do
      local it = c.items
      rows[#rows + 1] = { p.ids[i], p.names and p.names[i] or "", L.from .. "-" .. L.to,
                          c.dQ[i], it.CI[i], it.R[i], it.I[i], it.M[i] }
    end
  end
  tbl(S, "t6_lmdi_county_chained", "Additive LMDI of Q per county, chained year by year " ..
      "(attributes differently from period-wise; both exact)",
      { "code", "name", "period", "dQ", "CI", "R", "I", "M" }, rows)
  tbl(S, "t6_lmdi_regional", "LMDI of Q per region and province by the exact 5-factor identity " ..
      "(NS = share of sequestration)", { "level", "group", "period", "method", "Q_from", "Q_to",
      "dQ", "CI", "R", "I", "M", "NS" }, reg)
  -- 7. zoning
  rows = {}
  local zy = S.zone_info.year
  -- ECC, ESC and Q of the zoning year (or the mean over the criteria's years)
  local span = {}
  local one = math.tointeger(tonumber(zy))
  local a, b = tostring(zy):match("(%d%d%d%d)%-(%d%d%d%d)")
  if one then span = { one }
  elseif a then for y = tonumber(a), tonumber(b) do span[#span + 1] = y end end
  local zv = {}
  for _, v in ipairs({ "ECC", "ESC", "Q" }) do
    zv[v] = #span > 0 and p:mean(v, span) or cbal.array(p.n, 0 / 0)
  end
  for i = 1, p.n do
    rows[#rows + 1] = { p.ids[i], p.names and p.names[i] or "", p.city and p.city[i] or "",
      p.region and p.region[i] or "", zv.ECC[i], zv.ESC[i], zv.Q[i], S.zones[i] }
  end
  tbl(S, "t7_zoning", "Zone of each county (criteria: " .. tostring(S.zone_info.criteria) ..
      ", year: " .. tostring(zy) .. ")", { "code", "name", "city", "region", "ECC", "ESC", "Q", "zone" }, rows)
  rows = {}
  for _, z in ipairs(S.zone_info.order) do rows[#rows + 1] = { z, S.zone_counts[z] or 0 } end
  if (S.zone_counts.unclassified or 0) > 0 then rows[#rows + 1] = { "unclassified", S.zone_counts.unclassified } end
  tbl(S, "t7_zone_counts", "Counties per zone", { "zone", "counties" }, rows)
end

-- The county GeoPackage: ids, names, variables for the chosen years, zone.
function M.geopackage(S)
  local p = S.panel
  local fields = { { name = "code", type = "string" }, { name = "name", type = "string" },
                   { name = "city", type = "string" }, { name = "region", type = "string" },
                   { name = "zone", type = "string" } }
  local feats = {}
  for i = 1, p.n do
    feats[i] = { code = p.ids[i], name = p.names and p.names[i] or "", city = p.city and p.city[i] or "",
                 region = p.region and p.region[i] or "", zone = S.zones[i] }
  end
  for _, y in ipairs(S.gpkg_years) do
    for _, v in ipairs({ "light", "C", "N", "Q", "ECC", "ESC", "G", "P" }) do
      local name = v .. "_" .. y
      fields[#fields + 1] = { name = name, type = "real" }
      local a = p:get(v, y)
      for i = 1, p.n do feats[i][name] = a[i] end
    end
  end
  for _, L in ipairs(S.lmdi) do
    for _, f in ipairs({ "CI", "R", "I", "M" }) do
      local name = ("lmdi_%s_%d_%d"):format(f, L.from, L.to)
      fields[#fields + 1] = { name = name, type = "real" }
      for i = 1, p.n do feats[i][name] = L.county.items[f][i] end
    end
  end
  local path = S.out .. "/counties.gpkg"
  cbal.write_layer(path, { layer = "counties", geometries = S.layer, fields = fields, features = feats })
  S.outputs[#S.outputs + 1] = { path = path, kind = "geopackage", title = "Counties with all variables" }
end

-- Figures ------------------------------------------------------------------

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

local function pooled_breaks(S, var, k)
  local pooled = {}
  for _, y in ipairs(S.map_years) do pooled[#pooled + 1] = S.panel:get(var, y) end
  return strict(cbal.breaks(pooled, { method = "jenks", k = k }))
end

function M.figures(S)
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
  -- cities), so every city keeps a distinct colour.
  local region_of, groups, by_region = {}, {}, {}
  for i = 1, p.n do
    if p.city and p.region and p.region[i] ~= "" then region_of[p.city[i]] = p.region[i] end
  end
  for _, c in ipairs(S.city_order) do
    local r = region_of[c] or "all"
    if not by_region[r] then
      by_region[r] = { title = r, series = {} }
      groups[#groups + 1] = by_region[r]
    end
    local q = {}
    for i, y in ipairs(years) do q[i] = S.city_series[c][y].Q end
    table.insert(by_region[r].series, { y = q, name = c })
  end
  local function last_mean(g) -- regions from the most to the least imbalanced
    local sum = 0
    for _, c in ipairs(g.series) do sum = sum + c.y[#years] end
    return sum / #g.series
  end
  table.sort(groups, function(a, b) return last_mean(a) > last_mean(b) end)
  fig = cbal.figures.city_lines{ years = years, groups = groups, width_mm = 183,
    height_mm = 80, dpi = 150, title = "Fig. 4  Carbon balance coefficient Q per prefecture city, by region" }
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
  local zi, cats = {}, {}
  for k, z in ipairs(S.zone_info.order) do cats[k] = z end
  local idx = S.zone_info.index
  local has_other = false
  for i = 1, p.n do
    zi[i] = idx[i] > 0 and idx[i] or #cats + 1
    has_other = has_other or idx[i] == 0
  end
  if has_other then cats[#cats + 1] = "unclassified" end
  local colors = { "#d7301f", "#fc8d59", "#41ab5d", "#2b8cbe", "#807dba", "#bdbdbd" }
  local cl = {}
  for k = 1, #cats do cl[k] = colors[k] or "#999999" end
  fig = cbal.figures.zoning_map{ layer = S.layer, zones = zi, names = cats, colors = cl,
    width_mm = 170, height_mm = 120, dpi = 150,
    title = "Fig. 7  Carbon balance zoning (" .. tostring(S.zone_info.year) .. ")" }
  save(S, fig, "fig7_zoning", "Fig. 7  Zoning")
end

-- HTML ---------------------------------------------------------------------

-- The one number format of the report (tests compare CSV values through it).
function M.fmt(v)
  if type(v) ~= "number" then return tostring(v == nil and "" or v) end
  if v ~= v then return "–" end
  if math.type(v) == "integer" or (v == math.floor(v) and math.abs(v) < 1e9) then
    return string.format("%d", math.tointeger(v) or v)
  end
  local a = math.abs(v)
  if a >= 100 then return string.format("%.1f", v) end
  if a >= 1 then return string.format("%.2f", v) end
  return string.format("%.3f", v)
end

local function esc(s)
  return (tostring(s):gsub("[&<>\"]", { ["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;", ['"'] = "&quot;" }))
end

local B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
local function base64(data)
  local out = {}
  for i = 1, #data, 3 do
    local a, b, c = data:byte(i, i + 2)
    local n = a * 65536 + (b or 0) * 256 + (c or 0)
    local s = {}
    for k = 3, 0, -1 do
      local d = (n >> (6 * k)) & 63
      s[#s + 1] = B64:sub(d + 1, d + 1)
    end
    if not b then s[3], s[4] = "=", "=" elseif not c then s[4] = "=" end
    out[#out + 1] = table.concat(s)
  end
  return table.concat(out)
end
M.base64 = base64

local function read(path)
  local f = assert(io.open(path, "rb"))
  local d = f:read("a")
  f:close()
  return d
end

local function html_table(t, maxrows)
  local h = { '<table id="' .. esc(t.name) .. '"><caption>' .. esc(t.title) ..
              ' <a href="' .. esc(t.name) .. '.csv">(' .. esc(t.name) .. '.csv)</a></caption><tr>' }
  for _, c in ipairs(t.columns) do h[#h + 1] = "<th>" .. esc(c) .. "</th>" end
  h[#h + 1] = "</tr>"
  for i, r in ipairs(t.rows) do
    if maxrows and i > maxrows then
      h[#h + 1] = ('<tr><td colspan="%d">… %d more rows in the CSV</td></tr>'):format(#t.columns, #t.rows - maxrows)
      break
    end
    h[#h + 1] = "<tr>"
    for j = 1, #t.columns do
      local v = r[j]
      h[#h + 1] = (type(v) == "number" and '<td class="n">' or "<td>") .. esc(M.fmt(v)) .. "</td>"
    end
    h[#h + 1] = "</tr>"
  end
  h[#h + 1] = "</table>"
  return table.concat(h)
end

local function figure_html(S, name)
  for _, f in ipairs(S.figures) do
    if f.name == name then
      return ('<figure><img alt="%s" src="data:image/png;base64,%s"><figcaption>%s ' ..
              '(<a href="figures/%s.pdf">PDF</a>, <a href="figures/%s.png">PNG</a>)</figcaption></figure>')
        :format(esc(f.title), base64(read(f.png)), esc(f.title), name, name)
    end
  end
  return ""
end

local CSS = [[
body{font-family:"Noto Sans","Noto Sans CJK SC",sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
h1{font-size:1.6em}h2{border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse;margin:1em 0;font-size:.85em}caption{text-align:left;font-weight:bold;margin-bottom:.3em}
td,th{border:1px solid #ddd;padding:2px 6px}th{background:#f3f3f3}td.n{text-align:right;font-variant-numeric:tabular-nums}
figure{margin:1em 0}figure img{max-width:100%;border:1px solid #eee}figcaption{font-size:.9em;color:#555}
.keys{display:grid;grid-template-columns:repeat(auto-fill,minmax(230px,1fr));gap:.6em;margin:1em 0}
.key{background:#f6f8fa;border:1px solid #e1e4e8;border-radius:4px;padding:.5em .8em}.key b{font-size:1.3em;display:block}
details{margin:1em 0}code{background:#f3f3f3;padding:0 3px}
]]

local function key(label, value, id)
  return ('<div class="key" id="%s"><b>%s</b>%s</div>'):format(id, esc(value), esc(label))
end

function M.html(S, d)
  local y0, y1 = S.years[1], S.years[#S.years]
  local i0 = { totals = S.prov[y0], Q_prov = S.prov[y0].C / S.prov[y0].N }
  local i1 = { totals = S.prov[y1], Q_prov = S.prov[y1].C / S.prov[y1].N }
  local t5 = S.tables.t5_Q_classes.rows
  local h = { "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>",
    esc(d.title or "County carbon balance study"), "</title><style>", CSS, "</style></head><body>",
    "<h1>", esc(d.title or "County carbon balance study"), "</h1>",
    ("<p>%d counties in %d cities, %d–%d. Emissions allocated by night-light share; " ..
     "sequestration N = 1.62/0.45 × NPP; carbon balance coefficient Q = C/N; coverage mode " ..
     "<code>%s</code>. Generated by cbal %s.</p>"):format(S.panel.n, #S.city_order, y0, y1,
      esc(S.params.coverage), esc(cbal.version)),
    '<div class="keys">',
    key(("provincial emissions %d → %d (Mt CO2)"):format(y0, y1), M.fmt(i0.totals.C) .. " → " .. M.fmt(i1.totals.C), "k_C"),
    key(("sequestration %d → %d (Mt CO2)"):format(y0, y1), M.fmt(i0.totals.N) .. " → " .. M.fmt(i1.totals.N), "k_N"),
    key(("provincial Q %d → %d"):format(y0, y1), M.fmt(i0.Q_prov) .. " → " .. M.fmt(i1.Q_prov), "k_Q"),
    key(("imbalanced counties (Q > 1) %d → %d"):format(y0, y1), M.fmt(t5[1][6]) .. " → " .. M.fmt(t5[#t5][6]), "k_imb"),
    key(("counties with Q < 1, %d → %d"):format(y0, y1), M.fmt(t5[1][2]) .. " → " .. M.fmt(t5[#t5][2]), "k_sink"),
    "</div>" }
  local function add(...) for _, x in ipairs({ ... }) do h[#h + 1] = x end end
  local T = S.tables
  add("<h2>1. County emissions</h2>", figure_html(S, "fig1_emissions"), html_table(T.t1_emissions_per_capita),
      "<p>Per-capita emissions and intensity are given both as the aggregate ratio (ΣC/ΣP) and as the mean of county ratios; they differ.</p>")
  add("<h2>2. County sequestration</h2>", figure_html(S, "fig2_sequestration"), html_table(T.t2_sequestration_classes))
  add("<h2>3. Provincial carbon balance</h2>", figure_html(S, "fig3_province"), html_table(T.t3_province), html_table(T.t3_growth))
  add("<h2>4. Prefecture cities</h2>", figure_html(S, "fig4_city_Q"), html_table(T.t4_Q_growth),
      "<details><summary>Q per city and year</summary>", html_table(T.t4_city_Q), "</details>")
  add("<h2>5. County carbon balance coefficient</h2>", figure_html(S, "fig5_Q"), html_table(T.t5_Q_classes))
  add("<h2>6. Driving factors (LMDI)</h2>", figure_html(S, "fig6_lmdi"), figure_html(S, "fig6b_lmdi_regional"),
      html_table(T.t6_lmdi_regional),
      "<details><summary>Per county, period-wise</summary>", html_table(T.t6_lmdi_county), "</details>",
      "<details><summary>Per county, chained</summary>", html_table(T.t6_lmdi_county_chained), "</details>")
  add("<h2>7. Zoning</h2>", figure_html(S, "fig7_zoning"), html_table(T.t7_zone_counts),
      "<details><summary>Zone of each county</summary>", html_table(T.t7_zoning), "</details>")
  add("<h2>Provenance</h2><p>Inputs with sizes and SHA-256, parameters and versions: ",
      '<a href="manifest.json">manifest.json</a>. County panel: <a href="county_panel.csv">county_panel.csv</a>; ',
      'counties with all variables: <a href="counties.gpkg">counties.gpkg</a>.</p>')
  if #S.join.table_only > 0 or #S.join.panel_only > 0 then
    add(("<p>Socio-economic table: %d ids only in the table, %d counties without rows.</p>")
        :format(#S.join.table_only, #S.join.panel_only))
  end
  add("</body></html>\n")
  local path = S.out .. "/report.html"
  local tmp = path .. ".tmp"
  local f = assert(io.open(tmp, "wb"))
  f:write(table.concat(h))
  f:close()
  assert(os.rename(tmp, path))
  S.outputs[#S.outputs + 1] = { path = path, kind = "report", title = "Report" }
end

function M.write(S, d)
  M.tables(S)
  M.geopackage(S)
  if d.figures ~= false then M.figures(S) else S.figures = {} end
  M.html(S, d)
end

local function ntables(S)
  local n = 0
  for _ in pairs(S.tables) do n = n + 1 end
  return n
end

function M.summary(S)
  local y0, y1 = S.years[1], S.years[#S.years]
  local i0 = { totals = S.prov[y0], Q_prov = S.prov[y0].C / S.prov[y0].N }
  local i1 = { totals = S.prov[y1], Q_prov = S.prov[y1].C / S.prov[y1].N }
  local t5 = S.tables.t5_Q_classes.rows
  local z = {}
  for _, name in ipairs(S.zone_info.order) do z[#z + 1] = ("%s %d"):format(name, S.zone_counts[name] or 0) end
  return table.concat({
    ("study: %d counties, %d-%d (coverage %s)"):format(S.panel.n, y0, y1, S.params.coverage),
    ("  emissions %s -> %s Mt, sequestration %s -> %s Mt, Q %s -> %s"):format(M.fmt(i0.totals.C),
      M.fmt(i1.totals.C), M.fmt(i0.totals.N), M.fmt(i1.totals.N), M.fmt(i0.Q_prov), M.fmt(i1.Q_prov)),
    ("  imbalanced counties (Q > 1): %d -> %d"):format(t5[1][6], t5[#t5][6]),
    "  zones: " .. table.concat(z, ", "),
    ("  outputs in %s: report.html, %d tables, %d figures (PNG, PDF), counties.gpkg, manifest.json")
      :format(S.out, ntables(S), #S.figures),
  }, "\n")
end

return M
