-- cbal.base64 agrees with coreutils' base64 on binary data.
local cbal = require "cbal"
local T = require "testutil"

describe("cbal.base64", function()
  it("encodes every byte value as base64(1) does", function()
    local dir = T.tmpdir()
    local bytes = {}
    for i = 0, 1000 do bytes[#bytes + 1] = string.char((i * 37 + 11) % 256) end
    local data = table.concat(bytes)
    T.write(dir .. "/b.bin", data)
    local rc, out = T.sh("base64 -w0 " .. dir .. "/b.bin")
    assert.equal(0, rc)
    assert.equal(out, cbal.base64(data))
    assert.equal("", cbal.base64(""))
    assert.error_matches(function() cbal.base64({}) end, "string expected")
    T.rmtree(dir)
  end)
end)
