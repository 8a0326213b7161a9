-- Figure themes (cbal.figure{theme =}, cbal.themes) and palette checks
-- (cbal.palette_info): built-in journal themes, theme files run in the
-- sandbox, unknown keys listed, the session theme and CBAL_THEME.
local cbal = require "cbal"
local T = require "testutil"

local polys = {}
for i = 0, 3 do
  for j = 0, 2 do
    local x, y = i * 10000, j * 10000
    polys[#polys + 1] = { { x, y, x + 10000, y, x + 10000, y + 10000, x, y + 10000 } }
  end
end

local function png_size(path)
  local s = T.read(path)
  return string.unpack(">I4I4", s, 17)
end

describe("themes", function()
  local dir
  before_each(function() dir = T.tmpdir(); cbal.warnings(true) end)
  after_each(function() T.rmtree(dir); cbal.themes.use(nil) end)

  it("has journal themes that set sizes, spacing and palettes", function()
    for _, name in ipairs(cbal.themes.builtin_names) do
      local t = cbal.themes.load(name)
      assert.truthy(t.font_size and t.palettes and t.letters, name)
      local fig = cbal.figure { theme = name, width_mm = 100, height_mm = 60 }
      local p = fig:panel { title = "(a)" }
      p:map { polygons = polys, values = { 1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4 },
              categories = { "a", "b", "c", "d" } }
      -- the panel box starts after the theme's margin
      assert.near(t.margin, p:info().box.x, 1e-9)
      fig:save(dir .. "/" .. name .. ".png")
    end
    assert.same({}, cbal.warnings(true)) -- font preference lists fall back quietly
    -- the slide theme's page, at its dpi, when the figure gives no size
    local fig = cbal.figure { theme = "slide" }
    fig:panel {}:map { polygons = polys }
    fig:save(dir .. "/s.png")
    local w, h = png_size(dir .. "/s.png")
    assert.equal(math.floor(338.7 / 25.4 * 150 + 0.5), w)
    assert.equal(math.floor(190.5 / 25.4 * 150 + 0.5), h)
    -- an explicit option wins over the theme
    local a = cbal.figure { theme = "slide", width_mm = 80, height_mm = 50 }
    a:save(dir .. "/a.png")
    assert.equal(math.floor(80 / 25.4 * 150 + 0.5), (png_size(dir .. "/a.png")))
    assert.equal("a", cbal.themes.letter("nature", 1))
    assert.equal("(B)", cbal.themes.letter("frontiers", 2))
    assert.equal("(c)", cbal.themes.letter(nil, 3))
  end)

  it("gives maps and charts the theme's default palettes", function()
    local t = { palettes = { qualitative = "Dark2", sequential = "Blues" } }
    local fig = cbal.figure { theme = t, width_mm = 160, height_mm = 60 }
    local m = fig:panel { col = 1 }
    m:map { polygons = polys, values = { 1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4 },
            categories = { "a", "b", "c", "d" } }
    assert.same({ "#1b9e77", "#d95f02", "#7570b3", "#e7298a" }, m:info().colors)
    local s = fig:panel { col = 2 }
    s:map { polygons = polys, values = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 }, breaks = { 0, 6, 13 } }
    assert.same({ "#f7fbff", "#08306b" }, s:info().colors)
    -- without a theme: colour-blind-safe defaults
    local d = cbal.figure {}
    local q = d:panel {}
    q:map { polygons = polys, values = { 1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4 },
            categories = { "a", "b", "c", "d" } }
    assert.same({ "#e69f00", "#56b4e9", "#009e73", "#f0e442" }, q:info().colors)
  end)

  it("loads a theme file in the sandbox, starting from a built-in one", function()
    local path = dir .. "/lab.lua"
    T.write(path, 'return { base = "nature", name = "lab", font_size = 7, letters = "(A)" }')
    local t = cbal.themes.load(path)
    assert.equal(7, t.font_size)
    assert.equal(183, t.width_mm) -- from Nature
    assert.equal("(A)", t.letters)
    local fig = cbal.figure { theme = path }
    assert.truthy(tostring(fig):find("cbal.Figure", 1, true))
    T.write(dir .. "/evil.lua", 'os.remove("x") return {}')
    assert.error_matches(function() cbal.themes.load(dir .. "/evil.lua") end,
      "'os' is not available in a sandboxed file")
    T.write(dir .. "/fn.lua", "return function() end")
    assert.error_matches(function() cbal.themes.load(dir .. "/fn.lua") end,
      "must return a table, got function")
    T.write(dir .. "/loop.lua", ('return { base = %q }'):format(dir .. "/loop.lua"))
    assert.error_matches(function() cbal.themes.load(dir .. "/loop.lua") end, "a loop")
  end)

  it("lists the valid keys for an unknown one, and checks values", function()
    local ok, err = pcall(cbal.figure, { theme = { fontsize = 8 } })
    assert.is_false(ok)
    assert.truthy(err:find("unknown key 'fontsize' in the theme (expected one of: base, dpi, edge_width, font, " ..
      "font_size, gap, height_mm, ink, label_size, letters, line_width, margin, name, " ..
      "palettes, title_size, width_mm)", 1, true), err)
    assert.error_matches(function() cbal.figure { theme = "science" } end,
      "no built%-in theme 'science' %(built%-in: default, frontiers, elsevier, nature, slide")
    ok, err = pcall(cbal.figure, { theme = { palettes = { sequental = "viridis" } } })
    assert.truthy(err:find("unknown key 'sequental' in palettes (expected one of: diverging, qualitative, "
      .. "sequential)", 1, true), err)
    ok, err = pcall(cbal.figure, { theme = { letters = "1" } })
    assert.truthy(err:find("option 'letters': unknown value '1' (expected one of: (a), (A), a, A)", 1, true), err)
    assert.error_matches(function() cbal.figure { theme = { font_size = -1 } } end,
      "'font_size' %(ticks, legends, axis labels%) must be a number in %(0, 40%]")
    assert.error_matches(function() cbal.figure { theme = { ink = "black" } } end,
      "'ink' must be a colour")
    assert.error_matches(function() cbal.figure { theme = { palettes = { seq = "Blues" } } } end,
      "unknown key 'seq' in palettes")
    assert.error_matches(function() cbal.figure { theme = { palettes = { sequential = "Nope" } } } end,
      "unknown palette 'Nope'")
  end)

  it("sets the theme of every figure: cbal.themes.use and CBAL_THEME", function()
    cbal.themes.use("slide")
    local fig = cbal.figure {}
    fig:save(dir .. "/u.png")
    assert.equal(math.floor(338.7 / 25.4 * 150 + 0.5), (png_size(dir .. "/u.png")))
    cbal.themes.use(nil)
    local script = dir .. "/env.lua"
    T.write(script, ('local cbal = require "cbal"; cbal.figure {}:save(%q)'):format(dir .. "/e.png"))
    local rc, _, err = T.sh("CBAL_THEME=elsevier " .. T.quote(T.cbal) .. " " .. T.quote(script))
    assert.equal(0, rc, err)
    assert.equal(math.floor(190 / 25.4 * 300 + 0.5), (png_size(dir .. "/e.png")))
  end)
end)

