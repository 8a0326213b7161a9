-- The study's inputs as a user gets them wrong: socio cells that are not
-- numbers, duplicate rows, encodings; every message names the user's file
-- and field, never a cbal library file.
local cbal = require "cbal"
local tu = require "testutil"

local desc = require("study_fixture").desc_tables

local function no_library_path(err)
  assert.is_nil(tostring(err):find("lua/cbal/", 1, true), err)
  assert.is_nil(tostring(err):find("%.lua:%d+:"), err)
end

describe("study inputs", function()
  local dir, data
  require("study_fixture").province(function(d, g) dir, data = d, g end)

  -- the socio table with cell (row r, column col) replaced by text
  local function socio_with(name, r, col, text)
    local cols, names = cbal.read_table(data.socio, { text = { "code" } })
    local c = {}
    for i = 1, #cols[col] do c[i] = ("%.17g"):format(cols[col][i]) end
    c[r] = text
    cols[col] = c
    local path = dir .. "/" .. name .. ".csv"
    cbal.write_table(path, cols, { order = names })
    return path, cols
  end

  it("raises on a socio cell that is not a number, naming file, row and column", function()
    local path = socio_with("sep", 3, "gdp", "1,014.70")
    local ok, err = pcall(cbal.study, desc(data, dir .. "/o", { socio = { table = path } }))
    assert.is_false(ok)
    assert.equal("study: " .. path .. ", row 4, column 'gdp': '1,014.70' is not a number (fix the "
      .. "cell or leave it empty for a missing value); to read thousands separators set "
      .. 'socio.thousands = ","', err)
    local S = cbal.study(desc(data, dir .. "/o", { socio = { table = path, thousands = "," } }))
    local t = cbal.read_table(path, { text = { "code" } })
    assert.equal(1014.7, S.panel:get("G", math.tointeger(tonumber(t.year[3])))[S.panel.index[t.code[3]]])
    path = socio_with("na", 5, "population", "n/a")
    ok, err = pcall(cbal.study, desc(data, dir .. "/o2", { socio = { table = path, thousands = "," } }))
    assert.is_false(ok)
    assert.equal("study: " .. path .. ", row 6, column 'population': 'n/a' is not a number (fix "
      .. "the cell or leave it empty for a missing value)", err)
    for _, bad in ipairs({ "1,01.5", "10,0000", ",100", "0x10" }) do
      path = socio_with("bad", 2, "area", bad)
      ok, err = pcall(cbal.study, desc(data, dir .. "/o3", { socio = { table = path, thousands = "," } }))
      assert.truthy(not ok and err:find("'" .. bad .. "' is not a number", 1, true), bad)
    end
    assert.is_false(tu.exists(dir .. "/o2") or tu.exists(dir .. "/o3"))
  end)

  it("names duplicate socio rows by their lines in the file", function()
    local cols, names = cbal.read_table(data.socio, { text = { "code" } })
    local n = #cols.code
    for _, c in ipairs(names) do
      local v = cols[c]
      local list = type(v) == "table" and v or v:totable()
      list[n + 1] = list[2]             -- data row 2 again: line 3 and line n + 2
      cols[c] = type(v) == "table" and list or cbal.array(list)
    end
    local path = dir .. "/dup.csv"
    cbal.write_table(path, cols, { order = names })
    local ok, err = pcall(cbal.study, desc(data, dir .. "/dup", { socio = { table = path } }))
    assert.is_false(ok)
    assert.truthy(err:find(("has two rows for id %s, year %d (rows 3 and %d)")
      :format(cols.code[2], math.tointeger(tonumber(cols.year[2])), n + 2), 1, true), err)
    no_library_path(err)
  end)

  it("advises socio.encoding for a table that is not UTF-8", function()
    local path = dir .. "/gbk.csv"
    local _, gbk = tu.sh("iconv -f UTF-8 -t GBK " .. tu.quote(data.socio))
    tu.write(path, gbk)
    local ok, err = pcall(cbal.study, desc(data, dir .. "/gbk", { socio = { table = path } }))
    assert.is_false(ok)
    assert.truthy(err:find('give socio.encoding = "GBK"', 1, true), err)
    no_library_path(err)
  end)

  it("names a missing socio column by its description key", function()
    local ok, err = pcall(cbal.study, desc(data, dir .. "/col", { socio = { table = data.socio, gdp = "GDP" } }))
    assert.is_false(ok)
    assert.truthy(err:find("^study: socio.gdp: " .. data.socio:gsub("%p", "%%%0") .. " has no column 'GDP' %(columns: "), err)
  end)

  it("requires npp.units and records that it was given", function()
    local ok, err = pcall(cbal.study, desc(data, dir .. "/u", { npp = { path = data.npp } }))
    assert.is_false(ok)
    assert.truthy(err:find("^study: npp.units is missing: .*units are never guessed$"), err)
    ok, err = pcall(cbal.study, desc(data, dir .. "/u", { npp = { path = data.npp, units = "kg" } }))
    assert.truthy(not ok and err:find("study: npp: option 'units': unknown value 'kg' "
      .. "(expected one of: g C, kg C, t C, Mt C)", 1, true), err)
    assert.is_false(tu.exists(dir .. "/u"))
    cbal.study(desc(data, dir .. "/u"))
    assert.truthy(tu.read(dir .. "/u/manifest.json"):find("given in npp.units", 1, true))
  end)

  it("builds one coverage per distinct grid when a series changes grid", function()
    -- light of 2003 and 2004 on a grid of half the cell size (each cell four
    -- cells of the same DN), as after a switch of product; the rest as made
    local series = dir .. "/light2/L{year}.tif"
    tu.sh("mkdir -p " .. tu.quote(dir .. "/light2"))
    for y = 2000, 2004 do
      local src, dst = data.light:gsub("{year}", y), series:gsub("{year}", y)
      local r <close> = cbal.open_raster(src)
      local gt = r.geotransform
      local cmd = y >= 2003 and ("gdalwarp -q -r near -tr %.17g %.17g %s %s"):format(gt[2] / 2,
        -gt[6] / 2, tu.quote(src), tu.quote(dst)) or ("cp %s %s"):format(tu.quote(src), tu.quote(dst))
      assert.equal(0, tu.sh(cmd))
    end
    local S = cbal.study(desc(data, dir .. "/grids", { light = { path = series } }))
    assert.equal(3, S.params.grids) -- light before and after the switch, and NPP
    assert.truthy(tu.read(dir .. "/grids/manifest.json"):find('"grids": 3', 1, true))
    -- the sums a coverage of each grid gives (weights are single precision), by county
    local layer <close> = cbal.open_layer(data.counties, { layer = "counties" })
    local codes = layer:field("code", { as = "string" })
    for _, y in ipairs({ 2000, 2004 }) do
      local r <close> = cbal.open_raster((data.light:gsub("{year}", y)))
      local want = cbal.zones(layer, r, { mode = "exact" }):stats(r, { "sum" }).sum
      local got = S.panel:get("light", y)
      for i, code in ipairs(codes) do
        local g = got[S.panel.index[code] or S.panel.index[tonumber(code)]]
        local w = y == 2004 and 4 * want[i] or want[i]
        assert.is_true(math.abs(g - w) <= 1e-6 * math.abs(w), ("%s %d: %.17g vs %.17g"):format(code, y, g, w))
      end
    end
  end)

  it("raises naming a county whose geometry is null or empty", function()
    local path = dir .. "/null.gpkg"
    tu.sh("cp " .. tu.quote(data.counties) .. " " .. tu.quote(path))
    local rc = tu.sh("ogrinfo -q " .. tu.quote(path) .. " -sql \"UPDATE counties SET geom = NULL WHERE fid = 3\"")
    assert.equal(0, rc)
    local l = cbal.open_layer(path)
    local code, name = tostring(math.tointeger(l:field("code")[3])), l:field("name")[3]
    l:close()
    local d = desc(data, dir .. "/null")
    d.counties.path = path
    local ok, err = pcall(cbal.study, d)
    assert.is_false(ok)
    assert.equal(("study: counties: county %s (%s) in %s has no geometry (null, empty or without "
      .. "area); every county needs its polygon: fix the layer or leave it out"):format(code, name, path), err)
  end)

  it("names the user's file and field, never a library position", function()
    local cases = {
      { { counties = { path = dir .. "/none.gpkg", id = "code", city = "city_en" } }, "^study: counties.path: " },
      { { counties = { path = data.counties, layer = "counties", id = "city_en", name = "name",
          city = "city_en" } }, "^study: counties.id 'city_en' of .* appears twice %(features 1 and 2%); " },
      { { emissions = { table = dir .. "/none.csv" } }, "^study: emissions.table: " },
    }
    for _, c in ipairs(cases) do
      local ok, err = pcall(cbal.study, desc(data, dir .. "/e", c[1]))
      assert.is_false(ok)
      assert.truthy(err:find(c[2]), err)
      no_library_path(err)
    end
    -- a table that cannot be written: the item and the file are named
    local report = require "cbal.report"
    local list = report.list
    package.loaded["cbal.report.tx_bad"] = { kind = "table", inputs = {},
      build = function() return { title = "x", columns = { "a" }, rows = { { 1 } } } end }
    report.list = { "tx_bad" }
    local write_table = cbal.write_table
    -- as the binding raises it: with the position of its caller, lua/cbal/report.lua
    cbal.write_table = function(path)
      error(debug.getinfo(2, "S").short_src .. ":1: cannot write " .. path .. ": No space left on device", 0)
    end
    local ok, err = pcall(cbal.study, desc(data, dir .. "/full"))
    cbal.write_table, report.list, package.loaded["cbal.report.tx_bad"] = write_table, list, nil
    assert.is_false(ok)
    assert.truthy(err:find("^report: tx_bad: cannot write .*/tx_bad%.csv: No space left on device$"), err)
    no_library_path(err)
    assert.is_false(tu.exists(dir .. "/full"))
  end)
end)
