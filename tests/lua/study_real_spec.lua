-- The study on inputs as researchers hold them, on the reduced synthetic
-- province: counties with a datum, NPP as tiles found by a glob per year,
-- two-level allocation by city inventories (with a year the table lacks),
-- and validation against county and city references (crosswalk, NaN).
local cbal = require "cbal"
local syn = require "cbal.synthetic"
local tu = require "testutil"

local desc = require("study_fixture").desc

local function csv(path) return cbal.read_table(path) end

-- Splits each year's NPP raster into a west and an east tile.
local function tile_npp(data, dir)
  os.execute("mkdir -p " .. tu.quote(dir))
  for y = 2000, 2004 do
    local src = data.npp:gsub("{year}", tostring(y))
    for k, win in ipairs { "0 0 200 265", "200 0 295 265" } do
      local out = ("%s/MOD17A3H.A%d001.h%d.tif"):format(dir, y, 26 + k)
      assert(tu.sh(("gdal_translate -q -srcwin %s %s %s"):format(win, tu.quote(src), tu.quote(out))) == 0)
    end
  end
  return dir .. "/MOD17A3H.A{year}001.h2[78].tif"
end

local function write_csv(path, header, rows)
  local t = { header }
  for _, r in ipairs(rows) do t[#t + 1] = table.concat(r, ",") end
  tu.write(path, table.concat(t, "\n") .. "\n")
end

describe("cbal.study with real-style inputs", function()
  local dir, data, S, P, B
  local inv = { Zhenjiang = 30, Yangzhou = 50, Suqian = 20 }

  setup(function()
    dir = tu.tmpdir()
    data = syn.generate { dir = dir .. "/data", small = true, quiet = true }
    -- plain: one level, untiled NPP, the same datum
    local counties = { path = data.counties, layer = "counties", id = "code", name = "name",
                       city = "city_en", datum = "gcj02" }
    B = cbal.study(desc(data, dir .. "/plain", { counties = counties }))
    P = csv(dir .. "/plain/county_panel.csv")
    -- city inventories for 2000-2003 only (2004 falls back to one level)
    local rows = {}
    for y = 2000, 2003 do
      for c, v in pairs(inv) do rows[#rows + 1] = { c, y, v + (y - 2000) } end
    end
    write_csv(dir .. "/cities.csv", "city,year,co2", rows)
    -- a county reference in wide form under older codes: the first county
    -- split in two rows (crosswalked), the second county NaN in 2002
    local ids, cref = {}, {}
    for i = 1, #P.code do
      if P.year[i] == 2000 then ids[#ids + 1] = ("%d"):format(P.code[i]) end
    end
    local header = "code," .. table.concat({ "C2000", "C2001", "C2002", "C2003", "C2004" }, ",")
    local function c_of(id, y)
      for i = 1, #P.code do
        if ("%d"):format(P.code[i]) == id and P.year[i] == y then return P.C[i] end
      end
    end
    for k, id in ipairs(ids) do
      local row = { k == 1 and "old1" or id }
      for y = 2000, 2004 do
        local v = c_of(id, y) * (1 + 0.1 * math.sin(k + y))
        row[#row + 1] = (k == 2 and y == 2002) and "" or ("%.10g"):format(k == 1 and v / 2 or v)
      end
      cref[#cref + 1] = row
      if k == 1 then
        local r2 = { "old2" }
        for j = 2, #row do r2[j] = row[j] end
        cref[#cref + 1] = r2
      end
    end
    write_csv(dir .. "/county_ref.csv", header, cref)
    write_csv(dir .. "/crosswalk.csv", "from,to", { { "old1", ids[1] }, { "old2", ids[1] } })
    local crow = {}
    for y = 2000, 2004 do
      for c, v in pairs(inv) do crow[#crow + 1] = { c, y, v * 2 } end
    end
    write_csv(dir .. "/city_ref.csv", "city,year,co2", crow)
    cbal.warnings(true)
    S = cbal.study(desc(data, dir .. "/out", {
      counties = counties,
      npp = { path = tile_npp(data, dir .. "/tiles"), units = "kg C" },
      emissions = { table = data.emissions, year = "year", value = "emissions",
                    cities = { table = dir .. "/cities.csv", id = "city", year = "year", value = "co2" } },
      validation = {
        counties = { table = dir .. "/county_ref.csv", id = "code", value = "C{year}",
                     crosswalk = { table = dir .. "/crosswalk.csv" }, name = "county ref" },
        cities = { table = dir .. "/city_ref.csv", id = "city", year = "year", value = "co2",
                   name = "city ref" },
      },
    }))
  end)
  teardown(function() tu.rmtree(dir) end)

  it("reads NPP tiles found by a glob as the untiled raster", function()
    local panel = csv(dir .. "/out/county_panel.csv")
    for i = 1, #panel.N do assert.near(P.N[i], panel.N[i], 1e-9 * P.N[i]) end
    local man = tu.read(dir .. "/out/manifest.json")
    assert.truthy(man:find("MOD17A3H.A2003001.h28.tif", 1, true))
  end)

  it("records the datum in the manifest", function()
    local man = tu.read(dir .. "/out/manifest.json")
    assert.truthy(man:find('"datum": "GCJ-02 converted to WGS84 on read"', 1, true))
  end)

  it("allocates in two levels where the city table has every city, one level elsewhere", function()
    local panel = csv(dir .. "/out/county_panel.csv")
    local em = csv(data.emissions)
    local total = {}
    for k = 1, #em.year do total[em.year[k]] = em.emissions[k] end
    local city = {}
    for i = 1, S.panel.n do city[S.panel.ids[i]] = S.panel.city[i] end
    for y = 2000, 2004 do
      local by, sum = {}, 0
      for i = 1, #panel.year do
        if panel.year[i] == y then
          local c = city[("%d"):format(panel.code[i])]
          by[c] = (by[c] or 0) + panel.C[i]
          sum = sum + panel.C[i]
        end
      end
      assert.near(total[y], sum, 1e-9 * total[y]) -- the provincial total is kept
      if y <= 2003 then
        local d = y - 2000
        local all = inv.Zhenjiang + inv.Yangzhou + inv.Suqian + 3 * d
        for c, v in pairs(inv) do assert.near(total[y] * (v + d) / all, by[c], 1e-9 * total[y]) end
      else -- 2004: as the plain run
        for i = 1, #panel.year do
          if panel.year[i] == 2004 then assert.near(P.C[i], panel.C[i], 1e-9 * P.C[i]) end
        end
      end
    end
    local w = table.concat(cbal.warnings(), "\n")
    assert.truthy(w:find("cities.csv lacks a city in 2004 (e.g. ", 1, true), w)
    local alloc = "two levels: the provincial total to cities by their inventories (" .. dir
      .. "/cities.csv), then to counties by night-light share within each city, in 2000-2003; one level in 2004"
    assert.equal(alloc, S.params.allocation)
    assert.truthy(tu.read(dir .. "/out/manifest.json"):find('"allocation": "two levels', 1, true))
    assert.truthy(tu.read(dir .. "/out/report.html"):find("Emissions allocated in two levels", 1, true))
    assert.truthy(tu.read(dir .. "/plain/report.html"):find("Emissions allocated in one level", 1, true))
  end)

  it("writes t8_validation.csv with the metrics cbal.validate gives", function()
    local t8 = csv(dir .. "/out/t8_validation.csv")
    assert.equal(15, #t8.year) -- 5 years x (counties, counties summed to cities, city ref)
    local ref = csv(dir .. "/county_ref.csv")
    local panel = csv(dir .. "/out/county_panel.csv")
    -- 2002, counties: the crosswalked first county, the NaN second one left out
    local pred, refv = {}, {}
    for i = 1, #panel.year do
      if panel.year[i] == 2002 then pred[#pred + 1] = panel.C[i] end
    end
    refv[1] = ref.C2002[1] + ref.C2002[2]
    for k = 3, #ref.C2002 do refv[#refv + 1] = ref.C2002[k] end
    local m = cbal.validate(pred, refv)
    local row
    for i = 1, #t8.year do
      if t8.year[i] == 2002 and t8.level[i] == "counties" then row = i end
    end
    assert.equal("county ref", t8.reference[row])
    assert.equal(#pred - 1, t8.n[row])
    assert.equal(1, t8.missing[row])
    assert.near(m.r, t8.r[row], 1e-9)
    assert.near(m.rmse, t8.RMSE[row], 1e-9)
    assert.near(m.mape, t8.MAPE_pct[row], 1e-9)
    -- the city reference: 2x the inventories
    for i = 1, #t8.year do
      if t8.reference[i] == "city ref" then assert.equal(3, t8.n[i]) end
    end
    local html = tu.read(dir .. "/out/report.html")
    assert.truthy(html:find("8. Allocation checked against independent inventories", 1, true))
    assert.truthy(html:find('id="t8_validation"', 1, true))
    assert.truthy(tu.exists(dir .. "/out/figures/fig8_validation.png"))
    assert.is_nil(tu.read(dir .. "/plain/report.html"):find("8. Allocation checked", 1, true))
    assert.is_false(tu.exists(dir .. "/plain/t8_validation.csv"))
  end)

  it("stops on a city in the inventory with no counties", function()
    write_csv(dir .. "/bad_cities.csv", "city,year,co2", { { "Zhenjiang", 2000, 1 }, { "Nanjing", 2000, 2 } })
    local ok, msg = pcall(cbal.study, desc(data, dir .. "/bad", {
      emissions = { table = data.emissions, year = "year", value = "emissions",
                    cities = { table = dir .. "/bad_cities.csv", id = "city", year = "year", value = "co2" } } }))
    assert.is_false(ok)
    assert.truthy(msg:find("study: emissions.cities: city Nanjing of " .. dir .. "/bad_cities.csv (year 2000) has no counties", 1, true), msg)
    assert.is_false(tu.exists(dir .. "/bad"))
  end)

  it("stops on a crosswalk row whose codes are known on neither side", function()
    write_csv(dir .. "/bad_cw.csv", "from,to", { { "999001", "999002" } })
    local ok, msg = pcall(cbal.study, desc(data, dir .. "/bad", {
      validation = { counties = { table = dir .. "/county_ref.csv", id = "code", value = "C{year}",
                                  crosswalk = { table = dir .. "/bad_cw.csv" } } } }))
    assert.is_false(ok)
    assert.truthy(msg:find("crosswalk 999001 -> 999002: neither code is known", 1, true), msg)
    -- without the crosswalk the old codes reach no county
    ok, msg = pcall(cbal.study, desc(data, dir .. "/bad", {
      validation = { counties = { table = dir .. "/county_ref.csv", id = "code", value = "C{year}" } } }))
    assert.truthy(msg:find("reference ids old1, old2 match no unit and are not in the crosswalk", 1, true), msg)
  end)

  it("names the glob that matches nothing, with {year} filled in", function()
    local ok, msg = pcall(cbal.study, desc(data, dir .. "/bad", {
      npp = { path = dir .. "/tiles/MOD17A3H.A{year}001.h3[01].tif", units = "kg C" } }))
    assert.is_false(ok)
    assert.truthy(msg:find("npp of 2000: no tile: '" .. dir .. "/tiles/MOD17A3H.A2000001.h3[01].tif' matches no file", 1, true), msg)
    ok, msg = pcall(cbal.study, desc(data, dir .. "/bad", { validation = { counties = { table = "x" } } }))
    assert.truthy(msg:find("validation.counties needs id = and value =", 1, true), msg)
    ok, msg = pcall(cbal.study, desc(data, dir .. "/bad", { validation = { town = {} } }))
    assert.truthy(msg:find("unknown key 'town' in field 'validation'", 1, true), msg)
  end)
end)

describe("study tiles", function()
  it("opens the Npp_500m subdataset of HDF tiles unless told otherwise", function()
    local dir = tu.tmpdir()
    local tiles = require "cbal.study.tiles"
    for k = 0, 1 do
      assert(tu.sh(("%s/tests/tools/mod17tile %s/t.A2010.h%d.hdf %.4f 4447802.079 4 3 463.31271653 %d")
        :format(tu.build, dir, 27 + k, 10007554.677 + k * 4 * 463.31271653, 100 * (k + 1))) == 0)
    end
    local f = { name = "npp", path = dir .. "/t.A{year}.h2?.hdf", subdataset = "Npp_500m" }
    local r, files = tiles.open(f, 2010, {})
    assert.equal(2, #files)
    assert.equal(8, r.width)
    assert.near(0.02, r:read(1)[5], 1e-12)
    local g = tiles.open(f, 2010, { subdataset = "Gpp_500m" })
    assert.near(0.02, g:read(1)[1], 1e-12)
    -- a list of tiles per year, one of them missing in that year
    local ok, msg = pcall(tiles.open, { name = "npp", subdataset = "Npp_500m",
      path = { dir .. "/t.A{year}.h27.hdf", dir .. "/t.A{year}.h29.hdf" } }, 2010, {})
    assert.is_false(ok)
    assert.truthy(msg:find("study: npp raster of 2010: cannot open raster '" .. dir .. "/t.A2010.h29.hdf'", 1, true), msg)
    ok, msg = pcall(tiles.open, { name = "npp", path = { dir .. "/t.A{year}.h27.hdf",
      dir .. "/t.A{year}.h2[9].hdf" } }, 2010, {})
    assert.truthy(msg:find("npp of 2010: no tile: '" .. dir .. "/t.A2010.h2[9].hdf' matches no file (npp.path[2] is", 1, true), msg)
    tu.rmtree(dir)
  end)
end)
