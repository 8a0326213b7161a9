-- cbal.write_table's CSV text, byte for byte: quoting, empty and
-- non-finite cells, one-column files, the BOM, and tables long enough that
-- several threads format their rows.
local cbal = require "cbal"
local tu = require "testutil"

describe("write_table CSV text", function()
  local dir
  before_each(function() dir = tu.tmpdir() end)
  after_each(function() tu.rmtree(dir) end)

  it("quotes fields holding , \" ; tab CR or LF, and nothing else", function()
    local s = { "plain", "a,b", 'q"x', "l\nm", "semi;c", "tab\tx", " lead", "trail ", "",
      "1.5", "r\rx", "中文", "#hash", "x'y" }
    local n = cbal.array { 1, 0 / 0, 1 / 0, -1 / 0, -0.0, 0.1, 1e300, 123456789012345678, 1e15,
      2 ^ 53, 0.5, 1e-5, 3, 1 / 3 }
    local path = dir .. "/q.csv"
    cbal.write_table(path, { ["name,x"] = s, n = n }, { order = { "name,x", "n" } })
    assert.equal('"name,x",n\nplain,1\n"a,b",\n"q""x",inf\n"l\nm",-inf\n"semi;c",-0\n' ..
      '"tab\tx",0.1\n lead,1e+300\ntrail ,1.2345678901234568e+17\n,1e+15\n1.5,9007199254740992\n' ..
      '"r\rx",0.5\n中文,1e-05\n#hash,3\nx\'y,0.3333333333333333\n', tu.read(path))
  end)

  it("writes a lone empty cell as \"\" and no trailing comma in one column", function()
    local path = dir .. "/one.csv"
    cbal.write_table(path, { v = cbal.array { 1, 0 / 0, 2.5 } })
    assert.equal('v\n1\n""\n2.5\n', tu.read(path))
    cbal.write_table(path, { [""] = { "a", "" } })
    assert.equal('""\na\n""\n', tu.read(path))
  end)

  it("starts with a BOM when asked", function()
    local path = dir .. "/b.csv"
    cbal.write_table(path, { a = { 1 }, b = { "x" } }, { order = { "a", "b" }, bom = true })
    assert.equal("\239\187\191a,b\n1,x\n", tu.read(path))
  end)

  it("writes long tables in row order, naming the first bad cell", function()
    local n, a, s, want = 3001, {}, {}, { "i,x,s\n" }
    for i = 1, n do
      a[i] = i + 0.25
      s[i] = "r" .. i
      want[#want + 1] = ("%d,%.2f,r%d\n"):format(i, i + 0.25, i)
    end
    local idx = {}
    for i = 1, n do idx[i] = i end
    local path = dir .. "/long.csv"
    cbal.write_table(path, { i = idx, x = cbal.array(a), s = s }, { order = { "i", "x", "s" } })
    assert.equal(table.concat(want), tu.read(path))
    s[2999], s[1200] = "\208\254", "\199\248"
    assert.error_matches(function()
      cbal.write_table(path, { i = idx, s = s }, { order = { "i", "s" } })
    end, "column 's', row 1200: '\\xc7\\xf8' is not UTF-8 text", nil, true)
    assert.equal(table.concat(want), tu.read(path)) -- the earlier file is kept
  end)
end)
