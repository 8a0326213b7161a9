-- The study's common figures as short calls over cbal.figure: maps by year
-- with shared breaks and one legend, the dual-axis provincial chart, city
-- lines, LMDI stacked bars with net markers or maps, and the zoning map.
-- Maps take the same extras (overlay, graticule, locator, labels, inset);
-- every helper takes a theme. Each returns the figure and saves it when
-- `out` is given (.png/.pdf/.svg).
local cbal = require "cbal"

local M = {}

local function check(opts, fname, allowed)
  if type(opts) ~= "table" then
    error(("%s: expected an options table, got %s"):format(fname, type(opts)), 3)
  end
  require("cbal.opts").check(fname, opts, allowed, 3)
end

-- Options every helper takes, and the extras every map takes.
local FIG = { "width_mm", "height_mm", "dpi", "font", "title", "theme", "out" }
local MAP = { "layer", "polygons", "crs", "geographic", "labels", "overlay",
              "graticule", "locator", "inset" }

local function keys(...)
  local all = {}
  for _, list in ipairs { ... } do table.move(list, 1, #list, #all + 1, all) end
  return all
end

local function finish(fig, out)
  if out then fig:save(out) end
  return fig
end

-- cbal.figure for helper options o: the caller's size, else the theme's
-- width and the helper's default height.
local function figure(o, w, h, widths)
  local t = o.theme and cbal.themes.load(o.theme) or cbal.themes.current()
  local tw = not o.width_mm and t and t.width_mm
  if tw and not o.height_mm then -- the helper's shape at the theme's width
    h = math.min(h * tw / w, t.height_mm or math.huge)
  end
  return cbal.figure { width_mm = o.width_mm or tw or w, height_mm = o.height_mm or h,
                       dpi = o.dpi, font = o.font, title = o.title, theme = o.theme,
                       widths = widths }
end

local function letter(o, i) return cbal.themes.letter(o.theme, i) end

-- The map extras of o for map k of a grid: the locator is laid out on
-- every map (one scale for all) but drawn on the first.
local function extras(o, k)
  local loc = o.locator
  if loc and k > 1 then
    loc = {}
    for key, v in pairs(o.locator) do loc[key] = v end
    loc.show = false
  end
  return { layer = o.layer, polygons = o.polygons, crs = o.crs,
           geographic = o.geographic, labels = o.labels, overlay = o.overlay,
           graticule = o.graticule, locator = loc, inset = k == 1 and o.inset or nil }
end

-- Edges shared by every year: cbal.breaks (Jenks) on the pooled values,
-- pretty unless round is false.
local function pooled_breaks(list, k, round)
  return (cbal.breaks(list, { method = "jenks", k = k or 5, round = round ~= false }))
end

-- The values of several maps as one array, for their shared legend (which
-- then shows "No data" when one is missing).
local function joined(list)
  local t = {}
  for _, v in ipairs(list) do
    for i = 1, #v do t[#t + 1] = v[i] end
  end
  return cbal.array(t)
end

-- maps_by_year{layer= | polygons=, years=, values= {[year] = array} or
-- function(year), breaks=, k=, breaks_round=, palette=, center=, legend =
-- {title=, units=}, cols=, the map extras, width_mm=, height_mm=, dpi=,
-- font=, title=, theme=, out=}
function M.maps_by_year(o)
  check(o, "maps_by_year", keys({ "years", "values", "breaks", "k", "breaks_round",
    "palette", "center", "legend", "cols" }, MAP, FIG))
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
  local fig = figure(o, 183, rows * 62 + (o.title and 8 or 2), widths)
  for i, y in ipairs(o.years) do
    local p = fig:panel{ row = (i - 1) // cols + 1, col = (i - 1) % cols + 1,
                         title = letter(o, i) .. " " .. tostring(y) }
    local spec = extras(o, i)
    spec.values, spec.breaks, spec.palette, spec.center = vals[i], breaks, o.palette, o.center
    spec.legend, spec.north_arrow, spec.scale_bar, spec.reserve = false, i == 1, i == 1, true
    p:map(spec)
  end
  local lp = fig:panel{ row = 1, col = cols + 1, rowspan = rows }
  lp:legend{ breaks = breaks, palette = o.palette, center = o.center, values = joined(vals),
             title = legend.title, units = legend.units }
  return finish(fig, o.out)
end

-- province{years=, C=, N=, Q=, units=, direct_labels=, title=, ...}:
-- emissions and sequestration on the left axis, Q on the right.
function M.province(o)
  check(o, "province", keys({ "years", "C", "N", "Q", "units", "direct_labels" }, FIG))
  local fig = figure(o, 88, 65)
  fig:panel{}:line{ x = o.years, direct_labels = o.direct_labels,
    series = { { y = o.C, name = "Emissions C", marker = "circle" },
               { y = o.N, name = "Sequestration N", marker = "square" },
               { y = o.Q, name = "Q = C/N", axis = 2, dashed = true, marker = "triangle" } },
    xlabel = "Year", ylabel = o.units or "Mt CO\u{2082}", y2label = "Q" }
  return finish(fig, o.out)
end

-- city_lines{years=, series = {{name=, y=}, ...}, ylabel=, palette=,
-- direct_labels=, title=, ...}, or groups = {{title=, series=}, ...}
-- instead of series: one panel per group (e.g. the cities of each region)
-- on a shared y scale. Lines are named at their ends (direct_labels,
-- default true), and beyond the palette's colours they are dashed.
-- Returns the figure and its panels.
function M.city_lines(o)
  check(o, "city_lines", keys({ "years", "series", "groups", "ylabel", "palette",
    "direct_labels" }, FIG))
  local groups = o.groups or { { series = o.series } }
  local fig = figure(o, 120, 80)
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
  local palette = o.palette or "OkabeIto"
  local ncol = #cbal.palette_info(palette).colors
  local panels = {}
  for k, g in ipairs(groups) do
    local s = {}
    for i, c in ipairs(g.series) do
      s[i] = { name = c.name, y = c.y, marker = "circle", dashed = i > ncol }
    end
    panels[k] = fig:panel{ row = 1, col = k, title = g.title }
    panels[k]:line{ x = o.years, series = s, direct_labels = o.direct_labels ~= false,
      xlabel = "Year", ylabel = k == 1 and (o.ylabel or "Q") or nil, ylim = ylim,
      palette = palette }
  end
  return finish(fig, o.out), panels
end

-- lmdi_bars{categories=, effects = {{name=, values=}, ...} | total=,
-- value_label=, net=, horizontal=, title=, ...}: stacked effects
-- (positive up, negative down) with a marker at each net total (net, the
-- ΔQ; false for none), or one diverging bar per unit coloured by sign.
function M.lmdi_bars(o)
  check(o, "lmdi_bars", keys({ "categories", "effects", "total", "value_label",
    "net", "horizontal" }, FIG))
  local n = #o.categories
  local hz = o.horizontal
  if hz == nil then hz = n > 15 end
  local fig = figure(o, hz and 88 or 183, hz and math.max(60, n * 3.2 + 20) or 70)
  local spec = { categories = o.categories, horizontal = hz,
                 value_label = o.value_label or "\u{0394}Q" }
  if o.total then
    spec.values, spec.diverging = o.total, true
  else
    spec.series, spec.diverging = o.effects, true
    spec.net = o.net == nil and (o.value_label or "\u{0394}Q") or o.net
  end
  fig:panel{}:bars(spec)
  return finish(fig, o.out)
end

-- Symmetric edges around 0 for effects: the 25 % and 75 % quantiles of
-- |v| and the largest |v|, mirrored (5 classes, the middle one near 0),
-- made pretty on |v| (so the mirror stays symmetric) unless round is false.
-- Quantiles, so extreme places only widen the outer classes. list is a
-- list of arrays (NaN skipped); where names the caller in the error.
local function symmetric_breaks(list, round, where)
  local a = {}
  for _, v in ipairs(list) do
    for i = 1, #v do
      local x = v[i]
      if x == x then a[#a + 1] = math.abs(x) end
    end
  end
  if #a == 0 then error((where or "lmdi_maps") .. ": all effect values are missing (NaN)", 3) end
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
M.symmetric_breaks = symmetric_breaks

-- lmdi_maps{layer= | polygons=, rows = {{title=, effects = {{name=,
-- values=}, ...}}, ...}, breaks=, palette=, legend = {title=}, the map
-- extras, title=, ...}: one map per effect and period at one scale,
-- centred on 0, one shared legend per figure.
function M.lmdi_maps(o)
  check(o, "lmdi_maps", keys({ "rows", "breaks", "breaks_round", "palette", "legend" },
    MAP, FIG))
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
  local fig = figure(o, 183, #o.rows * 48 + (o.title and 8 or 2), widths)
  local k = 0
  for r, row in ipairs(o.rows) do
    for c, e in ipairs(row.effects) do
      k = k + 1
      local spec = extras(o, k)
      spec.values, spec.breaks, spec.palette, spec.center = e.values, breaks, o.palette, 0
      spec.legend, spec.north_arrow, spec.scale_bar, spec.reserve = false, k == 1, k == 1, true
      fig:panel { row = r, col = c,
                  title = ("%s %s %s"):format(letter(o, k), e.name, row.title or "") }:map(spec)
    end
  end
  local legend = o.legend or {}
  fig:panel { row = 1, col = cols + 1, rowspan = #o.rows }:legend {
    breaks = breaks, palette = o.palette, center = 0, values = joined(pooled),
    title = legend.title or "Effect on Q", units = legend.units }
  return finish(fig, o.out)
end

-- Zone colours told apart by colour-blind readers (Okabe-Ito): warm for
-- the high carbon zones, cool for the low carbon ones, grey last.
M.zone_colors = { "#d55e00", "#e69f00", "#009e73", "#56b4e9", "#cc79a7", "#bdbdbd" }

-- zoning_map{layer= | polygons=, zones = index per feature (1..#names),
-- names=, colors=, the map extras, title=, ...}
function M.zoning_map(o)
  check(o, "zoning_map", keys({ "zones", "names", "colors" }, MAP, FIG))
  local fig = figure(o, 120, 90)
  local spec = extras(o, 1)
  spec.values, spec.categories, spec.colors = o.zones, o.names, o.colors or M.zone_colors
  spec.legend, spec.north_arrow, spec.scale_bar = { title = "Zone" }, true, true
  fig:panel{}:map(spec)
  return finish(fig, o.out)
end

return M
