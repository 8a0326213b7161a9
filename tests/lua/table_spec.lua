-- cbal.read_table / cbal.write_table / cbal.table_sheets: round trips through
-- CSV and XLSX, GPKG and ODS made with ogr2ogr, typing rules, every error.
local cbal = require "cbal"
local tu = require "testutil"
local nan = 0 / 0

local function is_array(v) return getmetatable(v) == getmetatable(cbal.array {}) end

local function files_in(dir)
  local _, out = tu.sh("ls -A " .. tu.quote(dir))
  local t = {}
  for l in out:gmatch("[^\n]+") do t[#t + 1] = l end
  table.sort(t)
  return t
end

-- Doubles that %.15g or %.16g do not carry exactly, plus random ones.
local function tricky_numbers()
  local v = { 0.1 + 0.2, 1 / 3, 2 / 3, 1e-300, 5e-324, 1.7976931348623157e308,
    123456789012345678, -0.1, 2 ^ 53 + 2, 320102, 0, math.pi, 1.1 }
  math.randomseed(42)
  for _ = 1, 200 do
    v[#v + 1] = (math.random() - 0.5) * 10 ^ math.random(-20, 20)
  end
  return v
end

local function ogr2ogr(args)
  local code, _, err = tu.sh("ogr2ogr " .. args)
  assert(code == 0, "ogr2ogr failed: " .. err)
end

describe("tables", function()
  local dir
  before_each(function() dir = tu.tmpdir() end)
  after_each(function() tu.rmtree(dir) end)

  for _, ext in ipairs { "csv", "xlsx" } do
    it("round-trips numbers exactly, NaN, Chinese text and order through " .. ext, function()
      local nums = tricky_numbers()
      local n = #nums
      local x = cbal.array(nums)
      x[3] = nan
      local names, ids, mixed = {}, {}, {}
      for i = 1, n do
        names[i] = (i % 3 == 0) and "南京市玄武区" or ("县" .. i)
        ids[i] = string.format("%06d", 320100 + i)
        mixed[i] = (i % 2 == 0) and i or ("t" .. i)
      end
      names[5] = "" -- an empty text cell
      ids[1] = "012345"
      local path = dir .. "/out." .. ext
      cbal.write_table(path, { ["值"] = x, name = names, id = ids, mixed = mixed, k = cbal.seq(1, n) },
        { order = { "id", "name", "值", "k", "mixed" } })
      local cols, order, nrows = cbal.read_table(path, { text = { "id" } })
      assert.equal(n, nrows)
      assert.same({ "id", "name", "值", "k", "mixed" }, order)
      assert.is_true(is_array(cols["值"]))
      for i = 1, n do
        if i == 3 then
          assert.is_true(cols["值"][i] ~= cols["值"][i])
        else
          assert.equal(x[i], cols["值"][i])
        end
        assert.equal(i, cols.k[i])
      end
      assert.same(names, cols.name)
      assert.same(ids, cols.id)
      assert.equal("t1", cols.mixed[1])
      assert.equal("2", cols.mixed[2])
      -- ids read without `text` become numbers, losing the leading zero
      local c2 = cbal.read_table(path, { fields = { "id" } })
      assert.is_true(is_array(c2.id))
      assert.equal(12345, c2.id[1])
    end)
  end

  it("orders columns by name by default and leaves no temporary file", function()
    local path = dir .. "/o.csv"
    cbal.write_table(path, { b = { 1, 2 }, a = { "x", "y" }, c = cbal.array { 3, 4 } })
    assert.equal("a,b,c\nx,1,3\ny,2,4\n", tu.read(path))
    cbal.write_table(path, { z = { 5 }, y = { 6 } }) -- replaces the file
    assert.equal("y,z\n6,5\n", tu.read(path))
    local xl = dir .. "/o.xlsx"
    cbal.write_table(xl, { a = { 0.1 + 0.2 } })
    cbal.write_table(xl, { a = { 0.1 + 0.2, 7 } })
    local cols, _, n = cbal.read_table(xl)
    assert.equal(2, n)
    assert.equal(0.1 + 0.2, cols.a[1])
    assert.same({ "o.csv", "o.xlsx" }, files_in(dir))
  end)

  it("starts a CSV with a UTF-8 byte-order mark on request and reads it back", function()
    local path = dir .. "/bom.csv"
    cbal.write_table(path, { name = { "玄武区" }, v = { 1.5 } }, { bom = true })
    assert.equal("\239\187\191name,v\n玄武区,1.5\n", tu.read(path))
    local cols = cbal.read_table(path)
    assert.equal("玄武区", cols.name[1])
    assert.equal(1.5, cols.v[1])
    cbal.write_table(path, { v = { 2 }, w = { 3 } }, { bom = false })
    assert.equal("v,w\n2,3\n", tu.read(path))
    local ok, err = pcall(cbal.write_table, dir .. "/b.xlsx", { v = { 1 } }, { bom = true })
    assert.is_false(ok)
    assert.truthy(err:find("option 'bom' is for CSV files only, not for .*b%.xlsx"))
    assert.same({ "bom.csv" }, files_in(dir))
  end)

  it("writes a one-column CSV without GDAL's trailing comma, quotes intact", function()
    local path = dir .. "/one.csv"
    cbal.write_table(path, { name = { "a,b", "", 'say "x"' } })
    assert.equal('name\n"a,b"\n""\n"say ""x"""\n', tu.read(path))
    assert.same({ "a,b", "", 'say "x"' }, cbal.read_table(path).name)
  end)

  it("writes NaN as an empty cell and infinities to CSV", function()
    local path = dir .. "/n.csv"
    cbal.write_table(path, { a = { 1, nan, 1 / 0, -1 / 0 }, b = { 1, 2, 3, 4 } })
    assert.equal("a,b\n1,1\n,2\ninf,3\n-inf,4\n", tu.read(path))
    local cols = cbal.read_table(path)
    assert.is_true(cols.a[2] ~= cols.a[2])
    assert.equal(1 / 0, cols.a[3])
    assert.equal(-1 / 0, cols.a[4])
  end)

  it("types CSV columns: numeric when every non-empty cell is a number", function()
    local path = dir .. "/t.csv"
    tu.write(path, "id,name,gdp,mix,blank,sci\n" ..
      "320102,玄武区,1200.5,1,,1e3\n" ..
      "320104,\"秦淮区, 南京\",,x,, -2.5E-2 \n" ..
      "012345,c,7,3,,+4\n")
    local cols, names, n = cbal.read_table(path)
    assert.equal(3, n)
    assert.same({ "id", "name", "gdp", "mix", "blank", "sci" }, names)
    assert.is_true(is_array(cols.id))
    assert.equal(12345, cols.id[3])
    assert.same({ "玄武区", "秦淮区, 南京", "c" }, cols.name)
    assert.is_true(is_array(cols.gdp))
    assert.equal(1200.5, cols.gdp[1])
    assert.is_true(cols.gdp[2] ~= cols.gdp[2])
    assert.same({ "1", "x", "3" }, cols.mix)
    assert.is_true(is_array(cols.blank))
    assert.equal(3, #cols.blank)
    assert.same({ 1000, -0.025, 4 }, cols.sci:totable())
    local t = cbal.read_table(path, { text = { "id", "gdp" } })
    assert.same({ "320102", "320104", "012345" }, t.id)
    assert.same({ "1200.5", "", "7" }, t.gdp)
  end)

  it("reads a one-column CSV, which GDAL 3.6 alone cannot open", function()
    local path = dir .. "/one.csv"
    tu.write(path, "county\n玄武区\n\"a\"\"b\"\n")
    local cols, names, n = cbal.read_table(path)
    assert.equal(2, n)
    assert.same({ "county" }, names)
    assert.same({ "玄武区", "a\"b" }, cols.county)
    assert.same({ "one" }, cbal.table_sheets(path))
    local c2, n2 = cbal.read_table(path, { header = false, sheet = "one" })
    assert.same({ "field1" }, n2)
    assert.same({ "county", "玄武区", "a\"b" }, c2.field1)
    -- written without GDAL's trailing comma, an empty cell as ""; it reads back whole
    local out = dir .. "/w.csv"
    cbal.write_table(out, { x = { 1, nan, 3 } })
    assert.equal('x\n1\n""\n3\n', tu.read(out))
    local c3, n3 = cbal.read_table(out)
    assert.same({ "x" }, n3)
    assert.equal(3, #c3.x)
    assert.equal(3, c3.x[3])
  end)

  it("reads CSV with a UTF-8 byte order mark, CRLF lines or semicolons", function()
    local path = dir .. "/bom.csv"
    tu.write(path, "\239\187\191县,值\r\n玄武区,1.5\r\n秦淮区,2\r\n")
    local cols, names, n = cbal.read_table(path)
    assert.equal(2, n)
    assert.same({ "县", "值" }, names)
    assert.same({ 1.5, 2 }, cols["值"]:totable())
    local semi = dir .. "/semi.csv"
    tu.write(semi, "a;b\n1;x\n")
    local c2 = cbal.read_table(semi)
    assert.equal(1, c2.a[1])
    assert.same({ "x" }, c2.b)
  end)

  it("does not take hex, nan or thousands separators for numbers", function()
    local path = dir .. "/h.csv"
    tu.write(path, "a,b,c,d\n0x10,nan,\"1,234\",1\n")
    local cols = cbal.read_table(path)
    assert.same({ "0x10" }, cols.a)
    assert.same({ "nan" }, cols.b)
    assert.same({ "1,234" }, cols.c)
    assert.is_true(is_array(cols.d))
  end)

  it("raises on a non-numeric cell of a numeric column with file, row and column", function()
    local path = dir .. "/bad.csv"
    tu.write(path, "county,gdp\na,1\nb,2\nc,n/a\n")
    assert.error_matches(function() cbal.read_table(path, { numeric = { "gdp" } }) end,
      "bad%.csv, row 4, column 'gdp': 'n/a' is not a number", 1, false)
    local xl = dir .. "/bad.xlsx"
    ogr2ogr("-f XLSX -nln 数据 " .. tu.quote(xl) .. " " .. tu.quote(path))
    assert.error_matches(function() cbal.read_table(xl, { numeric = { "gdp" } }) end,
      "bad%.xlsx, sheet '数据', row 4, column 'gdp': 'n/a' is not a number")
  end)

  it("keeps blank rows inside a sheet and counts them in row numbers", function()
    local xl = dir .. "/gap.xlsx"
    cbal.write_table(xl, { a = { 1, nan, 3 }, b = { "x", "", "z" } })
    local cols, _, n = cbal.read_table(xl)
    assert.equal(3, n)
    assert.is_true(cols.a[2] ~= cols.a[2])
    assert.same({ "x", "", "z" }, cols.b)
    cbal.write_table(xl, { g = { "1", "", "n/a" } })
    assert.error_matches(function() cbal.read_table(xl, { numeric = { "g" } }) end,
      "sheet 'Sheet1', row 4, column 'g': 'n/a' is not a number")
  end)

  it("reads selected fields in the given order and lists what exists when one is missing", function()
    local path = dir .. "/f.csv"
    tu.write(path, "a,b,c\n1,2,3\n")
    local cols, names = cbal.read_table(path, { fields = { "c", "a" } })
    assert.same({ "c", "a" }, names)
    assert.is_nil(cols.b)
    assert.equal(3, cols.c[1])
    assert.error_matches(function() cbal.read_table(path, { fields = { "a", "gdp" } }) end,
      "f%.csv: no column 'gdp' %(columns: 'a', 'b', 'c'%)")
    assert.error_matches(function() cbal.read_table(path, { numeric = { "x" } }) end,
      "option 'numeric' names column 'x'")
    assert.error_matches(function() cbal.read_table(path, { numeric = { "a" }, text = { "a" } }) end,
      "'a' is listed in both 'numeric' and 'text'")
  end)

  it("reads without a header: A, B, ... for spreadsheets, field1, ... for CSV", function()
    local path = dir .. "/nh.csv"
    tu.write(path, "省份,2000,2001\n江苏,199.5,192\n")
    local cols, names, n = cbal.read_table(path, { header = false })
    assert.equal(2, n)
    assert.same({ "field1", "field2", "field3" }, names)
    assert.same({ "省份", "江苏" }, cols.field1)
    assert.same({ 2000, 199.5 }, cols.field2:totable())
    assert.same({ 2001, 192 }, (cbal.read_table(path, { header = false, fields = { "field3" } })).field3:totable())
    local xl = dir .. "/nh.xlsx"
    cbal.write_table(xl, { p = { "江苏", "浙江" }, q = { 1.5, 2.5 } })
    local c2, n2, r2 = cbal.read_table(xl, { header = false })
    assert.equal(3, r2)
    assert.same({ "A", "B" }, n2)
    assert.same({ "p", "江苏", "浙江" }, c2.A)
    assert.same({ "q", "1.5", "2.5" }, c2.B)
  end)

  it("raises on duplicate column names, naming the column", function()
    local path = dir .. "/d.csv"
    tu.write(path, "a,b,a\n1,2,3\n")
    assert.error_matches(function() cbal.read_table(path) end, "d%.csv: duplicate column name 'a'")
    assert.equal(2, cbal.read_table(path, { fields = { "b" } }).b[1])
    local xl = dir .. "/d.xlsx"
    -- GDAL renames duplicate fields, but writes no header row when fields
    -- are named Field1, Field2, ...: the first data row becomes the header
    tu.write(dir .. "/d2.csv", "x,y,x\n1,2,3\n")
    ogr2ogr("-f XLSX " .. tu.quote(xl) .. " " .. tu.quote(dir .. "/d2.csv") .. " -oo HEADERS=NO" ..
      " -sql \"SELECT field_1 AS Field1, field_2 AS Field2, field_3 AS Field3 FROM d2\"")
    assert.error_matches(function() cbal.read_table(xl) end, "d%.xlsx: duplicate column name 'x'")
  end)

  it("picks sheets by name or index and lists them when one is missing", function()
    local a, b = dir .. "/a.csv", dir .. "/b.csv"
    tu.write(a, "v,w\n1,0\n")
    tu.write(b, "v,w\n2,0\n")
    local xl = dir .. "/s.xlsx"
    ogr2ogr("-f XLSX -nln 江苏2000 " .. tu.quote(xl) .. " " .. tu.quote(a))
    ogr2ogr("-update -nln Zhejiang2000 " .. tu.quote(xl) .. " " .. tu.quote(b))
    assert.same({ "江苏2000", "Zhejiang2000" }, cbal.table_sheets(xl))
    assert.equal(1, cbal.read_table(xl).v[1])
    assert.equal(2, cbal.read_table(xl, { sheet = "Zhejiang2000" }).v[1])
    assert.equal(2, cbal.read_table(xl, { sheet = 2 }).v[1])
    assert.error_matches(function() cbal.read_table(xl, { sheet = "Anhui2000" }) end,
      "s%.xlsx: no sheet 'Anhui2000' %(sheets: '江苏2000', 'Zhejiang2000'%)")
    assert.error_matches(function() cbal.read_table(xl, { sheet = 3 }) end,
      "no sheet 3, the file has 2")
    assert.error_matches(function() cbal.read_table(xl, { sheet = true }) end,
      "option 'sheet' must be a name or a 1%-based index")
  end)

  it("reads a GeoPackage attribute table with its field types", function()
    local src = dir .. "/src.csv"
    tu.write(src, "adcode,name,gdp,pop\n320102,玄武区,1200.5,65\n320104,秦淮区,,100\n")
    local gpkg = dir .. "/c.gpkg"
    ogr2ogr("-f GPKG -nln counties -oo AUTODETECT_TYPE=YES " .. tu.quote(gpkg) .. " " .. tu.quote(src))
    ogr2ogr("-update -nln other " .. tu.quote(gpkg) .. " " .. tu.quote(src))
    assert.same({ "counties", "other" }, cbal.table_sheets(gpkg))
    local cols, names, n = cbal.read_table(gpkg, { sheet = "counties" })
    assert.equal(2, n)
    assert.same({ "adcode", "name", "gdp", "pop" }, names)
    assert.is_true(is_array(cols.adcode))
    assert.equal(320104, cols.adcode[2])
    assert.same({ "玄武区", "秦淮区" }, cols.name)
    assert.is_true(cols.gdp[2] ~= cols.gdp[2])
    local t = cbal.read_table(gpkg, { sheet = "counties", text = { "adcode" } })
    assert.same({ "320102", "320104" }, t.adcode)
    -- a text layer (no type detection in the GPKG) with numeric forced
    local o = cbal.read_table(gpkg, { sheet = "other", numeric = { "pop" } })
    assert.same({ 65, 100 }, o.pop:totable())
    assert.error_matches(function() cbal.read_table(gpkg, { header = false }) end,
      "header=false applies to CSV, XLSX and ODS")
  end)

  it("reads ODS made by ogr2ogr", function()
    local src = dir .. "/src.csv"
    tu.write(src, "name,value\n苏州市,2.5\n无锡市,\n")
    local ods = dir .. "/t.ods"
    ogr2ogr("-f ODS -nln 表 " .. tu.quote(ods) .. " " .. tu.quote(src))
    assert.same({ "表" }, cbal.table_sheets(ods))
    local cols, names, n = cbal.read_table(ods)
    assert.equal(2, n)
    assert.same({ "name", "value" }, names)
    assert.same({ "苏州市", "无锡市" }, cols.name)
    assert.equal(2.5, cols.value[1])
    assert.is_true(cols.value[2] ~= cols.value[2])
  end)

  it("names a missing file and an unreadable format", function()
    assert.error_matches(function() cbal.read_table(dir .. "/nope.csv") end,
      "nope%.csv: no such file")
    assert.error_matches(function() cbal.table_sheets(dir .. "/nope.xlsx") end,
      "nope%.xlsx: no such file")
    local junk = dir .. "/junk.bin"
    tu.write(junk, "\0\1\2\3 not a table")
    assert.error_matches(function() cbal.read_table(junk) end,
      "junk%.bin: not a table GDAL can read")
    local fake = dir .. "/fake.xlsx"
    tu.write(fake, "PK\3\4 this is not a zip")
    assert.has_error(function() cbal.read_table(fake) end)
  end)

  it("leaves the input unchanged after a read", function()
    local path = dir .. "/in.csv"
    local body = "a,b\n1,x\n2,y\n"
    tu.write(path, body)
    cbal.read_table(path)
    assert.equal(body, tu.read(path))
    local xl = dir .. "/in.xlsx"
    cbal.write_table(xl, { a = { 1, 2 }, b = { "x", "y" } })
    local before = tu.read(xl)
    cbal.read_table(xl)
    cbal.table_sheets(xl)
    assert.equal(before, tu.read(xl))
    assert.same({ "in.csv", "in.xlsx" }, files_in(dir))
  end)

  it("raises on bad write arguments and leaves nothing behind", function()
    local cols = { a = { 1, 2 }, b = { "x", "y", "z" } }
    assert.error_matches(function() cbal.write_table(dir .. "/x.csv", cols) end,
      "column 'b' has 3 values but column 'a' has 2")
    assert.error_matches(function() cbal.write_table(dir .. "/x.txt", { a = { 1 } }) end,
      "x%.txt: cannot write tables as '%.txt' %(supported: %.csv, %.xlsx%)")
    assert.error_matches(function() cbal.write_table(dir .. "/x.xlsx", { a = { 1 / 0 } }) end,
      "cannot write .*x%.xlsx: column 'a', row 1: XLSX cannot hold an infinite value")
    assert.error_matches(function() cbal.write_table(dir .. "/x.csv", { a = { 1 } }, { order = { "a", "b" } }) end,
      "order names 'b', which is not a column")
    assert.error_matches(function() cbal.write_table(dir .. "/x.csv", { a = { 1 }, b = { 2 } }, { order = { "a" } }) end,
      "column 'b' is missing from order")
    assert.error_matches(function() cbal.write_table(dir .. "/x.csv", { a = { 1, true } }) end,
      "column 'a', row 2: expected a number or a string, got boolean")
    assert.error_matches(function() cbal.write_table(dir .. "/x.csv", { a = 5 }) end,
      "column 'a' must be a cbal.Array or a list")
    assert.error_matches(function() cbal.write_table(dir .. "/x.csv", {}) end, "no columns to write")
    assert.error_matches(function() cbal.write_table(dir .. "/x.xlsx", { a = { 1 } }, { sheet = "a/b" }) end,
      "sheet name .a/b. contains one of")
    assert.error_matches(function() cbal.write_table(dir .. "/nodir/x.csv", { a = { 1 } }) end,
      "folder '.*/nodir' does not exist")
    assert.same({}, files_in(dir))
  end)

  it("does not replace an existing file when a write fails", function()
    local path = dir .. "/keep.xlsx"
    cbal.write_table(path, { a = { 1 } })
    local before = tu.read(path)
    assert.has_error(function() cbal.write_table(path, { a = { 1, 1 / 0 } }) end)
    assert.equal(before, tu.read(path))
    assert.same({ "keep.xlsx" }, files_in(dir))
  end)

  it("refuses GBK text unless told the encoding, then reads it as UTF-8", function()
    -- 区划代码,区县,人口 / 320102,玄武区,537825 in GBK (CP936) bytes
    local gbk = "\199\248\187\174\180\250\194\235,\199\248\207\216,\200\203\191\218\n"
      .. "320102,\208\254\206\228\199\248,537825\n"
    local path = dir .. "/gbk.csv"
    tu.write(path, gbk)
    assert.has_error(function() cbal.read_table(path) end,
      path .. ": row 1, column 1 is not UTF-8 text (a GBK or other legacy encoding?); "
      .. 'read it with encoding = "GBK" or convert the file (iconv -f GBK -t UTF-8)')
    local c, names = cbal.read_table(path, { encoding = "GBK", text = { "区划代码" } })
    assert.same({ "区划代码", "区县", "人口" }, names)
    assert.equal("玄武区", c["区县"][1])
    assert.equal("320102", c["区划代码"][1])
    assert.equal(537825, c["人口"][1])
    -- a GBK cell below a UTF-8 header names its row and column
    tu.write(path, "code,name\n320102,\208\254\206\228\199\248\n")
    assert.has_error(function() cbal.read_table(path) end,
      path .. ": row 2, column 2 is not UTF-8 text (a GBK or other legacy encoding?); "
      .. 'read it with encoding = "GBK" or convert the file (iconv -f GBK -t UTF-8)')
    local before = tu.read(path)
    assert.equal("玄武区", cbal.read_table(path, { encoding = "GBK" }).name[1])
    assert.equal(before, tu.read(path))
    -- UTF-8 files read the same with encoding = "UTF-8"
    tu.write(path, "name\n玄武区\n")
    assert.equal("玄武区", cbal.read_table(path, { encoding = "UTF-8" }).name[1])
  end)

  it("refuses to write text that is not UTF-8, naming the column and row", function()
    for _, ext in ipairs { "csv", "xlsx" } do
      local path = dir .. "/w." .. ext
      assert.error_matches(function()
        cbal.write_table(path, { code = { 1, 2 }, name = { "玄武区", "\208\254\206\228" } })
      end, "cannot write " .. path .. ": column 'name', row 2: '\\xd0\\xfe\\xce\\xe4' is not "
        .. "UTF-8 text (read from a file in another encoding? read it with encoding = \"GBK\"", nil, true)
      assert.error_matches(function()
        cbal.write_table(path, { ["\199\248"] = { 1 } })
      end, "column name '\\xc7\\xf8' is not UTF-8 text", nil, true)
    end
    assert.same({}, files_in(dir))
  end)

  it("raises on a CSV row with more cells than the first row, naming the line", function()
    local path = dir .. "/r.csv"
    tu.write(path, "a,b\n1,2\n\n3,4,5\n")
    assert.error_matches(function() cbal.read_table(path) end,
      path .. ", line 4: 3 cells, but the first row has 2; the extra cell '5' would be lost "
      .. "(quote a value that holds the separator ',', or fix the row)", nil, true)
    assert.error_matches(function() cbal.read_table(path, { header = false }) end, "line 4: 3 cells", nil, true)
    tu.write(path, "a;b\n1;2;3\n")
    assert.error_matches(function() cbal.read_table(path) end, "line 2: 3 cells", nil, true)
    tu.write(path, "name\nx\n\"y,z\",w\n")
    assert.error_matches(function() cbal.read_table(path) end,
      "line 3: 2 cells, but the first row has 1; the extra cell 'w'", nil, true)
    -- quoted separators, empty trailing cells and short rows are fine
    tu.write(path, "a,b\n\"1,5\",2\n3,4,\n5\n")
    local c, _, n = cbal.read_table(path)
    assert.equal(3, n)
    assert.same({ "1,5", "3", "5" }, c.a)
  end)

  it("reads every column of a wide CSV and refuses a sheet GDAL would cut", function()
    local path = dir .. "/wide.csv"
    local head, row = {}, {}
    for i = 1, 2100 do head[i], row[i] = "c" .. i, tostring(i) end
    tu.write(path, table.concat(head, ",") .. "\n" .. table.concat(row, ",") .. "\n")
    local c, names = cbal.read_table(path)
    assert.equal(2100, #names)
    assert.equal(2100, c.c2100[1])
    -- an XLSX sheet of 2100 columns (GDAL reads at most 2000 of them)
    local xl = dir .. "/wide.xlsx"
    local rc, _, err = tu.sh("python3 - " .. tu.quote(xl), [[
import sys, zipfile
def col(i):
    s = ''
    while i > 0:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s
cells = ''.join('<c r="%s1"><v>%d</v></c>' % (col(i), i) for i in range(1, 2101))
ns = 'http://schemas.openxmlformats.org/'
z = zipfile.ZipFile(sys.argv[1], 'w')
z.writestr('[Content_Types].xml', '<Types xmlns="' + ns + 'package/2006/content-types">'
  '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
  '<Default Extension="xml" ContentType="application/xml"/>'
  '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
  '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
z.writestr('_rels/.rels', '<Relationships xmlns="' + ns + 'package/2006/relationships"><Relationship Id="rId1" '
  'Type="' + ns + 'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
z.writestr('xl/workbook.xml', '<workbook xmlns="' + ns + 'spreadsheetml/2006/main" xmlns:r="' + ns
  + 'officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>')
z.writestr('xl/_rels/workbook.xml.rels', '<Relationships xmlns="' + ns + 'package/2006/relationships">'
  '<Relationship Id="rId1" Type="' + ns + 'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
z.writestr('xl/worksheets/sheet1.xml', '<worksheet xmlns="' + ns + 'spreadsheetml/2006/main"><sheetData>'
  '<row r="1">' + cells + '</row></sheetData></worksheet>')
z.close()
]])
    assert.equal(0, rc, err)
    assert.error_matches(function() cbal.read_table(xl) end,
      xl .. ", sheet 'S': more columns than GDAL reads from this spreadsheet format (2000 for "
      .. "XLSX, 100000 for ODS); save the sheet as CSV or split it", nil, true)
  end)

  it("raises on unknown option keys", function()
    local path = dir .. "/u.csv"
    tu.write(path, "a\n1\n")
    assert.error_matches(function() cbal.read_table(path, { feilds = { "a" } }) end,
      "unknown key \'feilds\' in read_table")
    assert.error_matches(function() cbal.write_table(path, { a = { 1 } }, { ordr = { "a" } }) end,
      "unknown key \'ordr\' in write_table")
    assert.error_matches(function() cbal.read_table(path, { fields = "a" }) end,
      "option 'fields' must be a list of column names")
  end)
end)
