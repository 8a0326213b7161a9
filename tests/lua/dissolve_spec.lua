-- layer:dissolve(field): one feature per value with the union of its
-- features' polygons (cities from counties), on a GeoJSON made here.
local cbal = require "cbal"
local T = require "testutil"

local function square(x, y, d)
  return ("[[[%g,%g],[%g,%g],[%g,%g],[%g,%g],[%g,%g]]]"):format(x, y, x + d, y, x + d, y + d,
    x, y + d, x, y)
end

local function feature(props, x, y)
  return ('{"type":"Feature","properties":%s,"geometry":{"type":"Polygon","coordinates":%s}}')
    :format(props, square(x, y, 1))
end

describe("layer:dissolve", function()
  local dir, path
  before_each(function()
    dir = T.tmpdir()
    path = dir .. "/c.geojson"
    cbal.warnings(true)
    -- four unit squares: two cities of two adjacent counties, one county
    -- without a city
    T.write(path, '{"type":"FeatureCollection","features":[' .. table.concat({
      feature('{"name":"a","city":"南京","code":3201}', 0, 0),
      feature('{"name":"b","city":"苏州","code":3205}', 5, 0),
      feature('{"name":"c","city":"南京","code":3201}', 1, 0),
      feature('{"name":"d","city":"苏州","code":3205}', 5, 1),
      feature('{"name":"e","city":null,"code":null}', 9, 9) }, ",") .. "]}")
  end)
  after_each(function() T.rmtree(dir) end)

  it("unions the polygons of each value, in the order values first appear", function()
    local layer <close> = cbal.open_layer(path)
    local cities <close> = layer:dissolve("city")
    assert.equal(2, #cities)
    assert.same({ "city" }, cities:fields())
    assert.same({ "南京", "苏州" }, cities:field("city"))
    local ps = cities:polygons()
    assert.near(2, ps:area(1), 1e-12) -- two unit squares, one polygon
    assert.near(2, ps:area(2), 1e-12)
    assert.same({ 0, 0, 6, 2 }, { ps:bbox() })
    assert.truthy(cities:crs():find("WGS", 1, true))
    assert.truthy(tostring(cities):find("dissolved by city", 1, true))
    local w = table.concat(cbal.warnings(true), "\n")
    assert.truthy(w:find("1 feature without a 'city' value is left out of the dissolve", 1, true))
    -- numbers stay numbers
    local by_code <close> = layer:dissolve("code")
    assert.same({ 3201, 3205 }, by_code:field("code"):totable())
  end)

  it("closes sliver holes where neighbours do not quite meet, but keeps enclaves", function()
    local function poly(props, ring)
      local c = {}
      for i = 1, #ring, 2 do c[#c + 1] = ("[%.9g,%.9g]"):format(ring[i], ring[i + 1]) end
      c[#c + 1] = c[1]
      return ('{"type":"Feature","properties":%s,"geometry":{"type":"Polygon","coordinates":[[%s]]}}')
        :format(props, table.concat(c, ","))
    end
    local p2 = dir .. "/gaps.geojson"
    -- a: two columns 1e-6 apart, closed above and below: a thin hole;
    -- b: a ring of counties around a county of another city: an enclave
    T.write(p2, '{"type":"FeatureCollection","features":[' .. table.concat({
      poly('{"c":"a"}', { 0, 0, 1, 0, 1, 2, 0, 2 }),
      poly('{"c":"a"}', { 1.000001, 0, 2, 0, 2, 2, 1.000001, 2 }),
      poly('{"c":"a"}', { 0, 2, 2, 2, 2, 3, 0, 3 }),
      poly('{"c":"a"}', { 0, -1, 2, -1, 2, 0, 0, 0 }),
      poly('{"c":"b"}', { 10, 0, 13, 0, 13, 1, 10, 1 }),
      poly('{"c":"b"}', { 10, 2, 13, 2, 13, 3, 10, 3 }),
      poly('{"c":"b"}', { 10, 1, 11, 1, 11, 2, 10, 2 }),
      poly('{"c":"b"}', { 12, 1, 13, 1, 13, 2, 12, 2 }),
      poly('{"c":"x"}', { 11, 1, 12, 1, 12, 2, 11, 2 }) }, ",") .. "]}")
    local layer <close> = cbal.open_layer(p2)
    local d <close> = layer:dissolve("c")
    local ps = d:polygons()
    assert.near(8, ps:area(1), 1e-9) -- the 2e-6 sliver closed
    assert.near(8, ps:area(2), 1e-9) -- 9 - the enclave of 1
    assert.near(1, ps:area(3), 1e-9)
  end)

  it("draws as a map overlay", function()
    local layer <close> = cbal.open_layer(path)
    local cities <close> = layer:dissolve("city")
    local fig = cbal.figure { width_mm = 80, height_mm = 60 }
    local p = fig:panel {}
    p:map { layer = layer, overlay = { layer = cities, width = 0.4 } }
    assert.truthy(p:info().frame.w > 0)
    fig:save(dir .. "/o.png")
    assert.truthy(T.exists(dir .. "/o.png"))
  end)

  it("names a field that does not exist, listing the fields", function()
    local layer <close> = cbal.open_layer(path)
    assert.error_matches(function() layer:dissolve("ctname") end,
      "dissolve: '.-c.geojson' has no field 'ctname' %(fields: name, city, code%)")
    assert.error_matches(function() layer:dissolve() end, "string expected")
  end)
end)