describe("large text (the slide theme) in small figures", function()
  local dir
  before_each(function() dir = T.tmpdir() end)
  after_each(function() T.rmtree(dir) end)

  -- Whether any pixel of column x (0-based) of a PNG is darker than white.
  local function ink_in_column(path, x)
    local r = cbal.open_raster(path, { geotransform = { 0, 1, 0, 0, 0, -1 } })
    local hit = false
    for row = 1, r.height do
      local v = r:read(row)
      if v[x + 1] < 250 then hit = true end
    end
    r:close()
    return hit
  end

  it("shrinks titles and legends that would run off, thins crowded ticks, grows the arrow", function()
    local years, y = {}, {}
    for k = 2000, 2021 do years[#years + 1], y[#y + 1] = k, k - 1990 end
    local fig = cbal.figure { width_mm = 90, height_mm = 60, dpi = 100, theme = "slide",
      title = "A figure title far longer than the ninety millimetres of its page" }
    local a, b = fig:panel { col = 1, title = "a panel title longer than its panel" },
      fig:panel { col = 2 }
    a:line { x = years, series = { { y = y, name = "C" } } }
    b:legend { categories = { "expansive negative decoupling", "weak decoupling" },
      colors = { "#fc8d59", "#91cf60" } }
    fig:save(dir .. "/f.png")
    local w = string.unpack(">I4", T.read(dir .. "/f.png"), 17)
    assert.is_false(ink_in_column(dir .. "/f.png", 0))       -- the title stays on the page
    assert.is_false(ink_in_column(dir .. "/f.png", w - 1))   -- and so does the legend
    -- the x ticks keep a label's width between them
    local info = a:info()
    assert.truthy(#info.x_ticks >= 2 and #info.x_ticks < 5, #info.x_ticks)
    -- the north arrow is taller with 18 pt text than with 7 pt
    local function north_h(theme)
      local f = cbal.figure { width_mm = 90, height_mm = 80, theme = theme }
      local p = f:panel {}
      p:map { polygons = polys, north_arrow = true, geographic = false }
      return p:info().boxes.north_arrow.h
    end
    assert.truthy(north_h("slide") > 2 * north_h("default"))
  end)
end)

describe("cbal.palette_info", function()
  it("tells how many classes a palette keeps apart for colour-blind readers", function()
    local ok = cbal.palette_info("OkabeIto")
    assert.equal(7, ok.cvd)
    assert.equal("qualitative", ok.type)
    assert.truthy(ok.min_de.deutan >= 5)
    local bad = cbal.palette_info("RdYlGn", 4)
    assert.equal(3, bad.cvd)
    assert.truthy(bad.min_de.deutan < 5 and bad.min_de.normal > 20)
    -- explicit colours: red and green look alike to deuteranopes
    local rg = cbal.palette_info { "#d7301f", "#1a9850" }
    assert.truthy(rg.min_de.normal > 40 and rg.min_de.deutan < 15)
    assert.error_matches(function() cbal.palette_info { "red", "nope" } end, "element 2 is not a colour")
  end)
end)
