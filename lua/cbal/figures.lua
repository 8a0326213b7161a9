-- The study's common figures as short calls over cbal.figure: maps by year
-- with shared breaks and one legend, the dual-axis provincial chart, city
-- lines, LMDI diverging bars or maps and the zoning map. Each returns the figure
-- and saves it when `out` is given (.png/.pdf/.svg).
local cbal = require "cbal"

local M = {}

local function check(opts, fname, allowed)
  if type(opts) ~= "table" then
    error(("%s: expected an options table, got %s"):format(fname, type(opts)), 3)
  end
  require("cbal.opts").check(fname, opts, allowed, 3)
end

local function finish(fig, out)
  if out then fig:save(out) end
  return fig
end

local letters = "abcdefghijklmnopqrstuvwxyz"
local function letter(i) return "(" .. letters:sub(i, i) .. ")" end

-- Edges shared by every year: cbal.breaks (Jenks) on the pooled values,
-- pretty unless round is false.
local function pooled_breaks(list, k, round)
  return (cbal.breaks(list, { method = "jenks", k = k or 5, round = round ~= false }))
end

-- maps_by_year{layer= | polygons=, years=, values= {[year] = array} or
-- function(year), breaks=, k=, breaks_round=, palette=, center=, legend =
-- {title=, units=}, cols=, width_mm=, height_mm=, dpi=, font=, title=,
-- crs=, out=}
function M.maps_by_year(o)
  check(o, "maps_by_year", { "layer", "polygons", "years", "values", "breaks",
    "k", "breaks_round", "palette", "center", "legend", "cols", "width_mm",
    "height_mm", "dpi", "font", "title", "crs", "geographic", "labels", "out" })
  assert(type(o.years) == "table" and #o.years > 0, "maps_by_year: give years = {...}")
  local get = type(o.values) == "function" and o.values or function(y)
    local v = o.values and o.values[y]
    if v == nil then error(("maps_by_year: no values for year %s"):format(tostring(y)), 3) end
    return v
  end
  local vals = {}
  for i, y in ipairs(o.years) do vals[i] = get(y) end
  local breaks = o.breaks or pooled_breaks(vals, o.k, o.breaks_round)
  local n = #o.years
  local cols = o.cols or math.min(n, 3)
  local rows = math.ceil(n / cols)
  local legend = o.legend or {}
  -- the legend gets its own narrow column, so every map has the same scale
  local widths = {}
  for c = 1, cols do widths[c] = 1 end
  widths[cols + 1] = 0.42
  local fig = cbal.figure{ width_mm = o.width_mm or 183,
    height_mm = o.height_mm or (rows * 62 + (o.title and 8 or 2)),
    dpi = o.dpi, font = o.font, title = o.title, widths = widths }
  for i, y in ipairs(o.years) do
    local p = fig:panel{ row = (i - 1) // cols + 1, col = (i - 1) % cols + 1,
                         title = letter(i) .. " " .. tostring(y) }
    p:map{ layer = o.layer, polygons = o.polygons, crs = o.crs, values = vals[i],
           breaks = breaks, palette = o.palette, center = o.center,
           labels = o.labels, legend = false, geographic = o.geographic,
           north_arrow = i == 1, scale_bar = i == 1, reserve = true }
  end
  local lp = fig:panel{ row = 1, col = cols + 1, rowspan = rows }
  lp:legend{ breaks = breaks, palette = o.palette, center = o.center,
             title = legend.title, units = legend.units }
  return finish(fig, o.out)
end

-- province{years=, C=, N=, Q=, units=, title=, width_mm=, height_mm=, out=}:
-- emissions and sequestration on the left axis, Q on the right.
function M.province(o)
  check(o, "province", { "years", "C", "N", "Q", "units", "title", "width_mm",
    "height_mm", "dpi", "font", "out" })
  local fig = cbal.figure{ width_mm = o.width_mm or 88, height_mm = o.height_mm or 65,
                           dpi = o.dpi, font = o.font, title = o.title }
  fig:panel{}:line{ x = o.years,
    series = { { y = o.C, name = "Emissions C", marker = "circle" },
               { y = o.N, name = "Sequestration N", marker = "square" },
               { y = o.Q, name = "Q = C/N", axis = 2, dashed = true, marker = "triangle" } },
    xlabel = "Year", ylabel = o.units or "Mt CO\u{2082}", y2label = "Q" }
  return finish(fig, o.out)
end

-- city_lines{years=, series = {{name=, y=}, ...}, ylabel=, title=, out=}, or
-- groups = {{title=, series=}, ...} instead of series: one panel per group
-- (e.g. the cities of each region) on a shared y scale. Returns the figure
-- and its panels.
function M.city_lines(o)
  check(o, "city_lines", { "years", "series", "groups", "ylabel", "title", "palette",
    "width_mm", "height_mm", "dpi", "font", "out" })
  local groups = o.groups or { { series = o.series } }
  local fig = cbal.figure{ width_mm = o.width_mm or 120, height_mm = o.height_mm or 80,
                           dpi = o.dpi, font = o.font, title = o.title }
  local lo, hi = math.huge, -math.huge
  for _, g in ipairs(groups) do
    for _, c in ipairs(g.series) do
      for i = 1, #o.years do
        local v = c.y[i]
        if v == v then lo, hi = math.min(lo, v), math.max(hi, v) end
      end
    end
  end
  local ylim = #groups > 1 and hi > -math.huge and { math.min(0, lo), hi } or nil
  local panels = {}
  for k, g in ipairs(groups) do
    local s = {}
    for i, c in ipairs(g.series) do s[i] = { name = c.name, y = c.y, marker = "circle" } end
    panels[k] = fig:panel{ row = 1, col = k, title = g.title }
    panels[k]:line{ x = o.years, series = s,
      xlabel = "Year", ylabel = k == 1 and (o.ylabel or "Q") or nil, ylim = ylim,
      palette = o.palette or (#s > 8 and "Paired" or "Dark2") }
  end
  return finish(fig, o.out), panels
end

-- lmdi_bars{categories=, effects = {{name=, values=}, ...} | total=,
-- value_label=, horizontal=, title=, out=}: stacked effects (positive up,
-- negative down) or one diverging bar per unit coloured by sign.
function M.lmdi_bars(o)
  check(o, "lmdi_bars", { "categories", "effects", "total", "value_label",
    "horizontal", "title", "width_mm", "height_mm", "dpi", "font", "out" })
  local n = #o.categories
  local hz = o.horizontal
  if hz == nil then hz = n > 15 end
  local fig = cbal.figure{ width_mm = o.width_mm or (hz and 88 or 183),
    height_mm = o.height_mm or (hz and math.max(60, n * 3.2 + 20) or 70),
    dpi = o.dpi, font = o.font, title = o.title }
  local spec = { categories = o.categories, horizontal = hz,
                 value_label = o.value_label or "\u{0394}Q" }
  if o.total then
    spec.values, spec.diverging = o.total, true
  else
    spec.series, spec.diverging, spec.palette = o.effects, true, "Set2"
  end
  fig:panel{}:bars(spec)
  return finish(fig, o.out)
end

-- Symmetric edges around 0 for effects: the 25 % and 75 % quantiles of
-- |v| and the largest |v|, mirrored (5 classes, the middle one near 0),
-- made pretty on |v| (so the mirror stays symmetric) unless round is false.
local function symmetric_breaks(list, round)
  local a = {}
  for _, v in ipairs(list) do
    for i = 1, #v do
      local x = v[i]
      if x == x then a[#a + 1] = math.abs(x) end
    end
  end
  if #a == 0 then error("lmdi_maps: all effect values are missing (NaN)", 3) end
  table.sort(a)
  local function q(p) return a[math.max(1, math.ceil(p * #a))] end
  local hi, q3, q1 = a[#a], q(0.75), q(0.25)
  if hi <= 0 then hi = 1 end
  if q3 >= hi then q3 = hi / 2 end
  if q1 >= q3 or q1 <= 0 then q1 = q3 / 4 end
  if round ~= false then
    local e = cbal.breaks(a, { method = "manual", breaks = { 0, q1, q3, hi }, round = true })
    q1, q3, hi = e[2], e[3], e[4]
  end
  return { -hi, -q3, -q1, q1, q3, hi }
end

-- lmdi_maps{layer= | polygons=, rows = {{title=, effects = {{name=,
-- values=}, ...}}, ...}, breaks=, palette=, legend = {title=}, geographic=,
-- crs=, title=, width_mm=, height_mm=, out=}: one map per effect and
-- period at one scale, centred on 0, one shared legend per figure.
function M.lmdi_maps(o)
  check(o, "lmdi_maps", { "layer", "polygons", "rows", "breaks", "breaks_round",
    "palette", "legend", "geographic", "crs", "title", "width_mm", "height_mm",
    "dpi", "font", "out" })
  assert(type(o.rows) == "table" and #o.rows > 0, "lmdi_maps: give rows = {{title=, effects=}}")
  local pooled, cols = {}, 0
  for _, r in ipairs(o.rows) do
    cols = math.max(cols, #r.effects)
    for _, e in ipairs(r.effects) do pooled[#pooled + 1] = e.values end
  end
  local breaks = o.breaks or symmetric_breaks(pooled, o.breaks_round)
  local widths = {}
  for c = 1, cols do widths[c] = 1 end
  widths[cols + 1] = 0.55
  local fig = cbal.figure { width_mm = o.width_mm or 183,
    height_mm = o.height_mm or (#o.rows * 48 + (o.title and 8 or 2)),
    dpi = o.dpi, font = o.font, title = o.title, widths = widths }
  local k = 0
  for r, row in ipairs(o.rows) do
    for c, e in ipairs(row.effects) do
      k = k + 1
      fig:panel { row = r, col = c, title = ("%s %s %s"):format(letter(k), e.name, row.title or "") }:map {
        layer = o.layer, polygons = o.polygons, crs = o.crs, values = e.values,
        breaks = breaks, palette = o.palette or "RdBu_r", center = 0, legend = false,
        geographic = o.geographic, north_arrow = k == 1, scale_bar = k == 1, reserve = true }
    end
  end
  local legend = o.legend or {}
  fig:panel { row = 1, col = cols + 1, rowspan = #o.rows }:legend {
    breaks = breaks, palette = o.palette or "RdBu_r", center = 0,
    title = legend.title or "Effect on Q", units = legend.units }
  return finish(fig, o.out)
end

-- zoning_map{layer= | polygons=, zones = index per feature (1..#names),
-- names=, colors=, labels=, title=, out=}
function M.zoning_map(o)
  check(o, "zoning_map", { "layer", "polygons", "zones", "names", "colors",
    "labels", "title", "crs", "geographic", "width_mm", "height_mm", "dpi", "font", "out" })
  local fig = cbal.figure{ width_mm = o.width_mm or 120, height_mm = o.height_mm or 90,
                           dpi = o.dpi, font = o.font, title = o.title }
  fig:panel{}:map{ layer = o.layer, polygons = o.polygons, crs = o.crs,
    values = o.zones, categories = o.names, labels = o.labels,
    colors = o.colors or { "#d7301f", "#fc8d59", "#91cf60", "#1a9850", "#bdbdbd" },
    legend = { title = "Zone" }, north_arrow = true, scale_bar = true,
    geographic = o.geographic }
  return finish(fig, o.out)
end

return M
