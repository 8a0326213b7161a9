-- The synthetic province: determinism, caching, geometry (cities, codes,
-- multipart counties, a hole holding another county), rasters shaped like
-- the real series, and tables the readers accept.
local cbal = require "cbal"
local syn = require "cbal.synthetic"
local tu = require "testutil"

local function tree_hashes(dir)
  local _, out = tu.sh("find " .. tu.quote(dir) .. " -type f")
  local h = {}
  for f in out:gmatch("[^\n]+") do h["." .. f:sub(#dir + 1)] = cbal.sha256(f) end
  return h
end

describe("synthetic province (small)", function()
  local dir, files
  setup(function()
    dir = tu.tmpdir()
    files = syn.generate{ dir = dir .. "/a", small = true, quiet = true }
  end)
  teardown(function() tu.rmtree(dir) end)

  it("is byte-identical on a second run, and cached when unchanged", function()
    syn.generate{ dir = dir .. "/b", small = true, quiet = true }
    local a, b = tree_hashes(dir .. "/a"), tree_hashes(dir .. "/b")
    local n = 0
    for f, h in pairs(a) do
      n = n + 1
      assert.are.equal(h, b[f], f)
    end
    assert.is_true(n >= 15)
    local again = syn.generate{ dir = dir .. "/a", small = true, quiet = true }
    assert.is_true(again.cached)
    local other = syn.generate{ dir = dir .. "/a", small = true, quiet = true, seed = 7 }
    assert.is_nil(other.cached)
    assert.are_not.equal(a["./light/DMSP-like2004.tif"], cbal.sha256(dir .. "/a/light/DMSP-like2004.tif"))
    syn.generate{ dir = dir .. "/a", small = true, quiet = true }
  end)

  it("writes night lights like the DMSP series", function()
    local r0 = cbal.open_raster((files.light:gsub("{year}", "2000")))
    local r1 = cbal.open_raster((files.light:gsub("{year}", "2004")))
    local _, info = tu.sh("gdalinfo " .. tu.quote((files.light:gsub("{year}", "2000"))))
    assert.truthy(info:find("Type=Byte", 1, true))
    assert.is_nil(info:find("NoData", 1, true))
    assert.truthy(info:find("Albers", 1, true) or info:find("aea", 1, true))
    local a0, a1 = r0:read(1, r0.height), r1:read(1, r1.height)
    assert.are.equal(0, a0:min())
    assert.is_true(a1:max() <= 63)
    assert.are.equal(63, a1:max())       -- saturated cores
    assert.is_true(a1:mean() > a0:mean()) -- growth
  end)

  it("writes MOD17A3-like NPP with fill codes", function()
    local p = files.npp:gsub("{year}", "2002")
    local _, info = tu.sh("gdalinfo " .. tu.quote(p))
    assert.truthy(info:find("Type=Int16", 1, true))
    assert.truthy(info:find("Scale:0.0001", 1, true))
    assert.truthy(info:find("Sinusoidal", 1, true) or info:find("sinu", 1, true))
    local raw = cbal.open_raster(p, { nodata = false, scale = 1, offset = 0 })
    local v = raw:read(1, raw.height)
    for _, code in ipairs({ 32762, 32766, 32767 }) do
      assert.is_true(v:eq(code):sum() > 0, "fill code " .. code)
    end
    local valid = v:where(v:lt(32761))
    assert.is_true(valid:mean() > 2500 and valid:mean() < 8000)
  end)

  it("writes tables the readers accept", function()
    local cols = cbal.read_table(files.emissions)
    assert.are.equal(199, cols.emissions[1])
    local paths = {}
    for _, y in ipairs(files.ceads_years) do paths[#paths + 1] = (files.ceads:gsub("{year}", tostring(y))) end
    local t = cbal.ceads.province_totals(paths, "Jiangsu")
    assert.are.equal(199, t[2000])
    assert.are.equal(syn.emissions[2004], t[2004])
    local sheets = cbal.table_sheets(paths[2])
    assert.are.same({ "Jiangsu2004" }, sheets)
    local so = cbal.read_table(files.socio)
    assert.are.equal(17 * 5, #so.code)
  end)
end)

describe("synthetic province geometry (full)", function()
  local counties = syn.build_counties(20231330, false)

  it("has 95 counties in 13 cities and 3 regions with 6-digit codes", function()
    assert.are.equal(95, #counties)
    local cities, regions, codes = {}, {}, {}
    for _, c in ipairs(counties) do
      cities[c.city_en] = true
      regions[c.region] = true
      assert.is_true(c.code >= 320000 and c.code < 330000)
      assert.is_nil(codes[c.code])
      codes[c.code] = true
      assert.truthy(c.name:find("[\128-\255]"))  -- Chinese names
    end
    local n = 0
    for _ in pairs(cities) do n = n + 1 end
    assert.are.equal(13, n)
    assert.is_true(regions.south and regions.central and regions.north)
  end)

  it("has multipart counties and one county in another's hole", function()
    local multi, holed = 0, nil
    for _, c in ipairs(counties) do
      if #c.geom > 1 then multi = multi + 1 end
      for _, part in ipairs(c.geom) do
        if #part > 1 then holed = c end
      end
    end
    assert.is_true(multi >= 1)
    assert.truthy(holed)
    local guest
    for _, c in ipairs(counties) do if c.code == 320613 then guest = c end end
    -- the guest fills the hole: union of both has no hole left
    local u = cbal.geom_op(holed.geom, guest.geom, "union")
    for _, part in ipairs(u) do assert.are.equal(1, #part) end
  end)

  it("tiles the province without overlaps", function()
    local sum, union = 0, nil
    for _, c in ipairs(counties) do
      sum = sum + syn.area_km2(c.geom)
      union = union and cbal.geom_op(union, c.geom, "union") or c.geom
    end
    -- slivers where repaired cells meet stay below 0.1 %
    assert.are.near(syn.area_km2(union), sum, sum * 1e-3)
    assert.is_true(sum > 80000 and sum < 130000)
  end)
end)

describe("synthetic province cache", function()
  it("regenerates when a file is missing despite the stamp", function()
    local dir = tu.tmpdir()
    local f = syn.generate{ dir = dir, small = true, quiet = true }
    os.remove((f.npp:gsub("{year}", "2004")))
    local g = syn.generate{ dir = dir, small = true, quiet = true }
    assert.is_nil(g.cached)
    assert.is_true(tu.exists((f.npp:gsub("{year}", "2004"))))
    assert.is_true(syn.generate{ dir = dir, small = true, quiet = true }.cached)
    tu.rmtree(dir)
  end)
end)
