-- Every writer on a disk filled to the last byte: the write fails naming
-- the target (not its temporary file), the previous good output is left
-- byte for byte, and no temporary file is left behind. Needs a tmpfs
-- (mounted here when the tests run as root; skipped otherwise). The
-- outputs are small, so the bytes reach the disk only when the file is
-- flushed and closed: the failure GDAL 3.6 drivers used to ignore.
local cbal = require "cbal"
local tu = require "testutil"

local SQUARE = { { { 0, 0, 1, 0, 1, 1, 0, 1 } } }

-- Each writer as function(path, variant): variant 1 writes the "previous
-- good output", variant 2 different content.
local WRITERS = {
  { "t.csv", function(p, v) cbal.write_table(p, { a = cbal.array { v, 2, 3 }, b = { "x", "y", "z" } }) end },
  { "t.xlsx", function(p, v) cbal.write_table(p, { a = cbal.array { v, 2, 3 } }) end },
  { "l.geojson", function(p, v)
    cbal.write_layer(p, { crs = "EPSG:4326", fields = { { name = "n", type = "integer" } },
      features = { { n = v, geometry = SQUARE } } })
  end },
  { "l.gpkg", function(p, v)
    cbal.write_layer(p, { crs = "EPSG:4326", fields = { { name = "n", type = "integer" } },
      features = { { n = v, geometry = SQUARE } } })
  end },
  { "r.tif", function(p, v)
    cbal.write_raster(p, { width = 16, height = 16, geotransform = { 0, 1, 0, 0, 0, -1 },
      crs = "EPSG:4326", values = cbal.array(256, v) })
  end },
}
for _, ext in ipairs({ "pdf", "svg", "png" }) do
  WRITERS[#WRITERS + 1] = { "f." .. ext, function(p, v)
    local f = cbal.figure { width_mm = 40, height_mm = 30, dpi = 72 }
    f:panel { row = 1, col = 1 }:line { x = { 1, 2, 3 }, series = { { y = { 1, v, 2 }, name = "a" } } }
    f:save(p)
  end }
end

describe("writers on a full disk", function()
  local mnt, mounted
  setup(function()
    mnt = tu.tmpdir()
    local _, uid = tu.sh("id -u")
    mounted = uid == "0\n" and tu.sh("mount -t tmpfs -o size=1m,mode=0755 tmpfs " .. mnt) == 0
  end)
  teardown(function()
    if mounted then tu.sh("umount " .. mnt) end
    tu.rmtree(mnt)
  end)

  for _, w in ipairs(WRITERS) do
    local name, write = w[1], w[2]
    it(name .. " fails naming the target and keeps the previous file", function()
      if not mounted then
        pending("needs root to mount a tmpfs")
        return
      end
      local path = mnt .. "/" .. name
      write(path, 1)
      local before = cbal.sha256(path)
      -- fill to the last byte: pages first, then whatever single bytes fit
      tu.sh("(dd if=/dev/zero of=" .. mnt .. "/fill bs=4096; dd if=/dev/zero of="
        .. mnt .. "/fill2 bs=1)")
      local _, avail = tu.sh("(df --output=avail " .. mnt .. " | tail -1)")
      assert.are.equal(0, tonumber(avail))
      local ok, err = pcall(write, path, 7)
      tu.sh("rm -f " .. mnt .. "/fill " .. mnt .. "/fill2")
      assert.is_false(ok)
      assert.truthy(err:find("cannot write " .. path .. ": No space left on device", 1, true), err)
      assert.is_nil(err:find(".tmp", 1, true))
      assert.are.equal(before, cbal.sha256(path))
      local _, listing = tu.sh("ls -A " .. mnt)
      assert.are.equal(name .. "\n", listing)
      -- with room again the same call succeeds
      write(path, 7)
      assert.are_not.equal(before, cbal.sha256(path))
      os.remove(path)
    end)
  end
end)
