-- cbal.figure: panels, maps, line and bar charts, saving PNG/PDF/SVG, the
-- layouts as numbers (panel:info()), bad input, and the cbal.figures
-- helpers. Data is made here: polygons as plain lists or a GeoJSON file.
local cbal = require "cbal"
local T = require "testutil"

-- A jittered nx x ny grid of quads from (x0, y0), cells dx x dy: shared
-- corners, so polygons tile; returns the polygon list and names.
local function grid(nx, ny, x0, y0, dx, dy, seed)
  local state = seed or 1
  local function rnd() state = (state * 1103515245 + 12345) % 2147483648; return state / 2147483648 end
  local P = {}
  for i = 0, nx do
    P[i] = {}
    for j = 0, ny do
      local inner = i > 0 and i < nx and j > 0 and j < ny
      P[i][j] = { x0 + i * dx + (inner and (rnd() - 0.5) * dx * 0.6 or 0),
                  y0 + j * dy + (inner and (rnd() - 0.5) * dy * 0.6 or 0) }
    end
  end
  local polys, names = {}, {}
  for i = 0, nx - 1 do
    for j = 0, ny - 1 do
      local r = {}
      for _, c in ipairs { P[i][j], P[i + 1][j], P[i + 1][j + 1], P[i][j + 1] } do
        r[#r + 1] = c[1]; r[#r + 1] = c[2]
      end
      polys[#polys + 1] = { r }
      names[#names + 1] = ("县%d"):format(#polys)
    end
  end
  return polys, names
end

local function png_size(path)
  local s = T.read(path)
  assert(s:sub(1, 8) == "\137PNG\r\n\26\n", "not a PNG: " .. path)
  return string.unpack(">I4I4", s, 17)
end

local function ls(dir)
  local p = io.popen("ls -A '" .. dir .. "'")
  local t = {}
  for l in p:lines() do t[#t + 1] = l end
  p:close()
  return t
end

local function values(n, f)
  local v = {}
  for i = 1, n do v[i] = f(i) end
  return v
end

describe("cbal.figure", function()
  local dir
  before_each(function() dir = T.tmpdir(); cbal.warnings(true) end)
  after_each(function() T.rmtree(dir) end)

  it("saves a map as PNG at the stated dpi, PDF and SVG, leaving no temp files", function()
    local polys, names = grid(6, 5, 0, 0, 10000, 10000, 3)
    local fig = cbal.figure { width_mm = 100, height_mm = 60, dpi = 150, title = "测试" }
    fig:panel { title = "(a) 2000" }:map {
      polygons = polys, values = values(#polys, function(i) return i end),
      breaks = { 0, 10, 20, 31 }, palette = "Blues", labels = names,
      legend = { title = "Q", units = "ratio" }, north_arrow = true, scale_bar = true }
    fig:save(dir .. "/f.png"); fig:save(dir .. "/f.pdf"); fig:save(dir .. "/f.SVG")
    local w, h = png_size(dir .. "/f.png")
    assert.equal(math.floor(100 / 25.4 * 150 + 0.5), w)
    assert.equal(math.floor(60 / 25.4 * 150 + 0.5), h)
    assert.same({ "f.SVG", "f.pdf", "f.png" }, ls(dir))
    -- the dpi is recorded (pHYs, pixels per metre) for journals and viewers
    local png = T.read(dir .. "/f.png")
    local at = png:find("pHYs", 1, true)
    assert.equal(38, at) -- right after IHDR (8 + 25 bytes, then the length)
    local ppm_x, ppm_y, unit = string.unpack(">I4I4B", png, at + 4)
    assert.equal(math.floor(150 / 0.0254 + 0.5), ppm_x)
    assert.equal(ppm_x, ppm_y)
    assert.equal(1, unit)
    assert.equal(2, png:byte(26)) -- colour type 2: RGB, no alpha
    -- the PDF renders, the SVG is well-formed XML
    local rc = T.sh("pdftoppm -r 50 -png " .. dir .. "/f.pdf " .. dir .. "/r")
    assert.equal(0, rc)
    local pw = png_size(dir .. "/r-1.png")
    assert.equal(math.floor(100 / 25.4 * 50 + 0.5), pw)
    local src = T.read(dir .. "/f.pdf")
    assert.truthy(src:find("FontFile", 1, true)) -- fonts embedded
    assert.equal(0, (T.sh("xmllint --noout " .. dir .. "/f.SVG")))
  end)

  it("reports the layout: breaks, legend labels, counts, scale bar", function()
    local polys = grid(6, 5, 0, 0, 10000, 10000, 3)
    local v = values(#polys, function(i) return i end)
    v[4] = 0 / 0
    local fig = cbal.figure { width_mm = 120, height_mm = 80 }
    local p = fig:panel {}
    p:map { polygons = polys, values = cbal.array(v), breaks = { -math.huge, 1, 10, 20, math.huge },
            legend = { title = "Q" }, scale_bar = true, geographic = false }
    local info = p:info()
    assert.equal("map", info.kind)
    assert.same({ "< 1", "1 – 10", "10 – 20", "≥ 20", "No data" }, info.legend)
    assert.same({ 0, 8, 10, 11 }, info.counts) -- 1..30 without 4
    assert.equal(1, info.nodata)
    assert.is_false(info.geographic)
    local sb = info.scale_bar
    assert.truthy(sb.label:match("^%d+ km$"))
    local lead = sb.metres / 10 ^ math.floor(math.log(sb.metres, 10) + 1e-9)
    assert.truthy(lead == 1 or lead == 2 or lead == 5)
    assert.truthy(sb.mm <= info.frame.w * 0.3 + 1e-9)
    -- the bar is drawn at the map's scale (mm per metre), and the 60 km
    -- wide map fits its frame at that scale
    assert.near(info.scale.x, sb.mm / sb.metres, 1e-12)
    assert.truthy(60000 * info.scale.x <= info.frame.w + 1e-9)
  end)

  it("draws a layer in its CRS with the right aspect and a geographic scale bar", function()
    local path = dir .. "/c.geojson"
    T.write(path, [==[{"type":"FeatureCollection","features":[
 {"type":"Feature","properties":{"name":"南京"},"geometry":{"type":"Polygon",
  "coordinates":[[[118.5,30.5],[120,30.5],[120,32.5],[118.5,32.5],[118.5,30.5]]]}},
 {"type":"Feature","properties":{"name":"苏州"},"geometry":{"type":"Polygon",
  "coordinates":[[[120,31],[121.5,31],[121.5,32],[120,32],[120,31]]]}}]}]==])
    local layer <close> = cbal.open_layer(path)
    local fig = cbal.figure { width_mm = 100, height_mm = 100 }
    local p = fig:panel {}
    p:map { layer = layer, values = { 1, 2 }, breaks = { 0, 1.5, 3 }, legend = false,
            scale_bar = true, labels = { "南京", "苏州" } }
    local info = p:info()
    assert.is_true(info.geographic)
    -- a degree of longitude is cos(31.5°) times a degree of latitude here
    -- (the map centre); the 3 x 2 degrees fill most of the 100 mm square
    -- frame (a little less than all of it, to keep the scale bar off them)
    local phi = math.rad(31.5)
    assert.near(math.cos(phi), info.scale.x / info.scale.y, 0.005)
    local long = math.max(3 * info.scale.x, 2 * info.scale.y)
    assert.truthy(long > 80 and long <= 100, long)
    assert.equal(info.box.w, info.frame.w) -- the frame is the whole panel
    assert.truthy(info.scale_bar.label:match("km$"))
    fig:save(dir .. "/layer.png")
    -- projected on request: metres, so not geographic any more
    local fig2 = cbal.figure { width_mm = 100, height_mm = 100 }
    local p2 = fig2:panel {}
    p2:map { layer = layer, crs = "EPSG:32650", values = { 1, 2 }, legend = false, scale_bar = true }
    assert.is_false(p2:info().geographic)
  end)

  it("computes quantile/equal/jenks breaks, pretty unless breaks_round = false", function()
    local polys = grid(4, 4, 0, 0, 1, 1)
    local fig = cbal.figure {}
    local p = fig:panel { col = 1 }
    p:map { polygons = polys, values = values(16, function(i) return i end), breaks = "equal", k = 3,
            breaks_round = false }
    assert.same({ 1, 6, 11, 16 }, p:info().breaks)
    local r = fig:panel { col = 3 }
    local skew = values(16, function(i) return math.exp(i / 2.3) end) -- 1.5 .. 1054
    r:map { polygons = polys, values = skew, breaks = "jenks", k = 3 }
    local ri = r:info()
    assert.same({ 0, 200, 1000, 1100 }, ri.breaks)
    assert.same({ "0 – 200", "200 – 1000", "1000 – 1100" }, ri.legend)
    -- the same limits, and so the same counts, as cbal.breaks for a table
    assert.same(ri.breaks, cbal.breaks(skew, { k = 3 }):totable())
    local _, counts = cbal.classify_breaks(skew, ri.breaks)
    assert.same(counts, ri.counts)
    local q = fig:panel { col = 2 }
    q:map { polygons = polys, values = values(16, function(i) return i % 2 end), breaks = "quantile", k = 5 }
    assert.same({ 0, 0.5, 1 }, q:info().breaks)
    local w = table.concat(cbal.warnings(true), "\n")
    assert.truthy(w:find("only 2 distinct", 1, true))
  end)

  it("draws category maps, continuous centred maps and legends alone", function()
    local polys = grid(5, 4, 0, 0, 1, 1)
    local fig = cbal.figure { width_mm = 150, height_mm = 50, widths = { 1, 1, 0.5 } }
    local a = fig:panel { col = 1 }
    a:map { polygons = polys, values = values(20, function(i) return i % 4 + 1 end),
            categories = { "控制区", "优化区", "发展区", "经济区" },
            colors = { "#d7301f", "#fc8d59", "#91cf60", "#1a9850" } }
    local ia = a:info()
    assert.same({ "控制区", "优化区", "发展区", "经济区" }, ia.legend)
    assert.same({ "#d7301f", "#fc8d59", "#91cf60", "#1a9850" }, ia.colors)
    assert.same({ 5, 5, 5, 5 }, ia.counts)
    local b = fig:panel { col = 2 }
    b:map { polygons = polys, values = values(20, function(i) return i - 5 end),
            continuous = true, center = 0, palette = "RdBu_r" }
    local l = fig:panel { col = 3 }
    l:legend { breaks = { -1, 0, 1 }, palette = "RdBu_r", center = 0, title = "effect" }
    assert.same({ "−1 – 0", "0 (centre)", "0 – 1" }, l:info().legend)
    -- category symbols: a known name per category (drawing: test_legend.c)
    local function legend_of(opts)
      return pcall(function() cbal.figure { width_mm = 40, height_mm = 40 }:panel {}:legend(opts) end)
    end
    assert.is_true(legend_of { categories = { "a", "b" }, symbols = { "fill", "path" } })
    local ok, err = legend_of { categories = { "a", "b" }, symbols = { "fill", "dash" } }
    assert.is_false(ok)
    assert.matches("option 'symbols%[2%]': unknown value 'dash' %(expected one of: fill, line, point, path%)", err)
    ok, err = legend_of { categories = { "a", "b" }, symbols = { "line" } }
    assert.is_false(ok)
    assert.matches("symbols has 1 entries but there are 2 categories", err)
    -- a legend alone shows "No data" when the values it stands for miss one
    local fig2 = cbal.figure { width_mm = 40, height_mm = 40 }
    local l2, l3 = fig2:panel { row = 1 }, fig2:panel { row = 2 }
    l2:legend { breaks = { -1, 0, 1 }, center = 0, values = { 0.5, 0 / 0 } }
    l3:legend { breaks = { -1, 0, 1 }, center = 0, values = { 0.5, -0.5 } }
    assert.same({ "−1 – 0", "0 (centre)", "0 – 1", "No data" }, l2:info().legend)
    assert.same({ "−1 – 0", "0 (centre)", "0 – 1" }, l3:info().legend)
    -- the legend column is narrower (weights 1, 1, 0.5)
    assert.near(a:info().box.w / 2, l:info().box.w, 0.5)
    fig:save(dir .. "/c.png")
  end)

  it("places legend, north arrow, scale bar, inset and locator in free space, and says where", function()
    local polys, names = grid(8, 6, 118, 31, 0.25, 0.25, 9)
    local v = values(#polys, function(i) return (i * 7) % 13 + 0.5 end)
    -- a larger area for the locator, and city outlines for the overlay
    local big = { { { 110, 25, 125, 25, 125, 40, 110, 40 } } }
    local cities = { { { 118, 31, 119, 31, 119, 32.5, 118, 32.5 } },
                     { { 119, 31, 120, 31, 120, 32.5, 119, 32.5 } } }
    names.callouts = true
    local fig = cbal.figure { width_mm = 150, height_mm = 110 }
    local p = fig:panel {}
    p:map { polygons = polys, geographic = true, values = v, breaks = "jenks", k = 4,
            legend = { title = "C", box = true, opacity = 0.7 }, labels = names,
            north_arrow = true, scale_bar = "bottomleft",
            inset = { bbox = { 118.5, 31.5, 119, 31.9 }, where = "topright", scale = 2.5 },
            overlay = { layer = cities, width = 0.4, color = "#203080" },
            graticule = { step = 0.5, lines = true } }
    local info = p:info()
    assert.equal("topright", info.placement.inset)
    assert.equal("bottomleft", info.placement.scale_bar)
    for _, k in ipairs { "legend", "north_arrow" } do
      assert.truthy(info.placement[k] and info.placement[k] ~= "auto")
      assert.is_nil(info.covers[k]) -- in free space
    end
    local b = info.boxes
    for _, a in ipairs { "legend", "north_arrow", "scale_bar", "inset" } do
      for _, c in ipairs { "legend", "north_arrow", "scale_bar", "inset" } do
        if a < c then
          local x, y = b[a], b[c]
          assert.is_false(x.x < y.x + y.w and y.x < x.x + x.w and x.y < y.y + y.h and y.y < x.y + x.h)
        end
      end
    end
    assert.equal(#polys, info.labels.map + info.labels.callouts + info.labels.inset + info.labels.dropped)
    assert.truthy(info.labels.inset > 0)
    assert.truthy(#info.graticule > 4)
    local has118 = false
    for _, t in ipairs(info.graticule) do has118 = has118 or t == "118.5°E" end
    assert.is_true(has118)
    fig:save(dir .. "/furniture.png")
    -- a locator from a layer in another CRS is reprojected, with a note
    local path = dir .. "/china.gpkg"
    cbal.write_layer(path, { layer = "china", crs = "EPSG:3857", geometry_type = "MultiPolygon",
      fields = { { name = "name", type = "string" } },
      features = { { name = "中国", geometry = { { { 12245000, 2875000, 13915000, 2875000,
                                                    13915000, 4865000, 12245000, 4865000 } } } } } })
    local script = dir .. "/loc.lua"
    T.write(script, ([[
local cbal = require "cbal"
local china <close> = cbal.open_layer(%q)
local fig = cbal.figure { width_mm = 100, height_mm = 80 }
local p = fig:panel {}
p:map { polygons = { { { 118, 31, 119, 31, 119, 32, 118, 32 } } }, crs = "EPSG:4326",
        locator = { layer = china, where = "bottomright" } }
local info = p:info()
print(info.placement.locator, math.floor(info.boxes.locator.w + 0.5))
]]):format(path))
    local rc, out, err = T.sh("env -u CBAL_QUIET " .. T.quote(T.cbal) .. " " .. T.quote(script))
    assert.equal(0, rc, err)
    assert.equal("bottomright\t24", out:match("^[^\n]*")) -- a quarter of the frame
    assert.truthy(err:find("reprojecting layer 'china' from EPSG:3857 to EPSG:4326", 1, true), err)
  end)

  it("refuses a bad inset, a graticule without a CRS and unknown label keys", function()
    local polys = grid(3, 3, 118, 31, 0.5, 0.5)
    local function err_of(opts)
      local fig = cbal.figure {}
      opts.polygons = opts.polygons or polys
      local ok, e = pcall(function() fig:panel {}:map(opts) end)
      assert.is_false(ok)
      return e
    end
    assert.truthy(err_of { geographic = true, inset = { bbox = { 100, 20, 101, 21 } } }
      :find("inset bbox {100, 20, 101, 21} is outside the map's extent {118, 31, 119.5, 32.5}", 1, true))
    assert.truthy(err_of { inset = { bbox = { 118, 31 } } }:find("inset bbox must be {xmin, ymin, xmax, ymax}", 1, true))
    assert.truthy(err_of { inset = { where = "bottomright" } }:find("give bbox", 1, true))
    assert.truthy(err_of { inset = { bbox = { 118, 31, 119, 32 }, zoom = 2 } }:find("unknown key 'zoom' in inset", 1, true))
    assert.truthy(err_of { graticule = { step = 1 } }:find("graticule: the map has no CRS", 1, true))
    assert.truthy(err_of { graticule = { step = 0.001 }, geographic = true }:find("gives more than 40 lines", 1, true))
    assert.truthy(err_of { labels = { "a", callout = true } }:find("unknown key 'callout' in labels", 1, true))
    assert.truthy(err_of { north_arrow = "middle" }:find("unknown value 'middle'", 1, true))
    assert.truthy(err_of { legend = { position = "outside", opacity = 2 } }:find("'opacity' must be 0..1", 1, true))
    assert.truthy(err_of { locator = { where = "topleft" } }:find("locator: give layer", 1, true))
  end)

  it("draws line charts with a secondary axis and bar charts", function()
    local yrs, C, Q = {}, {}, {}
    for y = 2000, 2021 do yrs[#yrs + 1] = y; C[#C + 1] = 199 + (y - 2000) * 30; Q[#Q + 1] = 1 + (y - 2000) / 6 end
    local fig = cbal.figure { width_mm = 160, height_mm = 60 }
    local l = fig:panel { col = 1 }
    l:line { x = yrs, series = { { y = C, name = "C" }, { y = Q, name = "Q", axis = 2, dashed = true } },
             xlabel = "Year", ylabel = "Mt", y2label = "Q" }
    local info = l:info()
    -- a misspelt axis is an error, not the left axis
    assert.has_error(function() cbal.figure { width_mm = 80, height_mm = 60 }:panel {}:line { x = yrs, series = { { y = Q, axis = "rigth" } } } end,
      "line series: option 'axis': unknown value 'rigth' (expected one of: left, right)")
    assert.same({ 2000, 2005, 2010, 2015, 2020 }, info.x_ticks)
    assert.equal(0, info.y_ticks[1] % 100)
    assert.truthy(info.y_ticks[1] <= 199 and info.y_ticks[#info.y_ticks] >= 829)
    assert.truthy(info.y2_ticks[1] <= 1 and info.y2_ticks[#info.y2_ticks] >= 4.5)
    local b = fig:panel { col = 2 }
    b:bars { categories = { "南京", "无锡", "徐州" },
             series = { { name = "ΔCI", values = { -1, -2, 1 } }, { name = "ΔR", values = { 2, 3, 1 } } },
             stacked = true, value_label = "ΔQ" }
    local bi = b:info()
    assert.equal(6, bi.bars)
    assert.truthy(bi.ticks[1] <= -2 and bi.ticks[#bi.ticks] >= 3) -- stacks: -2 and 2 + 1
    -- 95 counties under 160 mm: labels turned and thinned so none overlap
    local cats, v = {}, {}
    for i = 1, 95 do cats[i] = "县" .. i; v[i] = math.sin(i / 5) end
    local many = cbal.figure { width_mm = 160, height_mm = 60 }
    local mp = many:panel {}
    mp:bars { categories = cats, values = v, diverging = true }
    local mi = many:panel { col = 2 }
    assert.truthy(mi)
    local m = mp:info()
    assert.is_true(m.rotate_labels)
    assert.truthy(m.label_every >= 2)
    assert.truthy(m.band * m.label_every >= 7 * 25.4 / 72) -- a 7 pt line fits
    local h = fig:panel { col = 3 }
    h:bars { categories = { "a", "b" }, values = { 1, -1 }, diverging = true, horizontal = true }
    assert.equal(2, h:info().bars)
    fig:save(dir .. "/charts.pdf")
    assert.equal(0, (T.sh("pdftoppm -r 30 -png " .. dir .. "/charts.pdf " .. dir .. "/x")))
  end)

  it("labels lines at their ends and marks the net total of stacked bars", function()
    local yrs, series = {}, {}
    for y = 2000, 2010 do yrs[#yrs + 1] = y end
    for k, name in ipairs { "南京", "无锡", "苏州" } do
      local y = {}
      for i = 1, #yrs do y[i] = 2 + i * 0.1 + k * 0.01 end
      series[k] = { name = name, y = y }
    end
    local fig = cbal.figure { width_mm = 160, height_mm = 60 }
    local l = fig:panel { col = 1 }
    l:line { x = yrs, series = series, direct_labels = true }
    local info = l:info()
    assert.equal(0, info.key_entries)
    assert.equal(3, #info.ends)
    for a = 1, 3 do
      for b = 1, a - 1 do
        local p, q = info.ends[a], info.ends[b]
        assert.is_false(p.y < q.y + q.h - 1e-9 and q.y < p.y + p.h - 1e-9)
      end
    end
    local b = fig:panel { col = 2 }
    b:bars { categories = { "2000–2010", "2011–2021" }, stacked = true, net = "ΔQ",
             series = { { name = "ΔCI", values = { -1, -2 } }, { name = "ΔR", values = { 2.5, 3 } } } }
    assert.same({ 1.5, 1 }, b:info().net)
    local c = fig:panel { col = 3 }
    c:bars { categories = { "a" }, stacked = true, net = false,
             series = { { name = "x", values = { -1 } }, { name = "y", values = { 2 } } } }
    assert.is_nil(c:info().net)
    fig:save(dir .. "/ends.png")
    local ok, err = pcall(function()
      fig:panel { col = 4 }:bars { categories = { "a" }, values = { 1 }, net = 1 }
    end)
    assert.is_false(ok)
    assert.truthy(err:find("'net' must be true, false or a label", 1, true))
  end)

  it("takes many series (the stack grows as needed)", function()
    local x, series, bseries = { 1, 2, 3 }, {}, {}
    for k = 1, 32 do series[k] = { y = { k, k + 1, k + 3 }, name = "s" .. k } end
    for k = 1, 16 do bseries[k] = { name = "b" .. k, values = { k, -k } } end
    local fig = cbal.figure { width_mm = 160, height_mm = 80 }
    local l = fig:panel { col = 1 }
    l:line { x = x, series = series, palette = "Paired" }
    assert.equal(32, l:info().key_entries)
    local b = fig:panel { col = 2 }
    b:bars { categories = { "a", "b" }, series = bseries, stacked = true }
    assert.equal(32, b:info().bars)
    fig:save(dir .. "/many.png")
    local ok, err = pcall(function()
      fig:panel { col = 3 }:line { x = x, series = (function()
        local t = {}
        for k = 1, 33 do t[k] = { y = { 1, 2, 3 } } end
        return t
      end)() }
    end)
    assert.is_false(ok)
    assert.truthy(err:find("1 to 32 series", 1, true))
  end)

  describe("bad input", function()
    local polys = grid(3, 3, 0, 0, 1, 1)
    local nine = values(9, function(i) return i end)

    local function map_err(opts)
      local fig = cbal.figure {}
      opts.polygons = opts.polygons or polys
      local ok, err = pcall(function() fig:panel {}:map(opts) end)
      assert.is_false(ok)
      return err
    end

    it("names both lengths when values do not match the features", function()
      local err = map_err { values = { 1, 2, 3 } }
      assert.truthy(err:find("values has 3 entries but the layer has 9 features", 1, true))
    end)

    it("refuses all-missing values, unknown palettes, bad breaks and options", function()
      assert.truthy(map_err { values = values(9, function() return 0 / 0 end) }:find("all 9 values are missing"))
      assert.truthy(map_err { values = nine, palette = "Rainbow" }:find("unknown palette 'Rainbow'"))
      assert.truthy(map_err { values = nine, breaks = { 3, 2, 1 } }:find("increase strictly"))
      assert.truthy(map_err { values = nine, brakes = { 1, 2 } }:find("unknown key \'brakes\'"))
      assert.truthy(map_err { values = nine, categories = { "a" } }:find("category 2"))
      assert.truthy(map_err { values = nine, legend = { position = "middle" } }:find("unknown value 'middle'"))
      -- number labels are drawn, and the caller's list is left as it was
      local labels = values(9, function(i) return i end)
      local fig = cbal.figure {}
      fig:panel {}:map { polygons = polys, values = nine, labels = labels }
      fig:save(dir .. "/l.png")
      assert.equal("integer", math.type(labels[1]))
      assert.truthy(map_err { polygons = { { { 0, 0, 1, 1 } } } }:find("at least 3 points"))
      assert.truthy(map_err { polygons = { polys[1], { { 0, 0, 1, 0, "1", 1 } } } }:find(
        "polygons: feature 2, ring 1: coordinate 5 is not a finite number (got string '1')", 1, true))
      -- paired coordinates too: {"118.5", 32} was read as (0, 32)
      assert.truthy(map_err { polygons = { polys[1], { { { "118.5", 32 }, { 119, 32 }, { 119, 33 } } } } }:find(
        "polygons: feature 2, ring 1: coordinate 1 is not a finite number (got string '118.5')", 1, true))
      assert.truthy(select(2, pcall(cbal.figure, { width_mm = 5 })):find("outside 10..2000 mm"))
      assert.truthy(select(2, pcall(cbal.figure, { dpi = "high" })):find("'dpi' must be a number"))
    end)

    it("names an empty layer instead of asking for values", function()
      local path = dir .. "/empty.geojson"
      T.write(path, '{"type":"FeatureCollection","features":[]}')
      local layer <close> = cbal.open_layer(path)
      for _, opts in ipairs { { values = {} }, {} } do
        opts.layer = layer
        local err = map_err(opts)
        assert.truthy(err:find("layer 'empty' of '" .. path .. "' is empty (0 features", 1, true))
        assert.falsy(err:find("breaks need values", 1, true))
      end
    end)

    it("draws the one polygon form: one part or parts, lists or cbal.Polygons", function()
      local function draw(p, name)
        local fig = cbal.figure { width_mm = 40, height_mm = 40, dpi = 100 }
        fig:panel {}:map { polygons = p, values = nine, legend = false }
        fig:save(dir .. "/" .. name .. ".png")
        return T.read(dir .. "/" .. name .. ".png")
      end
      local parts = {}
      for i, g in ipairs(polys) do parts[i] = { g } end
      local holed = cbal.geom_op(polys[1], { { 0.4, 0.4, 0.6, 0.4, 0.6, 0.6, 0.4, 0.6 } }, "difference")
      assert.equal(2, #holed[1]) -- one part, its outer ring and a hole
      local with_hole = {}
      for i, g in ipairs(parts) do with_hole[i] = i == 1 and holed or g end
      local a = draw(polys, "rings")
      assert.equal(a, draw(parts, "parts"))
      local path = dir .. "/grid.geojson"
      cbal.write_layer(path, { crs = "EPSG:3857", fields = {}, features = (function()
        local f = {}
        for i, g in ipairs(parts) do f[i] = { geometry = g } end
        return f
      end)() })
      local layer <close> = cbal.open_layer(path)
      local from_layer = layer:polygons()
      assert.equal(a, draw(from_layer, "userdata"))
      local back = from_layer:totable() -- parts of rings again (closed by the file)
      assert.equal(9, #back)
      assert.same({ 1, 1, 10 }, { #back[4], #back[4][1], #back[4][1][1] })
      assert.equal(a, draw(back, "back"))
      assert.are_not.equal(a, draw(with_hole, "hole"))
    end)

    it("tells a figure panel from a data panel by type name", function()
      local fig = cbal.figure {}
      local p = fig:panel {}
      local data = cbal.panel.new { ids = { 1, 2 } }
      local ok, err = pcall(p.map, data, { polygons = polys })
      assert.is_false(ok)
      assert.truthy(err:find("cbal.FigurePanel expected, got cbal.Panel", 1, true))
    end)

    it("checks line and bar data", function()
      local fig = cbal.figure {}
      local ok, err = pcall(function() fig:panel { col = 1 }:line { x = { 1, 2 }, series = { { y = { 1 } } } } end)
      assert.truthy(err:find("series 1 has 2 x values but 1 y values", 1, true))
      ok, err = pcall(function() fig:panel { col = 2 }:bars { categories = { "a", "b" }, values = { 1 } } end)
      assert.truthy(err:find("values has 1 entries but categories has 2", 1, true))
      ok, err = pcall(function() fig:panel { col = 3 }:bars { categories = { "a" }, values = { 0 / 0 } } end)
      assert.truthy(err:find("all 1 values are missing", 1, true))
      ok, err = pcall(function() fig:panel { col = 4 }:line { x = { 1, 2 }, series = { { y = { 0 / 0, 0 / 0 } } } } end)
      assert.truthy(err:find("missing", 1, true))
      assert.is_false(ok)
    end)

    it("warns on a single-valued series and on an unknown font", function()
      local fig = cbal.figure { font = "No Such Font" }
      fig:panel {}:line { x = { 1, 2, 3 }, series = { { y = { 5, 5, 5 }, name = "flat" } } }
      local info = fig:panel { col = 2 }
      local w = table.concat(cbal.warnings(true), "\n")
      assert.truthy(w:find("font 'No Such Font' is not installed", 1, true))
      assert.truthy(w:find("series 'flat' has a single value", 1, true))
      fig:save(dir .. "/flat.png")
      assert.truthy(info)
    end)

    it("fails clearly on unwritable paths and unknown extensions, writing nothing", function()
      local fig = cbal.figure {}
      fig:panel {}:map { polygons = polys, values = nine }
      local ok, err = pcall(fig.save, fig, dir .. "/missing/f.png")
      assert.is_false(ok)
      assert.truthy(err:find("folder '" .. dir .. "/missing' does not exist", 1, true))
      ok, err = pcall(fig.save, fig, dir .. "/f.jpg")
      assert.truthy(err:find("unknown extension 'jpg'", 1, true))
      assert.same({}, ls(dir))
      -- an existing file is replaced whole, never left half-written
      T.write(dir .. "/f.png", "old")
      fig:save(dir .. "/f.png")
      assert.equal("\137PNG", T.read(dir .. "/f.png"):sub(1, 4))
      assert.same({ "f.png" }, ls(dir))
    end)

    it("refuses overlapping panels, a second plot and a closed figure", function()
      local fig = cbal.figure {}
      local p = fig:panel { row = 1, col = 1, colspan = 2 }
      local ok, err = pcall(fig.panel, fig, { row = 1, col = 2 })
      assert.truthy(err:find("overlaps panel 1", 1, true))
      p:map { polygons = polys }
      ok, err = pcall(p.map, p, { polygons = polys })
      assert.truthy(err:find("already has a plot", 1, true))
      fig:close()
      fig:close()
      ok, err = pcall(fig.save, fig, dir .. "/x.png")
      assert.truthy(err:find("closed figure", 1, true))
      ok, err = pcall(p.info, p)
      assert.truthy(err:find("closed figure", 1, true))
      assert.is_false(ok)
    end)
  end)
end)

describe("cbal.figures", function()
  local dir
  before_each(function() dir = T.tmpdir() end)
  after_each(function() T.rmtree(dir) end)

  local polys, names = grid(6, 5, 118, 31, 0.4, 0.4, 5)
  local years = { 2000, 2010, 2021 }

  it("draws maps by year with shared breaks and one legend", function()
    local vals = {}
    for k, y in ipairs(years) do vals[y] = cbal.array(values(#polys, function(i) return i * k end)) end
    local fig = cbal.figures.maps_by_year { polygons = polys, years = years, values = vals,
      breaks = { 0, 20, 40, 60, 90 }, legend = { title = "C", units = "Mt" }, geographic = true,
      title = "Fig. 1", out = dir .. "/maps.png" }
    assert.truthy(T.exists(dir .. "/maps.png"))
    assert.truthy(tostring(fig):find("4 panels", 1, true)) -- 3 maps + legend
  end)

  it("pools values for breaks when none are given", function()
    local vals = {}
    for k, y in ipairs(years) do vals[y] = values(#polys, function(i) return i + 10 * k end) end
    cbal.figures.maps_by_year { polygons = polys, years = years, values = vals, k = 4,
                                out = dir .. "/m.pdf" }
    assert.equal(0, (T.sh("pdftoppm -r 30 -png " .. dir .. "/m.pdf " .. dir .. "/r")))
  end)

  it("draws the provincial chart, city lines, LMDI bars and the zoning map", function()
    local yrs, C, N, Q = {}, {}, {}, {}
    for y = 2000, 2021 do
      yrs[#yrs + 1] = y; C[#C + 1] = 199 + (y - 2000) * 30; N[#N + 1] = 142 + (y - 2000)
      Q[#Q + 1] = C[#C] / N[#N]
    end
    cbal.figures.province { years = yrs, C = C, N = N, Q = Q, out = dir .. "/p.svg" }
    assert.equal(0, (T.sh("xmllint --noout " .. dir .. "/p.svg")))
    cbal.figures.city_lines { years = yrs, series = { { name = "南京", y = Q }, { name = "苏州", y = C } },
                              out = dir .. "/c.png" }
    local _, panels = cbal.figures.city_lines { years = yrs, out = dir .. "/g.png", groups = {
      { title = "south", series = { { name = "Suzhou", y = C } } },
      { title = "north", series = { { name = "Xuzhou", y = Q }, { name = "Suqian", y = Q } } } } }
    assert.equal(2, #panels)
    local t1, t2 = panels[1]:info().y_ticks, panels[2]:info().y_ticks
    assert.same(t1, t2) -- one y scale for every group
    assert.truthy(t1[#t1] >= math.max(table.unpack(C)))
    cbal.figures.lmdi_bars { categories = { "苏南", "苏中", "苏北" },
      effects = { { name = "ΔCI", values = { -1, -2, -1.5 } }, { name = "ΔR", values = { 2, 3, 2.5 } } },
      out = dir .. "/l.png" }
    cbal.figures.zoning_map { polygons = polys, zones = values(#polys, function(i) return i % 4 + 1 end),
      names = { "高碳控制区", "高碳优化区", "低碳发展区", "低碳经济区" }, labels = names,
      geographic = true, out = dir .. "/z.png" }
    local eff = function(s) return values(#polys, function(i) return s * (i - 10) end) end
    cbal.figures.lmdi_maps { polygons = polys, geographic = true,
      rows = { { title = "2000–2010", effects = { { name = "ΔCI", values = eff(-1) }, { name = "ΔR", values = eff(2) } } } },
      out = dir .. "/m.png" }
    for _, f in ipairs { "c.png", "l.png", "z.png", "m.png" } do assert.truthy(png_size(dir .. "/" .. f) > 100) end
    local ok, err = pcall(cbal.figures.province, { years = yrs, C = C, N = N, Q = Q, colour = "red" })
    assert.is_false(ok)
    assert.truthy(err:find("unknown key \'colour\'", 1, true))
  end)
end)

describe("figures.symmetric_breaks", function()
  it("mirrors the 25 % and 75 % quantiles and the largest of |v|; an outlier widens only the outer class", function()
    local sb = cbal.figures.symmetric_breaks
    local a = { 1, -2, 3, 4, 0 / 0, -5, 6, 7, 8 }
    assert.same({ -100, -7, -3, 3, 7, 100 }, sb({ cbal.array(a), { -100 } }, false))
    assert.same({ -1e6, -7, -3, 3, 7, 1e6 }, sb({ cbal.array(a), { 1e6 } }, false))
    local e = sb({ { 0.013, -0.41, 2.7, 0.09, -18.3, 0.6, 1.1, -0.05 } })
    for k = 1, 3 do assert.equal(-e[k], e[7 - k]) end
    assert.truthy(e[6] >= 18.3 and e[4] < e[5] and e[4] > 0)
    assert.error_matches(function() sb({ { 0 / 0 } }, true, "Fig. 6") end,
      "Fig. 6: all effect values are missing")
  end)

  it("is the one symmetric breaks of the Lua library (lmdi_maps and the study's Fig. 6)", function()
    local _, defs = T.sh("grep -rn 'function [^(]*symmetric' lua/cbal")
    assert.equal(1, select(2, defs:gsub("\n", "")), defs)
    assert.truthy(T.read("lua/cbal/report/fig6_lmdi.lua"):find("figures.symmetric_breaks(", 1, true))
  end)
end)
