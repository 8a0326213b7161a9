-- One number text (cbal.number_text, C's cb_table_fmtnum) and one JSON
-- string/number writer (cbal.json) for the whole library.
local cbal = require "cbal"
local json = require "cbal.json"
local T = require "testutil"

-- The Lua loop the manifest and cbal zonal used before: the shortest of
-- %.15g, %.16g, %.17g that reads back.
local function old_shortest(v)
  for _, f in ipairs { "%.15g", "%.16g", "%.17g" } do
    local s = f:format(v)
    if tonumber(s) == v then return s end
  end
end

describe("cbal.number_text", function()
  it("writes the shortest text that reads back, as write_table does", function()
    local cases = {
      { 0.1, "0.1" }, { 1 / 3, "0.3333333333333333" }, { 0.1 + 0.2, "0.30000000000000004" },
      { 1e-300, "1e-300" }, { -0.0, "-0" }, { 2.5, "2.5" }, { 5.0, "5" }, { 1e15, "1e+15" },
      { 2 ^ 53 + 1, "9007199254740992" }, { 1.7976931348623157e308, "1.7976931348623157e+308" },
      { 5e-324, "4.94065645841247e-324" },
      { math.huge, "inf" }, { -math.huge, "-inf" }, { 0 / 0, "nan" }, { -(0 / 0), "nan" },
      { 7, "7" }, { -12, "-12" }, { (1 << 53) + 1, "9007199254740993" },
      { math.maxinteger, "9223372036854775807" }, { math.mininteger, "-9223372036854775808" },
    }
    local dir = T.tmpdir()
    local col = {}
    for i, c in ipairs(cases) do
      assert.equal(c[2], cbal.number_text(c[1]), ("case %d"):format(i))
      if math.type(c[1]) == "float" then col[#col + 1] = c[1] end
    end
    -- write_table writes the same text (a text column keeps it as is)
    local text = {}
    for i, v in ipairs(col) do text[i] = v end
    text[#text + 1] = "x"
    cbal.write_table(dir .. "/n.csv", { v = text })
    local want = { "v" }
    for _, v in ipairs(col) do want[#want + 1] = cbal.number_text(v) end
    want[#want + 1] = "x"
    assert.equal(table.concat(want, "\n") .. "\n", (T.read(dir .. "/n.csv"):gsub("\r\n", "\n")))
    T.rmtree(dir)
    assert.error_matches(function() cbal.number_text("1.5") end, "number expected")
  end)

  it("reads back exactly and equals the former Lua loop on finite doubles", function()
    local seed = 12345
    for _ = 1, 20000 do
      seed = (seed * 6364136223846793005 + 1442695040888963407) & 0x7fffffffffffffff
      local v = string.unpack("d", string.pack("i8", seed ~ (seed << 7)))
      if v == v and v ~= math.huge and v ~= -math.huge then
        local s = cbal.number_text(v)
        assert.equal(v, tonumber(s))
        assert.equal(old_shortest(v), s)
      end
    end
  end)
end)

describe("cbal.json", function()
  it("writes numbers as JSON: null for NaN, 1e999 for infinity", function()
    assert.equal("null", json.number(0 / 0))
    assert.equal("1e999", json.number(math.huge))
    assert.equal("-1e999", json.number(-math.huge))
    assert.equal("0.1", json.number(0.1))
    assert.equal("9007199254740993", json.number((1 << 53) + 1))
  end)

  it("escapes quotes, backslash and control characters and keeps UTF-8", function()
    local s = 'a"b\\c\n\t\r\0\1\31\127 江苏 é'
    local out = json.string(s)
    assert.equal('"a\\"b\\\\c\\n\\t\\r\\u0000\\u0001\\u001f\\u007f 江苏 é"', out)
    -- a JSON reader gives the text back byte for byte
    local dir = T.tmpdir()
    T.write(dir .. "/s.json", "[" .. out .. "," .. json.number(1 / 3) .. "," .. json.number(0 / 0) .. "]")
    local rc, got = T.sh("python3 -c 'import json,sys; v=json.load(open(sys.argv[1], encoding=\"utf-8\"));"
      .. " sys.stdout.buffer.write(v[0].encode(\"utf-8\")); print(); print(repr(v[1]), v[2])' "
      .. T.quote(dir .. "/s.json"))
    T.rmtree(dir)
    assert.equal(0, rc)
    assert.equal(s .. "\n0.3333333333333333 None\n", got)
  end)

  it("is what the manifest and cbal zonal's list columns write", function()
    local manifest = require "cbal.manifest"
    assert.equal('{\n  "a\\"": "x\\ny",\n  "n": 0.1,\n  "z": null\n}',
      manifest.encode { n = 0.1, z = 0 / 0, ['a"'] = "x\ny" })
    local output = require "cbal.zonal_cli.output"
    assert.equal('[1,0.30000000000000004,-1e999,"\\u0001"]', output.json { 1, 0.1 + 0.2, -math.huge, "\1" })
  end)
end)
