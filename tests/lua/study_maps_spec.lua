-- The study's maps: city outlines dissolved from the counties, the
-- optional locator layer (reprojected when in another CRS) and theme of the
-- description, and their errors, on the reduced synthetic province.
local cbal = require "cbal"
local tu = require "testutil"

local desc = require("study_fixture").desc

describe("cbal.study maps", function()
  local dir, data
  require("study_fixture").province(function(d, g) dir, data = d, g end)

  it("draws city outlines, a locator and the description's theme", function()
    -- the made-up country, in Web Mercator: the study reprojects it
    local c4326 = { 110, 25, 125, 25, 125, 40, 110, 40 }
    local xs, ys = {}, {}
    for i = 1, #c4326, 2 do xs[#xs + 1], ys[#ys + 1] = c4326[i], c4326[i + 1] end
    xs, ys = cbal.transform(xs, ys, "EPSG:4326", "EPSG:3857")
    local merc = {}
    for i = 1, #xs do merc[#merc + 1] = xs[i]; merc[#merc + 1] = ys[i] end
    local path = dir .. "/country3857.gpkg"
    cbal.write_layer(path, { crs = "EPSG:3857", layer = "country",
      fields = { { name = "name", type = "string" } },
      features = { { name = "c", geometry = { { merc } } } } })
    tu.write(dir .. "/lab.lua", 'return { base = "frontiers", font_size = 7 }')
    local S = cbal.study(desc(data, dir .. "/out", { locator = { path = path },
                                                   theme = dir .. "/lab.lua" }))
    assert.equal(3, #S.cities) -- the three cities of the reduced province
    assert.same({ "Zhenjiang", "Yangzhou", "Suqian" }, (function()
      local t = S.cities:field("city_en")
      table.sort(t, function(a, b) return a > b end)
      return t
    end)())
    assert.equal("Frontiers", S.theme.name)
    local m = tu.read(dir .. "/out/manifest.json")
    assert.truthy(m:find(path, 1, true))
    assert.truthy(m:find("lab.lua", 1, true))
    for _, f in ipairs { "fig1_emissions", "fig2_sequestration", "fig5_Q", "fig7_zoning",
                         "fig6b_lmdi_regional" } do
      assert.truthy(tu.exists(dir .. "/out/figures/" .. f .. ".png"), f)
    end
  end)

  it("sizes and styles every figure by the description's theme", function()
    local S = cbal.study(desc(data, dir .. "/slide", { theme = "slide" }))
    local function width(f)
      return (string.unpack(">I4", tu.read(dir .. "/slide/figures/" .. f .. ".png"), 17))
    end
    -- designed for 183 mm pages, drawn at the slide's 338.7 mm (150 dpi)
    local k = 338.7 / 183 / 25.4 * 150
    assert.equal(math.floor(160 * k + 0.5), width("fig3_province"))
    assert.equal(math.floor(183 * k + 0.5), width("fig4_city_Q"))
    assert.equal(math.floor(183 * k + 0.5), width("fig6_lmdi"))
    assert.equal(math.floor(338.7 / 25.4 * 150 + 0.5), width("fig1_emissions"))
    -- and the session's theme is back as it was
    assert.is_nil(cbal.themes.current())
    assert.equal("slide", S.theme.name)
  end)

  it("names a bad theme or locator before any work", function()
    local function err(extra)
      local ok, e = pcall(cbal.study, desc(data, dir .. "/bad", extra))
      assert.is_false(ok)
      return tostring(e)
    end
    local e = err { theme = { fontsize = 7 } }
    assert.truthy(e:find("study: field 'theme': table: unknown key 'fontsize' in the theme (expected one of: base,", 1, true), e)
    e = err { theme = "science" }
    assert.truthy(e:find("no built-in theme 'science'", 1, true), e)
    e = err { locator = { path = dir .. "/nowhere.gpkg" } }
    assert.truthy(e:find("study: locator.path: ", 1, true) and e:find("nowhere.gpkg", 1, true), e)
    e = err { locator = { file = "x" } }
    assert.truthy(e:find("unknown key 'file' in field 'locator'", 1, true), e)
    assert.is_false(tu.exists(dir .. "/bad"))
  end)
end)
