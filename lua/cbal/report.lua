-- The outputs of a study: the tables of METHOD.md as CSV (and as rows kept
-- for the report, so both show the same numbers), the county GeoPackage and
-- the printed summary; figures and report.html come from cbal.report.*.
local cbal = require "cbal"
local common = require "cbal.report.common"
local figures = require "cbal.report.figures"
local html = require "cbal.report.html"

local M = {}

local Q_CLASSES = { { "Q < 1", -math.huge, 1 }, { "1 <= Q < 10", 1, 10 },
                    { "10 <= Q < 40", 10, 40 }, { "Q >= 40", 40, math.huge } }

M.strict_breaks = common.strict
-- The one number format of the report (tests compare CSV values through it).
M.fmt = common.fmt
M.base64 = html.base64
M.figures = figures.write
M.html = html.write

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
      { "year", "C_Mt", "per_capita_t_aggregate", "per_capita_t_mean_of_counties",
        "intensity_t_per_10k_yuan_aggregate", "intensity_t_per_10k_yuan_mean_of_counties" }, rows)
  -- 2. sequestration classes (Jenks breaks pooled over the map years)
  S.N_breaks = common.pooled_breaks(S, "N", 5)
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
  elseif a then span = require("cbal.panel").span(tonumber(a), tonumber(b)) end
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
  for _, z in ipairs(common.zone_list(S)) do rows[#rows + 1] = { z, S.zone_counts[z] or 0 } end
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
  for _, name in ipairs(common.zone_list(S)) do z[#z + 1] = ("%s %d"):format(name, S.zone_counts[name] or 0) end
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
