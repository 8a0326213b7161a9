-- Regression tests from trying the study as a researcher would: each case
-- is a problem found with real-looking inputs, on the reduced synthetic
-- province (generated in a temp folder).
local cbal = require "cbal"
local tu = require "testutil"

local desc = require("study_fixture").desc_tables -- without figures, to stay fast

describe("cbal.study on awkward inputs", function()
  local dir, data
  require("study_fixture").province(function(d, g) dir, data = d, g end)

  it("lists unclassified counties once in the zone counts", function()
    local crit = dir .. "/one_zone.lua"
    tu.write(crit, [[
return { name = "one", tie = "upper", year = "last", thresholds = { ECC = 1 },
  zones = { { name = "rich", when = { ECC = "high" } } } }
]])
    local S = cbal.study(desc(data, dir .. "/zc", { criteria = crit }))
    local t = cbal.read_table(dir .. "/zc/t7_zone_counts.csv")
    local seen, total = {}, 0
    for i = 1, #t.zone do
      assert.is_nil(seen[t.zone[i]], "zone listed twice: " .. t.zone[i])
      seen[t.zone[i]] = true
      total = total + t.counties[i]
    end
    assert.is_true(seen.unclassified)
    assert.equal(S.panel.n, total)
    -- a fallback with its own name is listed once too
    tu.write(crit, [[
return { name = "one", tie = "upper", year = "last", thresholds = { ECC = 1 },
  zones = { { name = "rich", when = { ECC = "high" } } }, otherwise = "the rest" }
]])
    S = cbal.study(desc(data, dir .. "/zc2", { criteria = crit }))
    t = cbal.read_table(dir .. "/zc2/t7_zone_counts.csv")
    assert.same({ "rich", "the rest" }, t.zone)
    assert.equal(S.panel.n, t.counties:sum())
    local summary = require("cbal.report").summary(S)
    assert.truthy(summary:find("zones: rich %d+, the rest %d+\n"))
    assert.same({ "rich", "the rest" }, require("cbal.report.common").zone_list(S))
  end)

  it("draws Fig. 4 when there are more regions than panels fit", function()
    local d = require("study_fixture").desc(data, dir .. "/many")
    d.counties.city, d.counties.region, d.regions = "code", "code", nil
    local S = cbal.study(d)
    assert.truthy(S.panel.n > 4)
    local png = tu.read(dir .. "/many/figures/fig4_city_Q.png")
    assert.equal("\137PNG", png:sub(1, 4))
  end)

  it("rejects a misspelt key inside a description field", function()
    local cases = {
      { "light", { path = data.light, nodta = { 0 } }, "unknown key 'nodta' in field 'light'" },
      { "npp", { path = data.npp, unit = "kg C" }, "unknown key 'unit' in field 'npp'" },
      { "socio", { table = data.socio, gpd = "gdp" }, "unknown key 'gpd' in field 'socio'" },
      { "counties", { path = data.counties, id = "code", citty = "city_en" },
        "unknown key 'citty' in field 'counties'" },
      { "emissions", { tabel = data.emissions }, "unknown key 'tabel' in field 'emissions'" },
      { "light", { nodata = { 0 } }, "field 'light' needs a path" },
      { "socio", "socio.csv", "field 'socio' must be a table" },
    }
    for _, c in ipairs(cases) do
      local out = dir .. "/typo"
      local ok, err = pcall(cbal.study, desc(data, out, { [c[1]] = c[2] }))
      assert.is_false(ok)
      assert.truthy(tostring(err):find(c[3], 1, true), tostring(err))
      assert.is_false(tu.exists(out), "no output folder for a rejected description")
    end
  end)

  -- name -> sha256 of every file under dir, and the entries beside it
  local function snapshot(d)
    local _, out = tu.sh("cd " .. tu.quote(d) .. " && find . -type f | sort")
    local t = {}
    for f in out:gmatch("[^\n]+") do t[f] = cbal.sha256(d .. "/" .. f) end
    return t
  end
  local function siblings(d)
    local _, out = tu.sh("ls -A " .. tu.quote(d:match("^(.*)/[^/]+$")))
    return out
  end

  it("leaves an existing out folder untouched when a run fails midway", function()
    local out = dir .. "/keep/out"
    cbal.study(desc(data, out))
    local before, beside = snapshot(out), siblings(out)
    -- fails in the computation (criteria file with a syntax error) ...
    local crit = dir .. "/broken.lua"
    tu.write(crit, "return { zones = { { name = 'a', when = { ECC = } } }\n")
    local ok, err = pcall(cbal.study, desc(data, out, { criteria = crit }))
    assert.is_false(ok)
    assert.truthy(tostring(err):find("broken.lua", 1, true), tostring(err))
    assert.same(before, snapshot(out))
    assert.equal(beside, siblings(out))
    -- ... and while writing the outputs, after some tables were written
    local report = require "cbal.report"
    local write = report.write
    report.write = function(S, d)
      cbal.write_table(S.out .. "/county_panel.csv", { x = { 1 } })
      error("disk full (simulated)", 0)
    end
    ok, err = pcall(cbal.study, desc(data, out))
    report.write = write
    assert.is_false(ok)
    assert.equal("disk full (simulated)", err)
    assert.same(before, snapshot(out))
    assert.equal(beside, siblings(out))
  end)

  it("replaces a previous result as a whole and lists final paths in the manifest", function()
    local out = dir .. "/again/out"
    cbal.study(desc(data, out))
    tu.write(out .. "/stale.csv", "x\n1\n")
    local S = cbal.study(desc(data, out))
    assert.is_false(tu.exists(out .. "/stale.csv"))
    assert.equal("out\n", siblings(out))
    local man = tu.read(out .. "/manifest.json")
    assert.is_nil(man:find("partial", 1, true))
    -- relative paths in the manifest resolve against its workdir
    assert.truthy(man:find('"workdir": "' .. os.getenv("PWD") .. '"', 1, true))
    for _, f in ipairs(S.outputs) do
      assert.equal(out .. "/", f.path:sub(1, #out + 1))
      assert.is_true(tu.exists(f.path), f.path)
      assert.truthy(man:find(f.path, 1, true), f.path)
    end
  end)

  it("refuses an out folder it cannot create or that holds other files", function()
    tu.write(dir .. "/plain", "not a folder")
    local ok, err = pcall(cbal.study, desc(data, dir .. "/plain/out"))
    assert.is_false(ok)
    assert.truthy(err:find("cannot create the output folder '" .. dir .. "/plain/out'", 1, true), err)
    tu.sh("mkdir -p " .. tu.quote(dir .. "/mine"))
    tu.write(dir .. "/mine/thesis.tex", "precious")
    ok, err = pcall(cbal.study, desc(data, dir .. "/mine"))
    assert.is_false(ok)
    assert.truthy(err:find("is not a cbal output folder", 1, true), err)
    assert.equal("precious", tu.read(dir .. "/mine/thesis.tex"))
  end)

  it("names the field and year of a missing raster, and takes one raster for all years", function()
    local ok, err = pcall(cbal.study, desc(data, dir .. "/miss",
      { light = { path = data.light:gsub("{year}", "{year}x") } }))
    assert.is_false(ok)
    assert.truthy(err:find("^study: light raster of 2000: "), err)
    assert.truthy(err:find("every year of 'years' needs one", 1, true), err)
    assert.is_nil(err:find("%.lua:%d+:"), err)
    assert.is_false(tu.exists(dir .. "/miss"))
    cbal.warnings(true)
    local one = data.light:gsub("{year}", "2002")
    local S = cbal.study(desc(data, dir .. "/one", { light = { path = one } }))
    local w = table.concat(cbal.warnings(true), "\n")
    assert.truthy(w:find("light.path has no {year}: the same raster " .. one, 1, true), w)
    -- one light raster: every year's allocation has the same shares
    local a, b = S.panel:get("C", 2000), S.panel:get("C", 2004)
    for i = 1, S.panel.n do
      assert.is_true(math.abs(a[i] / a:sum() - b[i] / b:sum()) < 1e-12)
    end
  end)

  it("reports a broken criteria file by file and line, without library positions", function()
    local crit = dir .. "/syntax.lua"
    tu.write(crit, "return {\n  zones = { { name = 'a', when = { ECC = } } }\n")
    local ok, err = pcall(cbal.study, desc(data, dir .. "/crit", { criteria = crit }))
    assert.is_false(ok)
    assert.truthy(err:find("^criteria: " .. crit:gsub("%p", "%%%0") .. ":2: "), err)
    tu.write(crit, "local f = io.open('/etc/hostname')\nreturn {}\n")
    ok, err = pcall(cbal.study, desc(data, dir .. "/crit", { criteria = crit }))
    assert.is_false(ok)
    assert.truthy(err:find("^criteria: " .. crit:gsub("%p", "%%%0") .. ":1: 'io' is not available"), err)
    assert.is_false(tu.exists(dir .. "/crit"))
  end)

  it("joins a socio table whose codes changed with socio.recode", function()
    local cols, names = cbal.read_table(data.socio, { text = { "code" } })
    local old = cols.code[1]
    for i = 1, #cols.code do
      if cols.code[i] == old then cols.code[i] = "329901" end
    end
    local path = dir .. "/socio_newcodes.csv"
    cbal.write_table(path, cols, { order = names })
    local ok, err = pcall(cbal.study, desc(data, dir .. "/rc", { socio = { table = path } }))
    assert.is_false(ok)
    assert.truthy(err:find("(329901)", 1, true) and err:find(path, 1, true), err)
    assert.truthy(err:find("^study: socio: 1 id%(s%) in "), err)
    assert.truthy(err:find('map changed codes with socio.recode = {["table id"] = "panel id"}, '
      .. "or set socio.allow_unmatched = true", 1, true), err)
    local S = cbal.study(desc(data, dir .. "/rc", { socio = { table = path, recode = { ["329901"] = old } } }))
    assert.equal(cols.gdp[1], S.panel:get("G", math.tointeger(cols.year[1]))[S.panel.index[old]])
    assert.truthy(tu.read(dir .. "/rc/manifest.json"):find('"329901": "' .. old .. '"', 1, true))
  end)

  it("converts socio-economic units and rejects a population given in persons", function()
    local cols, names = cbal.read_table(data.socio, { text = { "code" } })
    local persons = cbal.read_table(data.socio, { text = { "code" } })
    persons.population = cols.population * 1e4   -- persons instead of 10k persons
    persons.gdp = cols.gdp * 1e8                 -- yuan instead of 100 million yuan
    local path = dir .. "/socio_persons.csv"
    cbal.write_table(path, persons, { order = names })
    local ok, err = pcall(cbal.study, desc(data, dir .. "/un", { socio = { table = path } }))
    assert.is_false(ok)
    assert.truthy(err:find(path .. ": the median county gdp in 2000 is", 1, true), err)
    assert.truthy(err:find('socio.units = {gdp = "yuan"}', 1, true), err)
    local S1 = cbal.study(desc(data, dir .. "/u1"))
    local S2 = cbal.study(desc(data, dir .. "/u2", { socio = { table = path,
      units = { gdp = "yuan", population = "persons" } } }))
    for _, v in ipairs({ "G", "P", "Q", "ECC" }) do
      local a, b = S1.panel:get(v, 2003), S2.panel:get(v, 2003)
      for i = 1, S1.panel.n do
        assert.is_true(math.abs(a[i] - b[i]) <= 1e-9 * math.abs(a[i]), v)
      end
    end
    assert.truthy(tu.read(dir .. "/u2/manifest.json"):find("persons -> 10k persons", 1, true))
    ok, err = pcall(cbal.study, desc(data, dir .. "/un", { socio = { table = path, units = { gdp = "dollars" } } }))
    assert.truthy(not ok and err:find("study: socio.units: option 'gdp': unknown value 'dollars' (expected "
      .. "one of: billion yuan, 100 million yuan, million yuan, 10k yuan, yuan)", 1, true), err)
  end)

  it("names the table and the years missing from the socio and emissions tables", function()
    local cols, names = cbal.read_table(data.socio, { text = { "code" } })
    local keep = {}
    for _, n in ipairs(names) do keep[n] = {} end
    for i = 1, #cols.year do
      if cols.year[i] ~= 2002 and cols.year[i] ~= 2003 then
        for _, n in ipairs(names) do table.insert(keep[n], cols[n][i]) end
      end
    end
    local path = dir .. "/socio_gap.csv"
    cbal.write_table(path, keep, { order = names })
    local ok, err = pcall(cbal.study, desc(data, dir .. "/gap", { socio = { table = path } }))
    assert.is_false(ok)
    assert.equal("study: " .. path .. " has no rows for 2002-2003 (its years: 2000-2001, 2004); "
      .. "every year of 'years' needs GDP, population and area: add the rows or shorten 'years'", err)
    local em = dir .. "/em_gap.csv"
    tu.write(em, "year,emissions\n2000,199\n2001,192\n2002,\n2004,260\n")
    ok, err = pcall(cbal.study, desc(data, dir .. "/gap", { emissions = { table = em } }))
    assert.is_false(ok)
    assert.equal("study: the provincial emissions (" .. em .. ") have no value for 2002-2003; "
      .. "add them or shorten 'years'", err)
    assert.is_false(tu.exists(dir .. "/gap"))
  end)

  it("reads a GBK socio table with socio.encoding and refuses it without", function()
    local path = dir .. "/socio_gbk.csv"
    local rc, gbk = tu.sh("iconv -f UTF-8 -t GBK " .. tu.quote(data.socio))
    assert.equal(0, rc)
    tu.write(path, gbk)
    local ok, err = pcall(cbal.study, desc(data, dir .. "/gbk", { socio = { table = path } }))
    assert.is_false(ok)
    assert.truthy(err:find(path .. ": row 2, column 2 is not UTF-8 text", 1, true), err)
    local S = cbal.study(desc(data, dir .. "/gbk", { socio = { table = path, encoding = "GBK" } }))
    local ref = cbal.read_table(data.socio)
    assert.equal(ref.gdp[1], S.panel:get("G", math.tointeger(ref.year[1]))[1])
  end)

  it("rejects a zero or negative provincial emissions total", function()
    local em = dir .. "/em_neg.csv"
    tu.write(em, "year,emissions\n2000,199\n2001,192\n2002,-5\n2003,230\n2004,0\n")
    local ok, err = pcall(cbal.study, desc(data, dir .. "/neg", { emissions = { table = em } }))
    assert.is_false(ok)
    assert.equal("study: the provincial emissions (" .. em .. ") for 2002 are -5 Mt; "
      .. "they must be a positive number", err)
  end)

  it("names the description field of a wrong layer field, region or CEADs input", function()
    local function err_of(extra)
      local ok, err = pcall(cbal.study, desc(data, dir .. "/names", extra))
      assert.is_false(ok)
      assert.is_false(tu.exists(dir .. "/names"))
      return err
    end
    local err = err_of({ counties = { path = data.counties, layer = "counties", id = "cod",
      name = "name", city = "city_en" } })
    assert.truthy(err:find("^study: counties.id: .*has no field 'cod' %(fields: "), err)
    err = err_of({ regions = { south = { "Zhenjiang" }, north = { "Suqian" } } })
    assert.truthy(err:find("^study: city Yangzhou %(e.g. county 321%d+%) is in no region of field "
      .. "'regions'; add it to a region's list$"), err)
    err = err_of({ emissions = { ceads = data.ceads, province = "Jiangsu" } })
    assert.truthy(err:find("^study: emissions.ceads: no workbook for 2001%-2003 %("), err)
    err = err_of({ years = { 2000, 2004 }, emissions = { ceads = data.ceads, province = "Jiangshu",
      years = { 2000, 2004 } } })
    assert.truthy(err:find("^study: emissions.ceads: .*has no sheet for province 'Jiangshu'"), err)
  end)

  it("writes report text atomically and names a file it cannot write", function()
    local common = require "cbal.report.common"
    local path = dir .. "/text.out"
    common.write_text(path, "first\n")
    common.write_text(path, "second\n")
    assert.equal("second\n", tu.read(path))
    assert.is_nil(io.open(path .. ".tmp", "rb"))
    local ok, err = pcall(common.write_text, dir .. "/no/such/folder/x.html", "x")
    assert.is_false(ok)
    assert.truthy(tostring(err):find("no/such/folder/x.html", 1, true), err)
  end)
end)
